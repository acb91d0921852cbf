-- Parquet files and Oracle join the source kinds (issue: connect your own ERP).
alter table ingest_sources drop constraint ingest_sources_kind_check;
alter table ingest_sources add constraint ingest_sources_kind_check
	check (kind in ('mssql', 'postgres', 'mysql', 'sqlite', 'csv', 'parquet', 'oracle'));
