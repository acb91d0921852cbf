import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { projectRoot } from "../../src/paths.ts";

export const CLI = path.join(projectRoot, "src", "cli.ts");

export interface Finished {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs the real CLI as a child process with the given env (nothing inherited but PATH and HOME). */
export function runCli(
	args: string[],
	env: NodeJS.ProcessEnv = {},
	cwd = projectRoot,
): Promise<Finished> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [CLI, ...args], {
			cwd,
			env: baseEnv(env),
		});
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (d) => {
			stdout += d;
		});
		child.stderr.on("data", (d) => {
			stderr += d;
		});
		child.on("close", (code) => resolve({ code, stdout, stderr }));
	});
}

/**
 * Runs the real CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal runs it:
 * stdout and stderr are both the terminal, so they arrive merged, with carriage returns.
 */
export function runCliOnTerminal(
	args: string[],
	env: NodeJS.ProcessEnv = {},
): Promise<Finished> {
	const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
	const command = [process.execPath, CLI, ...args].map(quote).join(" ");
	return new Promise((resolve) => {
		const child = spawn("script", ["-qec", command, "/dev/null"], {
			cwd: projectRoot,
			env: baseEnv(env),
		});
		let stdout = "";
		child.stdout.on("data", (d) => {
			stdout += d;
		});
		child.stderr.on("data", () => {});
		child.on("close", (code) =>
			resolve({ code, stdout: stdout.replaceAll("\r\n", "\n"), stderr: "" }),
		);
	});
}

/**
 * A child gets PATH and HOME only, plus what the test gives it, and the clock the test runs on:
 * when the suite runs under libfaketime (a shifted calendar), so do the bots it starts.
 */
function baseEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const clock = Object.fromEntries(
		Object.entries(process.env).filter(
			([k]) => k === "LD_PRELOAD" || k.startsWith("FAKETIME"),
		),
	);
	return { PATH: process.env.PATH, HOME: process.env.HOME, ...clock, ...env };
}

export interface RunningBot {
	child: ChildProcess;
	port: number;
	logs(): Record<string, unknown>[];
	/** Sends the signal and resolves with the exit code. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
	/** Ctrl-C as a terminal sends it: SIGINT to the bot's whole process group, its Postgres included. */
	interruptGroup(): Promise<number | null>;
}

/** Starts `erp-pulse start` and waits for its "http listening" log line. */
export function startBot(
	args: string[],
	env: NodeJS.ProcessEnv,
	cwd = projectRoot,
	timeoutMs = 90_000,
): Promise<RunningBot> {
	// Its own process group, so a test can signal the group as a terminal would.
	const child = spawn(process.execPath, [CLI, ...args, "start"], {
		cwd,
		env: baseEnv(env),
		detached: true,
	});
	const lines: Record<string, unknown>[] = [];
	let buffer = "";
	let stderr = "";
	const exited = new Promise<number | null>((resolve) =>
		child.on("close", (code) => resolve(code)),
	);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(
			() =>
				reject(new Error(`bot did not start in ${timeoutMs} ms: ${stderr}`)),
			timeoutMs,
		);
		child.stderr.on("data", (d) => {
			stderr += d;
		});
		child.stdout.on("data", (d) => {
			buffer += d;
			const parts = buffer.split("\n");
			buffer = parts.pop() ?? "";
			for (const p of parts) {
				if (!p.trim()) continue;
				const line = JSON.parse(p) as Record<string, unknown>;
				lines.push(line);
				if (line.msg === "http listening") {
					clearTimeout(timer);
					resolve({
						child,
						port: line.port as number,
						logs: () => lines,
						stop: (signal = "SIGINT") => {
							child.kill(signal);
							return exited;
						},
						interruptGroup: () => {
							process.kill(-(child.pid ?? 0), "SIGINT");
							return exited;
						},
					});
				}
			}
		});
		exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`bot exited with ${code} before listening: ${stderr}`));
		});
	});
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer().listen(0, "127.0.0.1", () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}
