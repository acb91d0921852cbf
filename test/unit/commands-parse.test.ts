import { describe, expect, it } from "vitest";
import { correlateCommand } from "../../commands/correlate.ts";
import { metricCommand } from "../../commands/metric.ts";
import { queryCommand } from "../../commands/query.ts";

describe("parsing the analytics commands", () => {
	it("reads correlate's metrics and options, with --since as a month", () => {
		expect(
			correlateCommand.parse([
				"revenue",
				"customers",
				"--grain",
				"week",
				"--since=2024-03",
				"--by",
				"region=North",
			]),
		).toEqual({
			a: "revenue",
			b: "customers",
			grain: "week",
			since: "2024-03-01",
			by: { dimension: "region", value: "North" },
		});
		expect(correlateCommand.parse(["revenue"])).toEqual({ a: "revenue" });
	});

	it("rejects a malformed correlate option with a usage error that says what was expected", () => {
		expect(() =>
			correlateCommand.parse(["revenue", "--since", "March"]),
		).toThrow('--since expects YYYY-MM or YYYY-MM-DD, got "March"');
		expect(() => correlateCommand.parse(["revenue", "--by", "region"])).toThrow(
			"--by expects dimension=value",
		);
		expect(() =>
			correlateCommand.parse(["revenue", "--colour", "red"]),
		).toThrow(/unknown option --colour/);
		expect(() => correlateCommand.parse([])).toThrow(/needs a metric/);
	});

	it("reads metric's natural phrasing: name, by dimension, last N periods", () => {
		expect(
			metricCommand.parse(["revenue", "by", "region", "last", "12", "months"]),
		).toEqual({
			kind: "show",
			name: "revenue",
			by: "region",
			last: { n: 12, grain: "months" },
		});
		expect(
			metricCommand.parse(["active", "customers", "last", "8", "weeks"]),
		).toEqual({
			kind: "show",
			name: "active customers",
			last: { n: 8, grain: "weeks" },
		});
		expect(metricCommand.parse(["list"])).toEqual({ kind: "list" });
		expect(() =>
			metricCommand.parse(["revenue", "last", "twelve", "months"]),
		).toThrow(
			'"last" expects a whole number of periods from 1 to 36500, got "twelve"',
		);
		expect(() => metricCommand.parse(["revenue", "by"])).toThrow(
			/did not understand "by"/,
		);
	});

	it("reads query run parameters from --param and from name=value words", () => {
		expect(
			queryCommand.parse([
				"run",
				"top-products",
				"limit=5",
				"--param",
				"since=2024-01-01",
			]),
		).toEqual({
			kind: "run",
			name: "top-products",
			params: { limit: "5", since: "2024-01-01" },
		});
		expect(queryCommand.parse(["list"])).toEqual({ kind: "list" });
		expect(() => queryCommand.parse(["run", "x", "--param", "limit"])).toThrow(
			'--param expects name=value, got "limit"',
		);
		expect(() => queryCommand.parse(["drop"])).toThrow(/expected "query list/);
	});
});
