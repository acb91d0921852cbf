// Loaded with `node --import` by bench/cli.ts: when the process exits, writes its whole CPU time
// (user + system, from process start, in microseconds) to the file named by BENCH_CPU_FILE.
import { appendFileSync } from "node:fs";

process.on("exit", () => {
	const { user, system } = process.cpuUsage();
	if (process.env.BENCH_CPU_FILE)
		appendFileSync(process.env.BENCH_CPU_FILE, `${user + system}\n`);
});
