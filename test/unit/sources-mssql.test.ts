import { describe, expect, it } from "vitest";
import { sourceConnectionSchema } from "../../src/sources/config.ts";
import { createConnector, SourceError } from "../../src/sources/index.ts";
import { mssqlColumns, mssqlPoolConfig } from "../../src/sources/mssql.ts";
import {
	classifyMssqlError,
	mssqlValue,
} from "../../src/sources/mssql-values.ts";
import {
	buildColumnsSql,
	buildProfileSql,
	buildStreamSql,
} from "../../src/sources/sql.ts";

/**
 * No SQL Server can run on these machines, so the SQL Server connector is verified as far as it
 * can be without one: the statements it sends, the settings it connects with, how it turns
 * tedious's values into the canonical forms, and how it fails when the server is not there.
 * What is NOT verified here: streaming against a live server, and cancel() on a slow query.
 */
describe("the SQL Server connector without a server", () => {
	const conn = sourceConnectionSchema.parse({
		kind: "mssql",
		server: "erp.example.internal",
		database: "ERP",
		user: "erp_reader",
		password: "s3cret!",
	});

	it("connects read-intent, in UTC, with encryption on by default", () => {
		const cfg = mssqlPoolConfig(
			conn as Extract<typeof conn, { kind: "mssql" }>,
		);
		expect(cfg).toMatchObject({
			server: "erp.example.internal",
			port: 1433,
			database: "ERP",
			user: "erp_reader",
			requestTimeout: 300_000,
			options: {
				encrypt: true,
				trustServerCertificate: false,
				readOnlyIntent: true,
				useUTC: true,
			},
		});
	});

	it("builds parameterised T-SQL with bracket quoting, TOP for samples and the watermark as @p0", () => {
		expect(
			buildStreamSql("mssql", {
				from: { table: "dbo.Invoice Lines" },
				watermark: { column: "PostedAt", after: "2024-01-01 00:00:00" },
			}),
		).toEqual({
			text: "SELECT * FROM [dbo].[Invoice Lines] WHERE [PostedAt] > @p0 ORDER BY [PostedAt]",
			values: ["2024-01-01 00:00:00"],
		});
		expect(
			buildStreamSql("mssql", { from: { table: "dbo.Items" }, limit: 5 }),
		).toEqual({ text: "SELECT TOP (@p0) * FROM [dbo].[Items]", values: [5] });
		expect(buildColumnsSql("mssql", { select: "SELECT a FROM t;" })).toBe(
			"SELECT TOP 0 * FROM (SELECT a FROM t) AS [src]",
		);
		expect(
			buildProfileSql("mssql", "dbo.Items", [
				{ name: "Qty", ordered: true, distinct: "value" },
			]),
		).toBe(
			"SELECT COUNT_BIG(*) AS n, COUNT_BIG([Qty]) AS c0, min([Qty]) AS lo0, max([Qty]) AS hi0, COUNT_BIG(DISTINCT [Qty]) AS d0 FROM [dbo].[Items]",
		);
	});

	it("refuses an identifier that would close its brackets", () => {
		expect(() =>
			buildStreamSql("mssql", { from: { table: "dbo.x]; drop table y --" } }),
		).toThrow(SourceError);
	});

	it("turns tedious's values into the same canonical forms as the other connectors", () => {
		const dt = Object.assign(new Date(Date.UTC(2024, 0, 5, 10, 0, 0, 250)), {
			nanosecondsDelta: 0.0000001,
		});
		expect(mssqlValue({ declaration: "decimal", scale: 2 }, 10.5)).toBe("10.5");
		expect(mssqlValue({ declaration: "numeric", scale: 4 }, 0.05)).toBe("0.05");
		expect(mssqlValue({ declaration: "money" }, 12)).toBe("12");
		expect(mssqlValue({ declaration: "bigint" }, "9007199254740993")).toBe(
			"9007199254740993",
		);
		expect(mssqlValue({ declaration: "bigint" }, "42")).toBe(42);
		expect(mssqlValue({ declaration: "bit" }, true)).toBe(true);
		expect(
			mssqlValue({ declaration: "date" }, new Date(Date.UTC(2024, 1, 29))),
		).toBe("2024-02-29");
		expect(mssqlValue({ declaration: "datetime2", scale: 7 }, dt)).toBe(
			"2024-01-05 10:00:00.2500001",
		);
		expect(
			mssqlValue(
				{ declaration: "datetime" },
				new Date(Date.UTC(2024, 0, 5, 10, 0, 0)),
			),
		).toBe("2024-01-05 10:00:00");
		expect(
			mssqlValue(
				{ declaration: "datetimeoffset" },
				new Date(Date.UTC(2024, 0, 5, 8, 0, 0)),
			),
		).toBe("2024-01-05T08:00:00Z");
		expect(
			mssqlValue(
				{ declaration: "uniqueidentifier" },
				"6F9619FF-8B86-D011-B42D-00C04FC964FF",
			),
		).toBe("6f9619ff-8b86-d011-b42d-00c04fc964ff");
		expect(
			mssqlValue({ declaration: "varbinary" }, Buffer.from([1, 2, 255])),
		).toBe("\\x0102ff");
		expect(mssqlValue({ declaration: "nvarchar" }, "Zoë")).toBe("Zoë");
		expect(mssqlValue({ declaration: "int" }, null)).toBeNull();
	});

	it("reads column metadata as mssql reports it", () => {
		const cols = mssqlColumns({
			Qty: { name: "Qty", type: { declaration: "decimal" }, scale: 3 },
			Name: { name: "Name", type: { declaration: "nvarchar" } },
		});
		expect(cols).toEqual([
			["Qty", { declaration: "decimal", scale: 3 }],
			["Name", { declaration: "nvarchar", scale: undefined }],
		]);
	});

	it("classifies login failures, missing objects, deadlocks and lost connections", () => {
		expect(classifyMssqlError({ code: "ELOGIN" })).toEqual({
			code: "source_auth",
		});
		expect(classifyMssqlError({ number: 208 })).toEqual({
			code: "source_missing_object",
		});
		expect(classifyMssqlError({ number: 1205 })).toEqual({
			code: "source_query",
			retryable: true,
		});
		expect(classifyMssqlError({ code: "ESOCKET" })).toEqual({
			code: "source_unreachable",
		});
		expect(classifyMssqlError({ code: "ETIMEOUT" })).toEqual({
			code: "source_timeout",
		});
	});

	it("answers a server that is not there with a retryable error that hides the password", async () => {
		const down = createConnector({
			...conn,
			server: "127.0.0.1",
			port: 1,
		} as typeof conn);
		const err = (await down.test().catch((e: unknown) => e)) as SourceError;
		await down.close();
		expect(err).toBeInstanceOf(SourceError);
		expect(err.retryable).toBe(true);
		expect(err.message).toMatch(/^mssql source 127\.0\.0\.1:1\/ERP /);
		expect(err.message).not.toContain("s3cret!");
	});
});
