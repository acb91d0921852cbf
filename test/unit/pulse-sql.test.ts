import { describe, expect, it } from "vitest";
import { checkMonitorSql, wrapWithRowCap } from "../../src/pulse/sql-check.ts";
import { tokenize } from "../../src/pulse/sql-tokens.ts";

const ONLY =
	"a monitor query must be a single SELECT (or WITH … SELECT) statement.";

/** [sql, the statement returned] */
const accepted: [string, string][] = [
	["select 1", "select 1"],
	[
		"SELECT order_no, total FROM orders WHERE total > 1000;",
		"SELECT order_no, total FROM orders WHERE total > 1000",
	],
	["select ';'", "select ';'"],
	["select 'it''s; fine' as note", "select 'it''s; fine' as note"],
	[`select "weird;name" from "t""q"`, `select "weird;name" from "t""q"`],
	["select $$; delete from t$$", "select $$; delete from t$$"],
	[
		"select $body$ it's $$ nested; $body$ as txt",
		"select $body$ it's $$ nested; $body$ as txt",
	],
	[
		"select E'a\\'; delete from t; --' as x",
		"select E'a\\'; delete from t; --' as x",
	],
	["-- daily margin\nselect 1 -- trailing; comment\n;\n", "select 1"],
	["/* outer /* inner ; */ still comment; */ select 1", "select 1"],
	[
		"with recent as (select * from orders where booked_at > now() - interval '1 day') select count(*) from recent",
		"with recent as (select * from orders where booked_at > now() - interval '1 day') select count(*) from recent",
	],
	[
		"with recursive r(n) as (select 1 union all select n + 1 from r where n < 5) select * from r",
		"with recursive r(n) as (select 1 union all select n + 1 from r where n < 5) select * from r",
	],
	[
		"with a as materialized (select 1), b as not materialized (select 2) (select * from a) union (select * from b)",
		"with a as materialized (select 1), b as not materialized (select 2) (select * from a) union (select * from b)",
	],
	["(select 1) union all (select 2)", "(select 1) union all (select 2)"],
	[
		"select substring(name from 1 for 3), updated_at, deleted from items where customer_id = $1",
		"select substring(name from 1 for 3), updated_at, deleted from items where customer_id = $1",
	],
	["select 1;;", "select 1"],
];

/** [sql, the exact reason] */
const refused: [string, string][] = [
	["", "The query is empty."],
	["  -- only a comment\n", "The query is empty."],
	[
		"select 1; delete from t",
		`The query holds 2 statements (the second starts at line 1, column 11); ${ONLY}`,
	],
	[
		"select ';'; select 2",
		`The query holds 2 statements (the second starts at line 1, column 13); ${ONLY}`,
	],
	[
		"insert into t values (1)",
		`The query is an INSERT statement, which changes data; ${ONLY}`,
	],
	[
		"UPDATE t SET x = 1",
		`The query is an UPDATE statement, which changes data; ${ONLY}`,
	],
	[
		"delete from t",
		`The query is a DELETE statement, which changes data; ${ONLY}`,
	],
	[
		"merge into t using s on t.id = s.id when matched then delete",
		`The query is a MERGE statement, which changes data; ${ONLY}`,
	],
	[
		"drop table orders",
		`The query is a DROP statement, which changes the schema or runs maintenance; ${ONLY}`,
	],
	[
		"create table x as select 1",
		`The query is a CREATE statement, which changes the schema or runs maintenance; ${ONLY}`,
	],
	[
		"truncate orders",
		`The query is a TRUNCATE statement, which changes the schema or runs maintenance; ${ONLY}`,
	],
	[
		"copy orders to '/tmp/x.csv'",
		`The query is a COPY statement, which reads or writes files and whole tables; ${ONLY}`,
	],
	[
		"grant all on orders to public",
		`The query is a GRANT statement, which changes permissions; ${ONLY}`,
	],
	[
		"set statement_timeout = 0",
		`The query is a SET statement, which changes session settings; ${ONLY}`,
	],
	[
		"do $$ begin delete from t; end $$",
		`The query is a DO statement, which runs other code; ${ONLY}`,
	],
	[
		"call refresh_all()",
		`The query is a CALL statement, which runs other code; ${ONLY}`,
	],
	[
		"begin",
		`The query is a BEGIN statement, which is transaction control; ${ONLY}`,
	],
	[
		"commit",
		`The query is a COMMIT statement, which is transaction control; ${ONLY}`,
	],
	[
		"explain analyze delete from t",
		`The query is an EXPLAIN statement, which is not a query (EXPLAIN ANALYZE runs the statement); ${ONLY}`,
	],
	["values (1), (2)", `The query starts with VALUES; ${ONLY}`],
	[
		"select * into backup from orders",
		`The query uses SELECT … INTO, which creates a table; ${ONLY}`,
	],
	[
		"select * from orders for update",
		`The query uses FOR UPDATE or FOR SHARE, which locks rows; ${ONLY}`,
	],
	[
		"select * from orders o for no key update of o skip locked",
		`The query uses FOR UPDATE or FOR SHARE, which locks rows; ${ONLY}`,
	],
	[
		"select * from (select * from orders for share) s",
		`The query uses FOR UPDATE or FOR SHARE, which locks rows; ${ONLY}`,
	],
	[
		"with gone as (delete from orders returning *) select * from gone",
		`The WITH clause "gone" runs DELETE, which changes data (a data-modifying CTE); ${ONLY}`,
	],
	[
		"with a as (select 1), b as materialized (update t set x = 1 returning x) select * from b",
		`The WITH clause "b" runs UPDATE, which changes data (a data-modifying CTE); ${ONLY}`,
	],
	[
		"with a as (select 1) insert into t select * from a",
		`The statement after the WITH clause is an INSERT statement, which changes data; ${ONLY}`,
	],
	[
		"with a as (with b as (delete from t returning 1) select * from b) select * from a",
		`The query runs DELETE inside parentheses, which changes data; ${ONLY}`,
	],
	[
		"select 'unterminated",
		"The query has a quoted string starting at line 1, column 8 that is never closed.",
	],
	[
		'select "open',
		"The query has a quoted identifier starting at line 1, column 8 that is never closed.",
	],
	[
		"select 1 /* /* */",
		"The query has a /* comment starting at line 1, column 10 that is never closed.",
	],
	[
		"select $x$ never closed",
		"The query has a dollar-quoted string $x$ starting at line 1, column 8 that is never closed.",
	],
	["select (1", "The query has an opening parenthesis that is never closed."],
	["select 1)", "The query has a closing parenthesis without an opening one."],
	[
		"select pg_sleep(600)",
		"The query calls pg_sleep(), which can hold the connection for as long as it likes; monitor queries may not call it.",
	],
	[
		"select pg_catalog.pg_terminate_backend(123)",
		"The query calls pg_terminate_backend(), which can control the server; monitor queries may not call it.",
	],
	[
		"select * from dblink('host=x', 'delete from t') as t(x int)",
		"The query calls dblink(), which can open another connection outside the read-only transaction; monitor queries may not call it.",
	],
	[
		"select nextval('order_seq')",
		"The query calls nextval(), which can change state; monitor queries may not call it.",
	],
	[
		"select query_to_xml('delete from t', true, false, '')",
		"The query calls query_to_xml(), which can run SQL given as a string; monitor queries may not call it.",
	],
	["'just a string'", `The query must start with SELECT or WITH; ${ONLY}`],
];

describe("monitor SQL pre-check", () => {
	it.each(accepted)("accepts %j", (sql, statement) => {
		expect(checkMonitorSql(sql)).toEqual({ ok: true, sql: statement });
	});

	it.each(refused)("refuses %j", (sql, reason) => {
		expect(checkMonitorSql(sql)).toEqual({ ok: false, reason });
	});

	it("covers at least 25 cases", () => {
		expect(accepted.length + refused.length).toBeGreaterThanOrEqual(25);
	});

	it("reports where the second statement starts on a later line", () => {
		const r = checkMonitorSql("select 1;\n  drop table orders;");
		expect(r).toEqual({
			ok: false,
			reason: `The query holds 2 statements (the second starts at line 2, column 3); ${ONLY}`,
		});
	});
});

describe("row cap wrapper", () => {
	it("asks for one row more than the cap so the caller can tell a capped result", () => {
		expect(wrapWithRowCap("select 1", 1000)).toBe(
			"select * from (\nselect 1\n) as q limit 1001",
		);
	});

	it("keeps a trailing line comment from swallowing the closing parenthesis", () => {
		const wrapped = wrapWithRowCap("select 1 -- note", 10);
		const check = checkMonitorSql(wrapped);
		expect(check.ok).toBe(true);
	});

	it("refuses a cap that is not a positive whole number", () => {
		expect(() => wrapWithRowCap("select 1", 0)).toThrow(RangeError);
		expect(() => wrapWithRowCap("select 1", 2.5)).toThrow(RangeError);
	});
});

describe("SQL tokenizer", () => {
	it("keeps positional parameters apart from dollar quotes", () => {
		const r = tokenize("select $1, $a$x$a$");
		expect("tokens" in r && r.tokens.map((t) => [t.kind, t.value])).toEqual([
			["word", "select"],
			["param", "$1"],
			["punct", ","],
			["string", "$a$x$a$"],
		]);
	});
});
