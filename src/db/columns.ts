/** What the database says about a table's columns: names, types and their comments. */
import type { Pool } from "./pool.ts";

export interface ColumnInfo {
	column: string;
	/** As Postgres prints it: "numeric(18,4)", "text". */
	type: string;
	/** The column's comment (migrations write one per column), or null. */
	meaning: string | null;
}

/** The columns of a table of the bot's database, in no particular order. */
export async function tableColumns(
	pool: Pick<Pool, "query">,
	table: string,
): Promise<ColumnInfo[]> {
	const { rows } = await pool.query<ColumnInfo>(
		`select a.attname as column, format_type(a.atttypid, a.atttypmod) as type,
			col_description(a.attrelid, a.attnum) as meaning
		from pg_attribute a
		where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
		[table],
	);
	return rows;
}
