/**
 * How much CPU a CLI command costs before it answers: each command run as a fresh process, its
 * whole CPU time (user + system, from process start) taken at exit, beside `node -e 0` in the
 * same run. The commands are interleaved (node -e 0, --help, a typo, metric list, chat help,
 * node -e 0, …) `--rounds` times; medians printed, with the ratio to `node -e 0`.
 *
 *   node bench/cli.ts                       # 7 rounds; DATABASE_URL or the machine's Postgres
 *   node bench/cli.ts --rounds 15
 *
 * `metric list` and `chat help` open the database (DATABASE_URL, else 127.0.0.1:5432/postgres)
 * with a config that turns the demo off, so they measure start-up plus one connection.
 * The CLI keeps Node's compile cache in the temporary folder (src/cli.ts); the bench gives it an
 * empty temporary folder of its own (TMPDIR), so round 1 is a first run, and runs the two database commands with the cache off as well
 * (NODE_DISABLE_COMPILE_CACHE=1), in the same rounds.
 * Targets (issue 20): --help and a typo within 0.3 s, a command that opens the database within 0.8 s.
 */
import { spawnSync } from "node:child_process";
import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
	options: { rounds: { type: "string", default: "7" } },
});
const rounds = Number(values.rounds);
const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-cli-"));
const config = path.join(dir, "erp-pulse.yaml");
writeFileSync(config, "demo: {enabled: false}\n");
const cli = path.join(root, "src", "cli.ts");
const hook = path.join(root, "bench", "cpu-at-exit.mjs");
const tmp = path.join(dir, "tmp");
mkdirSync(tmp);
const NO_CACHE = { NODE_DISABLE_COMPILE_CACHE: "1" };

const CASES: {
	label: string;
	args: string[];
	target?: number;
	env?: Record<string, string>;
}[] = [
	{ label: "node -e 0", args: ["-e", "0"] },
	{ label: "erp-pulse --help", args: [cli, "--help"], target: 0.3 },
	{ label: "erp-pulse strat (a typo)", args: [cli, "strat"], target: 0.3 },
	{
		label: "erp-pulse metric list",
		args: [cli, "-c", config, "metric", "list"],
		target: 0.8,
	},
	{
		label: 'erp-pulse chat "help"',
		args: [cli, "-c", config, "chat", "help"],
		target: 0.8,
	},
	{
		label: "erp-pulse metric list, compile cache off",
		args: [cli, "-c", config, "metric", "list"],
		env: NO_CACHE,
	},
	{
		label: 'erp-pulse chat "help", compile cache off',
		args: [cli, "-c", config, "chat", "help"],
		env: NO_CACHE,
	},
];

function cpuSeconds(
	args: string[],
	extra: Record<string, string> = {},
): number {
	const file = path.join(dir, "cpu.txt");
	rmSync(file, { force: true });
	const r = spawnSync(process.execPath, ["--import", hook, ...args], {
		cwd: dir,
		env: {
			...process.env,
			BENCH_CPU_FILE: file,
			DATABASE_URL:
				process.env.DATABASE_URL ??
				"postgres://postgres@127.0.0.1:5432/postgres",
			TMPDIR: tmp,
			...extra,
		},
		encoding: "utf8",
	});
	const text = readFileSync(file, "utf8").trim();
	if (!text)
		throw new Error(`no CPU figure from ${args.join(" ")}: ${r.stderr}`);
	return Number(text) / 1e6;
}

const samples = new Map<string, number[]>(CASES.map((c) => [c.label, []]));
for (let i = 0; i < rounds; i++)
	for (const c of CASES) samples.get(c.label)?.push(cpuSeconds(c.args, c.env));
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const base = median(samples.get("node -e 0") ?? []);
console.log(
	`CLI CPU time per command (user + system, whole process), ${rounds} interleaved rounds, medians; node ${process.version}`,
);
console.log("| command | CPU s | × node -e 0 | target |");
console.log("| --- | ---: | ---: | --- |");
for (const c of CASES) {
	const m = median(samples.get(c.label) ?? []);
	const verdict = c.target
		? `≤ ${c.target} s: ${m <= c.target ? "met" : "MISSED"}`
		: "";
	console.log(
		`| ${c.label} | ${m.toFixed(3)} | ${(m / base).toFixed(1)} | ${verdict} |`,
	);
}
const first = (label: string) => samples.get(label)?.[0]?.toFixed(3);
console.log(
	`\nRound 1, with the compile cache still empty (a first run): --help ${first("erp-pulse --help")} s, metric list ${first("erp-pulse metric list")} s, chat "help" ${first('erp-pulse chat "help"')} s.`,
);
