/**
 * The login monitor SQL runs under. Monitor SQL connects as its own role, `erp_pulse_monitor`
 * (created by migrations/008 with SELECT on the warehouse and derived tables only), so there is no
 * more privileged role in its session to switch back to, whatever the bot's own login is (the
 * embedded default is a superuser):
 *
 * - `MONITOR_DATABASE_URL` (env, a secret): the operator's own login for it, on an external
 *   Postgres; it is checked, and refused when it could become anything more privileged;
 * - otherwise, when the bot's login may manage roles (superuser or CREATEROLE, as embedded), the
 *   bot gives the role a login, stripped of every attribute that could lift it, with a password
 *   derived from the bot's own login and server (an HMAC), so every process of one deployment —
 *   each start, each host, each database on the server — arrives at the same password and none
 *   locks the others out;
 * - otherwise the monitor connections share the bot's login and take the role with SET ROLE
 *   (safe only because that login is then no superuser); start-up and `doctor` say so.
 */
import { createHmac } from "node:crypto";
import pg from "pg";
import type { Pool } from "../../db/pool.ts";
import { AppError } from "../../errors.ts";
import { MONITOR_ROLE } from "./execute-sql.ts";

export interface MonitorLogin {
	/** The URL monitor connections use (secret: holds a password). */
	url: string;
	/** Where the login comes from. */
	source: "env" | "provisioned" | "shared";
}

/** Whether the current login is a superuser, and whether it may manage roles (superuser or CREATEROLE). */
export async function loginRights(
	pool: Pick<Pool, "query">,
): Promise<{ superuser: boolean; manage: boolean }> {
	const { rows } = await pool.query<{ superuser: boolean; manage: boolean }>(
		"select rolsuper as superuser, rolsuper or rolcreaterole as manage from pg_roles where rolname = current_user",
	);
	return rows[0] ?? { superuser: false, manage: false };
}

/** Works out (and where it may, provisions) the monitor login. */
export async function monitorLogin(
	pool: Pick<Pool, "query">,
	botUrl: string,
	opts: { env: NodeJS.ProcessEnv },
): Promise<MonitorLogin> {
	const given = opts.env.MONITOR_DATABASE_URL;
	if (given) {
		const problems = await monitorLoginProblems(given);
		if (problems.length > 0)
			throw new AppError(
				"config_invalid",
				`MONITOR_DATABASE_URL: ${problems.join("; ")}. Fix: log in as a role with no attributes and no role memberships that has SELECT on the warehouse tables (grant erp_pulse_monitor to it, or use erp_pulse_monitor itself).`,
			);
		return { url: given, source: "env" };
	}
	const rights = await loginRights(pool);
	if (!rights.manage) return { url: botUrl, source: "shared" };
	const password = derivedPassword(botUrl);
	// Only a superuser may even clear SUPERUSER, REPLICATION and BYPASSRLS; a CREATEROLE login
	// cannot have set them, and the check below confirms they are clear.
	// Postgres 16+ lets only a CREATEDB role touch CREATEDB, even to clear it: clear it only when set.
	const { rows: role } = await pool.query<{ createdb: boolean }>(
		"select rolcreatedb as createdb from pg_roles where rolname = $1",
		[MONITOR_ROLE],
	);
	const attrs = rights.superuser
		? "login nosuperuser nocreatedb nocreaterole noreplication nobypassrls noinherit"
		: `login${role[0]?.createdb ? " nocreatedb" : ""} nocreaterole noinherit`;
	const { rows: stmt } = await pool.query<{ sql: string }>(
		`select format('alter role %I with ${attrs} password %L', $1::text, $2::text) as sql`,
		[MONITOR_ROLE, password],
	);
	await alterRole(pool, stmt[0]?.sql ?? "");
	const url = new URL(botUrl);
	url.username = MONITOR_ROLE;
	url.password = password;
	const problems = await monitorLoginProblems(url.toString());
	if (problems.length > 0)
		throw new AppError(
			"config_invalid",
			`The monitor role cannot be used for monitor SQL: ${problems.join("; ")}. Fix: as a superuser, revoke those (alter role ${MONITOR_ROLE} nosuperuser …; revoke … from ${MONITOR_ROLE}), or set MONITOR_DATABASE_URL to a login without them.`,
		);
	return { url: url.toString(), source: "provisioned" };
}

/**
 * What would let a monitor login do more than read: role attributes that lift it, or membership
 * of another role it could switch to. Empty when it is safe. Connects once with `url`.
 */
export async function monitorLoginProblems(url: string): Promise<string[]> {
	return withConnection(url, (c) => roleProblems(c, null));
}

/** The same, for the role `erp_pulse_monitor`, seen from any login (for `doctor`). */
export async function monitorRoleProblems(url: string): Promise<string[]> {
	return withConnection(url, (c) => roleProblems(c, MONITOR_ROLE));
}

async function withConnection<T>(
	url: string,
	fn: (c: pg.Client) => Promise<T>,
): Promise<T> {
	const client = new pg.Client({
		connectionString: url,
		connectionTimeoutMillis: 10_000,
	});
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** Problems of the role `name` (null: the session's login). */
async function roleProblems(
	client: pg.Client,
	name: string | null,
): Promise<string[]> {
	const { rows } = await client.query<{
		name: string;
		attrs: string[];
		member_of: string[];
	}>(
		`select r.rolname as name,
		        array_remove(array[
		          case when r.rolsuper then 'superuser' end,
		          case when r.rolcreaterole then 'createrole' end,
		          case when r.rolcreatedb then 'createdb' end,
		          case when r.rolreplication then 'replication' end,
		          case when r.rolbypassrls then 'bypassrls' end], null) as attrs,
		        coalesce((select array_agg(g.rolname::text order by g.rolname)
		                    from pg_auth_members m join pg_roles g on g.oid = m.roleid
		                   where m.member = r.oid and g.rolname <> $1), '{}') as member_of
		   from pg_roles r where r.rolname = coalesce($2, session_user)`,
		[MONITOR_ROLE, name],
	);
	const r = rows[0];
	if (!r) return [`the role ${name ?? "of the login"} does not exist`];
	const problems: string[] = [];
	if (r.attrs.length > 0)
		problems.push(`the role ${r.name} has ${r.attrs.join(", ")}`);
	if (r.member_of.length > 0)
		problems.push(
			`the role ${r.name} can switch to ${r.member_of.join(", ")} (it is a member)`,
		);
	return problems;
}

/**
 * Roles are cluster-wide: bots starting together (or on other databases of the same cluster)
 * may alter the role at the same moment, which Postgres refuses with "tuple concurrently
 * updated". The statement is idempotent, so it is simply tried again.
 */
async function alterRole(
	pool: Pick<Pool, "query">,
	sql: string,
): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			await pool.query(sql);
			return;
		} catch (err) {
			if (
				attempt >= 10 ||
				!/tuple concurrently updated/.test(String((err as Error).message))
			)
				throw err;
			await new Promise((r) => setTimeout(r, 50 * attempt));
		}
	}
}

/**
 * The monitor login's password: an HMAC keyed by the bot's own credentials and server (so
 * whoever can compute it could already log in as the bot). Not by the database name: the role
 * belongs to the whole server, and bots of two databases on one server must not set it to two
 * passwords in turn, each locking the other out.
 */
function derivedPassword(botUrl: string): string {
	const u = new URL(botUrl);
	const key = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}@${u.hostname}:${u.port || "5432"}`;
	return createHmac("sha256", key)
		.update(`${MONITOR_ROLE} login`)
		.digest("hex")
		.slice(0, 48);
}
