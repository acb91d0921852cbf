/**
 * The SQLite side of the demo ERP: schema in the ERP's own naming, batched prepared inserts.
 *
 * Uses Node's built-in `node:sqlite` (DatabaseSync), not the `sqlite3` npm package: no native
 * addon to build, synchronous prepared statements are fast for bulk writes, and readers can open
 * the file with `readOnly: true`.
 *
 * Byte-identical output needs: a fixed page size, no journal, rows inserted in a deterministic
 * order, indexes built once at the end, and nothing time-dependent in the file.
 */
import {
	DatabaseSync,
	type SQLInputValue,
	type StatementSync,
} from "node:sqlite";

const TABLES = `
CREATE TABLE SYS_BRANCH (
  BranchCode TEXT NOT NULL PRIMARY KEY, BranchName TEXT NOT NULL, Region TEXT NOT NULL, SalesOffice TEXT NOT NULL);
CREATE TABLE HR_SALESREP (
  RepId INTEGER NOT NULL PRIMARY KEY, RepName TEXT NOT NULL, BranchCode TEXT NOT NULL, HireDate TEXT NOT NULL, TermDate TEXT);
CREATE TABLE AR_CUSTOMER (
  CustNo TEXT NOT NULL PRIMARY KEY, CustName TEXT NOT NULL, Industry TEXT NOT NULL, Region TEXT NOT NULL,
  SalesOffice TEXT NOT NULL, BranchCode TEXT NOT NULL, CreatedDate TEXT NOT NULL, CreditLimit REAL NOT NULL,
  Status TEXT NOT NULL, ChurnDate TEXT);
CREATE TABLE IC_ITEM (
  ItemNo TEXT NOT NULL PRIMARY KEY, Description TEXT NOT NULL, Category TEXT NOT NULL, UOM TEXT NOT NULL,
  UnitCost REAL NOT NULL, ListPrice REAL NOT NULL, LeadTimeDays INTEGER NOT NULL, LeadTimeStdDays INTEGER NOT NULL,
  StorageCostPct REAL NOT NULL, OrderCost REAL NOT NULL, ActiveFlag TEXT NOT NULL, LaunchDate TEXT NOT NULL);
CREATE TABLE SLS_INVOICE_HDR (
  InvoiceNo TEXT NOT NULL PRIMARY KEY, InvoiceDate TEXT NOT NULL, CustNo TEXT NOT NULL, SalesRepName TEXT,
  BranchCode TEXT, DocType TEXT NOT NULL, Currency TEXT NOT NULL, PostedAt TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE SLS_INVOICE_LIN (
  InvoiceNo TEXT NOT NULL, LineNo INTEGER NOT NULL, ItemNo TEXT NOT NULL, QtyCases REAL NOT NULL,
  UnitPrice REAL NOT NULL, ExtPrice REAL NOT NULL, ExtCost REAL NOT NULL, DiscountPct REAL NOT NULL,
  PRIMARY KEY (InvoiceNo, LineNo)) WITHOUT ROWID;
CREATE TABLE IC_STOCK_SNAPSHOT (
  SnapshotDate TEXT NOT NULL, ItemNo TEXT NOT NULL, Warehouse TEXT NOT NULL, OnHandQty REAL NOT NULL,
  OnOrderQty REAL NOT NULL, PRIMARY KEY (SnapshotDate, ItemNo, Warehouse)) WITHOUT ROWID;
CREATE TABLE CRM_QUOTE (
  QuoteNo TEXT NOT NULL PRIMARY KEY, QuoteDate TEXT NOT NULL, CustNo TEXT NOT NULL, SalesRepName TEXT,
  QuoteAmount REAL NOT NULL, Status TEXT NOT NULL, CloseDate TEXT, LeadSource TEXT, InvoiceNo TEXT);
`;

/** Built after the bulk load: cheaper than maintaining them row by row. */
const INDEXES = `
CREATE INDEX IX_SLS_INVOICE_HDR_InvoiceDate ON SLS_INVOICE_HDR (InvoiceDate);
CREATE INDEX IX_SLS_INVOICE_HDR_PostedAt ON SLS_INVOICE_HDR (PostedAt);
CREATE INDEX IX_SLS_INVOICE_HDR_CustNo ON SLS_INVOICE_HDR (CustNo);
CREATE INDEX IX_CRM_QUOTE_QuoteDate ON CRM_QUOTE (QuoteDate);
CREATE INDEX IX_CRM_QUOTE_CustNo ON CRM_QUOTE (CustNo);
CREATE INDEX IX_AR_CUSTOMER_BranchCode ON AR_CUSTOMER (BranchCode);
`;

export const TABLE_NAMES = [
	"SYS_BRANCH",
	"HR_SALESREP",
	"AR_CUSTOMER",
	"IC_ITEM",
	"SLS_INVOICE_HDR",
	"SLS_INVOICE_LIN",
	"IC_STOCK_SNAPSHOT",
	"CRM_QUOTE",
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** Collects rows and writes them with one multi-row INSERT per `rowsPerStatement` rows. */
export class BatchInserter {
	private readonly one: StatementSync;
	private readonly many: StatementSync;
	private readonly width: number;
	private readonly buf: SQLInputValue[];
	private used = 0;
	rows = 0;

	constructor(
		db: DatabaseSync,
		table: TableName,
		width: number,
		rowsPerStatement = 32,
	) {
		const row = `(${new Array(width).fill("?").join(",")})`;
		this.one = db.prepare(`INSERT INTO ${table} VALUES ${row}`);
		this.many = db.prepare(
			`INSERT INTO ${table} VALUES ${new Array(rowsPerStatement).fill(row).join(",")}`,
		);
		this.width = width;
		this.buf = new Array<SQLInputValue>(width * rowsPerStatement);
	}

	add(values: readonly SQLInputValue[]): void {
		const buf = this.buf;
		for (let k = 0; k < this.width; k++) buf[this.used++] = values[k] ?? null;
		this.rows++;
		if (this.used === buf.length) {
			this.many.run(...buf);
			this.used = 0;
		}
	}

	/** Writes rows still buffered (one statement each). */
	flush(): void {
		for (let start = 0; start < this.used; start += this.width)
			this.one.run(...this.buf.slice(start, start + this.width));
		this.used = 0;
	}
}

export interface ErpTables {
	db: DatabaseSync;
	branches: BatchInserter;
	reps: BatchInserter;
	customers: BatchInserter;
	items: BatchInserter;
	headers: BatchInserter;
	lines: BatchInserter;
	snapshots: BatchInserter;
	quotes: BatchInserter;
}

/** Creates the schema in a new file and opens a transaction. */
export function createErpFile(file: string): ErpTables {
	// Defensive mode (Node's default) refuses journal_mode = OFF; this is our own temp file.
	const db = new DatabaseSync(file, { defensive: false });
	db.exec(
		"PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -4000;",
	);
	db.exec("PRAGMA temp_store = FILE; PRAGMA locking_mode = EXCLUSIVE;");
	db.exec(TABLES);
	db.exec("BEGIN");
	return {
		db,
		branches: new BatchInserter(db, "SYS_BRANCH", 4, 1),
		reps: new BatchInserter(db, "HR_SALESREP", 5, 1),
		customers: new BatchInserter(db, "AR_CUSTOMER", 10, 8),
		items: new BatchInserter(db, "IC_ITEM", 12, 8),
		headers: new BatchInserter(db, "SLS_INVOICE_HDR", 8),
		lines: new BatchInserter(db, "SLS_INVOICE_LIN", 8),
		snapshots: new BatchInserter(db, "IC_STOCK_SNAPSHOT", 5),
		quotes: new BatchInserter(db, "CRM_QUOTE", 9),
	};
}

function flushAll(t: ErpTables): void {
	for (const b of [
		t.branches,
		t.reps,
		t.customers,
		t.items,
		t.headers,
		t.lines,
		t.snapshots,
		t.quotes,
	])
		b.flush();
}

/** Commits what is written so far and opens the next transaction. */
export function checkpoint(t: ErpTables): void {
	flushAll(t);
	t.db.exec("COMMIT; BEGIN");
}

/** Writes the rest, builds the indexes and closes the file. */
export function finishErpFile(t: ErpTables): void {
	flushAll(t);
	t.db.exec("COMMIT");
	t.db.exec(INDEXES);
	t.db.close();
}
