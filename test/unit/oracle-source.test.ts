import { describe, expect, it } from "vitest";
import { sourceConnectionSchema } from "../../src/sources/config.ts";
import { SourceError } from "../../src/sources/errors.ts";
import { createConnector } from "../../src/sources/index.ts";
import {
	ORACLE_COLUMNS_SQL,
	ORACLE_LIST_TABLES_SQL,
} from "../../src/sources/oracle.ts";
import {
	classifyOracleError,
	ORACLE_SESSION_SQL,
	oracleValue,
} from "../../src/sources/oracle-values.ts";
import {
	buildColumnsSql,
	buildProfileSql,
	buildStreamSql,
} from "../../src/sources/sql.ts";

/**
 * No Oracle server can run on these machines: these tests cover what can be checked without one —
 * the SQL the connector sends, how fetched values become canonical ones, how errors are classified,
 * and the real driver (node-oracledb Thin) refusing a connection. Streaming from a live server is
 * not verified (see the README).
 */
describe("the Oracle connector's SQL", () => {
	it("binds the watermark as :1, orders by it, and leaves plain names unquoted so they match Oracle's upper-case names", () => {
		expect(
			buildStreamSql("oracle", {
				from: { table: "ERP.SLS_INVOICE_LIN" },
				watermark: { column: "PostedAt", after: "2024-01-01 00:00:00" },
			}),
		).toEqual({
			text: "SELECT * FROM ERP.SLS_INVOICE_LIN WHERE PostedAt > :1 ORDER BY PostedAt",
			values: ["2024-01-01 00:00:00"],
		});
		expect(
			buildStreamSql("oracle", { from: { table: "Order Lines" }, limit: 5 }),
		).toEqual({
			text: 'SELECT * FROM "Order Lines" FETCH FIRST :1 ROWS ONLY',
			values: [5],
		});
	});

	it("wraps a mapping's SELECT as a derived table without AS (Oracle has none for table aliases)", () => {
		expect(
			buildStreamSql("oracle", {
				from: {
					select:
						"SELECT l.*, h.INVOICEDATE FROM LIN l JOIN HDR h ON h.INVNO = l.INVNO;",
				},
				limit: 200,
			}).text,
		).toBe(
			"SELECT * FROM (SELECT l.*, h.INVOICEDATE FROM LIN l JOIN HDR h ON h.INVNO = l.INVNO) src FETCH FIRST :1 ROWS ONLY",
		);
		expect(buildColumnsSql("oracle", { table: "ERP.IC_ITEM" })).toBe(
			"SELECT * FROM ERP.IC_ITEM WHERE 1 = 0",
		);
		expect(
			buildProfileSql("oracle", "ERP.IC_ITEM", [
				{ name: "ITEMNO", ordered: true, distinct: "value" },
			]),
		).toBe(
			"SELECT count(*) AS n, count(ITEMNO) AS c0, min(ITEMNO) AS lo0, max(ITEMNO) AS hi0, count(DISTINCT ITEMNO) AS d0 FROM ERP.IC_ITEM",
		);
	});

	it("lists tables and views from the ALL_ dictionary views outside Oracle's own schemas, with bind variables for names", () => {
		expect(ORACLE_LIST_TABLES_SQL).toMatch(/FROM all_tables/);
		expect(ORACLE_LIST_TABLES_SQL).toMatch(/FROM all_views/);
		expect(ORACLE_LIST_TABLES_SQL).toMatch(/oracle_maintained = 'N'/);
		expect(ORACLE_COLUMNS_SQL).toMatch(
			/FROM all_tab_columns\s+WHERE owner = COALESCE\(:1, SYS_CONTEXT\('USERENV', 'CURRENT_SCHEMA'\)\) AND table_name = :2/,
		);
		expect(ORACLE_SESSION_SQL.join(" ")).toContain(
			"NLS_DATE_FORMAT = 'YYYY-MM-DD HH24:MI:SS'",
		);
		expect(ORACLE_SESSION_SQL.join(" ")).toContain("TIME_ZONE = '+00:00'");
	});
});

describe("Oracle values", () => {
	it("reads NUMBER text exactly: whole numbers of a NUMBER(p,0) as numbers, the rest as decimal strings", () => {
		expect(oracleValue({ dbTypeName: "NUMBER", scale: 0 }, "42")).toBe(42);
		expect(
			oracleValue({ dbTypeName: "NUMBER", scale: 0 }, "9007199254740993"),
		).toBe("9007199254740993");
		expect(oracleValue({ dbTypeName: "NUMBER", scale: 2 }, "10.50")).toBe(
			"10.5",
		);
		expect(oracleValue({ dbTypeName: "NUMBER", scale: -127 }, ".05")).toBe(
			"0.05",
		);
		expect(
			oracleValue({ dbTypeName: "NUMBER", scale: 2 }, "-1234567890123456.78"),
		).toBe("-1234567890123456.78");
	});

	it("reads DATE and TIMESTAMP as wall clocks and the zoned timestamps as UTC instants", () => {
		expect(oracleValue({ dbTypeName: "DATE" }, "2024-01-31 00:00:00")).toBe(
			"2024-01-31 00:00:00",
		);
		expect(
			oracleValue({ dbTypeName: "TIMESTAMP" }, "2024-01-31 13:45:00.120000000"),
		).toBe("2024-01-31 13:45:00.12");
		expect(
			oracleValue(
				{ dbTypeName: "TIMESTAMP WITH TIME ZONE" },
				"2024-01-31 13:45:00.000000000 +02:00",
			),
		).toBe("2024-01-31T11:45:00Z");
		expect(
			oracleValue(
				{ dbTypeName: "TIMESTAMP WITH LOCAL TIME ZONE" },
				"2024-01-31 11:45:00.500000000",
			),
		).toBe("2024-01-31T11:45:00.5Z");
	});

	it("keeps text, floats and nulls, and writes RAW as hex", () => {
		expect(oracleValue({ dbTypeName: "VARCHAR2" }, "Müller")).toBe("Müller");
		expect(oracleValue({ dbTypeName: "BINARY_DOUBLE" }, 0.25)).toBe(0.25);
		expect(oracleValue({ dbTypeName: "RAW" }, Buffer.from([1, 2, 255]))).toBe(
			"\\x0102ff",
		);
		expect(oracleValue({ dbTypeName: "NUMBER" }, null)).toBeNull();
	});
});

describe("Oracle errors", () => {
	it("tells a bad login, a missing table, a dropped connection and a deadlock apart", () => {
		expect(
			classifyOracleError({
				errorNum: 1017,
				message: "ORA-01017: invalid credential or not authorized",
			}),
		).toEqual({ code: "source_auth" });
		expect(
			classifyOracleError({
				message: "ORA-00942: table or view does not exist",
			}),
		).toEqual({ code: "source_missing_object" });
		expect(
			classifyOracleError({
				code: "NJS-503",
				message:
					"NJS-503: connection to host 127.0.0.1 port 1521 could not be established",
			}),
		).toEqual({ code: "source_unreachable" });
		expect(classifyOracleError({ errorNum: 60 })).toEqual({
			code: "source_query",
			retryable: true,
		});
		expect(classifyOracleError({ errorNum: 1013 })).toEqual({
			code: "source_timeout",
		});
		expect(
			classifyOracleError({
				errorNum: 907,
				message: "ORA-00907: missing right parenthesis",
			}),
		).toEqual({ code: "source_query" });
	});

	it("gives a retryable error without the password when nothing listens (the real Thin driver)", async () => {
		const conn = createConnector(
			sourceConnectionSchema.parse({
				kind: "oracle",
				host: "127.0.0.1",
				port: 1,
				service: "ORCLPDB1",
				user: "erp_reader",
				password: "s3cret-Pa55",
			}),
		);
		const err = await conn.test().then(
			() => undefined,
			(e: unknown) => e,
		);
		await conn.close();
		expect(err).toBeInstanceOf(SourceError);
		expect(err).toMatchObject({ code: "source_unreachable", retryable: true });
		expect((err as Error).message).toMatch(
			/^oracle source 127\.0\.0\.1:1\/ORCLPDB1 as erp_reader cannot be reached: /,
		);
		expect((err as Error).message).not.toContain("s3cret-Pa55");
	}, 30_000);

	it("refuses a connection without connectString or host and service, saying what to give", () => {
		const r = sourceConnectionSchema.safeParse({
			kind: "oracle",
			host: "db",
			user: "u",
			password: "p",
		});
		expect(r.success).toBe(false);
		expect(r.error?.issues[0]?.message).toBe(
			'give connectString ("host:1521/SERVICE") or host and service',
		);
	});
});
