-- 005_ingest_lookups: the salesperson and branch entities an ERP mapping can feed, and the
-- lookup tables the data-quality commands (erp-pulse clean …) fill: name variants merged onto
-- one salesperson or branch, and the compiled list of lead sources.

create table salespeople (
	source text not null,
	salesperson_id text not null,
	name text not null,
	branch text,
	hire_date date,
	term_date date,
	ingest_run_id bigint,
	loaded_at timestamptz not null default now(),
	primary key (source, salesperson_id)
);
comment on table salespeople is 'Salespeople as the ERP lists them. Written by: ingest.';

create table branches (
	source text not null,
	branch_code text not null,
	branch_name text,
	region text,
	sales_office_name text,
	ingest_run_id bigint,
	loaded_at timestamptz not null default now(),
	primary key (source, branch_code)
);
comment on table branches is 'Branches / sales offices as the ERP lists them. Written by: ingest.';

create table salesperson_aliases (
	source text not null,
	alias text not null,
	salesperson_id text not null,
	method text not null check (method in ('exact', 'normalised', 'initial', 'reordered')),
	created_at timestamptz not null default now(),
	primary key (source, alias)
);
comment on table salesperson_aliases is
	'Each salesperson name variant seen on orders or quotes, mapped to one salesperson. Written by: erp-pulse clean salespeople --execute.';

create table branch_aliases (
	source text not null,
	alias text not null,
	branch_code text not null,
	created_at timestamptz not null default now(),
	primary key (source, alias)
);
comment on table branch_aliases is
	'Each branch code or name variant seen on orders or quotes, mapped to one branch. Written by: erp-pulse clean branches --execute.';

create table lead_sources (
	name text primary key,
	quotes integer not null default 0,
	won integer not null default 0,
	first_seen date,
	last_seen date,
	updated_at timestamptz not null default now()
);
comment on table lead_sources is
	'Lead sources compiled from every quote. Written by: erp-pulse clean lead-sources --execute.';

alter table ingest_runs add column entities jsonb;
comment on column ingest_runs.entities is 'Per-entity figures of the run: read, loaded, rejected, watermark before/after.';
