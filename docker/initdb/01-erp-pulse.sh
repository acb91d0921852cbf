#!/bin/sh
# Runs once, when the postgres container starts on an empty volume: the bot's login and database.
# erp_pulse owns its database and may create roles (the restricted role monitor SQL runs under),
# but is not a superuser. The password comes from ERP_PULSE_DB_PASSWORD, passed as a psql variable
# so it is quoted by psql, never pasted into the SQL text.
set -eu
psql -v ON_ERROR_STOP=1 --username postgres --dbname postgres -v pw="$ERP_PULSE_DB_PASSWORD" <<'SQL'
create role erp_pulse login createrole password :'pw';
create database erp_pulse owner erp_pulse;
SQL
