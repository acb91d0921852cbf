/**
 * The CLI's usage text, apart from the commands themselves so that `--help` and a typo load
 * nothing else.
 */

/**
 * The monitor verbs: the chat command's (commands/pulse.ts), which `erp-pulse pulse …` runs. A
 * unit test holds this text to that command's usage lines.
 */
export const PULSE_USAGE = `  pulse list                     monitors with status, precision and open alerts
  pulse show <id>                one monitor: its rule, query, schedule, status and open alerts
  pulse history <id>             a monitor's versions and recent runs
  pulse templates                the monitor templates and their parameters
  pulse create "<text>" [--yes]  a monitor from a sentence; saved only with --yes
  pulse add <template> [k=v …]   a monitor from a template, with its parameters
  pulse test <id> [--as-of YYYY-MM-DD]
                                 run the query and evaluate the rule now (or as of a day), storing nothing
  pulse run <id> [--as-of YYYY-MM-DD]
                                 run once now (or as of a day) and store the result, alerts included
  pulse pause <id>               stop a monitor's runs
  pulse resume <id>              schedule a paused monitor again
  pulse rollback <id> <version>  restore an earlier query and rule as a new version
  pulse feedback <alertId> real|false_alarm
                                 say whether an alert was real or a false alarm
  pulse tune <id> [--accept]     the tuning proposal from feedback; --accept saves it
  pulse status [--errors N]      delivery and scheduler health: queued, failed and dead messages`;

/** The whole usage: every command with its options. */
export const USAGE = `Usage: erp-pulse [--config <file>] <command> [options]

Commands:
  start                          run the bot (no config: embedded Postgres + demo ERP + local channel)
  migrate                        apply pending database migrations, then exit
  doctor                         check config, database, sources, data freshness and chat credentials
  demo-data                      write the synthetic demo ERP to a SQLite file
      --out <file>                 where to write it (default <dataDir>/demo-erp.sqlite)
      --seed <n>                   random seed (default 42); the same seed gives the same bytes
      --scale <lines>              order lines, 1000 to 10000000 (default 150000)
      --end-date <date>            last day of history, YYYY-MM-DD (default 2026-10-31)
      --format sqlite|csv|parquet  csv or parquet: a folder of exports (one file per table and the
                                   joined sales lines, read with mapping demo-erp-csv) at --out
  sources list                   the configured sources and when each last received data
  sources test <source>          connect and check every mapped column exists
  sources inspect <source> [t]   list tables with row counts; with a table, profile and sample it
  sources reference              the mapping reference: each entity's columns and the expressions
  sources suggest <source>       propose a mapping from the source's tables, names and values:
      [--out <file.yaml>]          a commented YAML with each guess's evidence and TODOs (stdout without --out)
  ingest <source> [--full]       run one ingest now (--full ignores the watermarks)
      --dry-run [--limit N]        read and check the first N rows of each read (default 1000):
                                   sample rows and reject reasons; writes nothing
  compute                        rebuild the RFM/ABC, segment, cohort and regional tables now
  clean <task> [--source s]      data-quality fixes, a dry run unless --execute:
        [--execute]                salespeople | branches | lead-sources | link-quotes
  metric list                    the metric catalog: units, grains, dimensions, synonyms
  metric <name> [by <dim>]       one metric per period, or broken down by a dimension
        [last N months|weeks]      e.g. metric revenue by region last 12 months
        [--grain g] [--since YYYY-MM] [--until YYYY-MM] [--by dim=value] [--source s]
  explain <metric> [by <dim>]    why it changed: each dimension's members' share of the change
        [in dim=member] [last month|last week|YYYY-MM|week of YYYY-MM-DD] [vs previous|vs last year]
  correlate <a> [b]              correlate two metrics with a verdict; with one, rank every
        [--grain month|week]       other metric against it (Benjamini-Hochberg q-values)
        [--since YYYY-MM] [--until YYYY-MM] [--by dim=value] [--source s]
  query list [category]          the analytics query library
  query run <name>               run one library query with validated parameters
        [--param name=value ...]
  chart <metric> [by <dim>]      the metric as a PNG chart (alt text printed)
        [last N months] --out <file.png> [--grain g] [--since …] [--by dim=value]
  digest [--as-of YYYY-MM-DD]    the weekly digest as it would be posted, printed as Markdown (as chat's digest)
  chat "<command text>"          run a chat command here and print the reply (help, pulse status, …);
                                 a chart is saved as a PNG in the outbox folder
  slack manifest                 print the Slack app manifest (slash commands, interactivity URL, scopes)
  discord register [--guild ID]  register the Discord slash commands (in one server, or globally)
                                   with DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID; prints the invite URL
  discord invite                 print the Discord invite URL (scopes bot + applications.commands)
${PULSE_USAGE}
  stox compute [--date <d>]      rebuild the inventory (stox_*) tables now; --date: analysis date
                                   YYYY-MM-DD (default: the day after the latest order line)
  stox summary                   enterprise inventory value, turns, service level, excess
  stox item <material>           every inventory figure of one material, with its projection
  stox reorder [--limit N]       materials at/below their reorder point, projected to run out
                                   within the lead time, or waiting on a late order (N 1–50, default 20)
  stox excess [--limit N]        materials with excess or obsolete stock, largest value first

Options:
  -c, --config <file>            config file (default ./erp-pulse.yaml or $ERP_PULSE_CONFIG; none: built-in defaults)
  -h, --help                     show this help
`;

/** The usage lines of one command (its line and the option lines under it), or undefined. */
export function usageOf(name: string): string | undefined {
	const lines = USAGE.split("\n");
	const out: string[] = [];
	let inside = false;
	for (const line of lines) {
		if (/^ {2}\S/.test(line)) inside = line.slice(2).split(/\s/)[0] === name;
		else if (!/^ {4,}\S/.test(line)) inside = false;
		if (inside) out.push(line);
	}
	return out.length > 0 ? `Usage:\n${out.join("\n")}` : undefined;
}
