#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Run once by the postgres image when it creates the database cluster
# (docker-compose.yml mounts it in /docker-entrypoint-initdb.d): the role Odoo
# connects as may create databases but is no superuser.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="$ODOO_DB_PASSWORD" <<'SQL'
CREATE ROLE odoo LOGIN CREATEDB PASSWORD :'password';
SQL
# The replica of the group profile (docker/postgres-replica.sh) streams as "replicator".
if [ -n "${ODOO_REPLICATION_PASSWORD:-}" ]; then
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="$ODOO_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator LOGIN REPLICATION PASSWORD :'password';
SQL
    echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
fi
