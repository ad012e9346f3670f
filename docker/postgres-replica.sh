#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Entry point of the "db-replica" service (group profile of docker-compose.yml),
# in the postgres image: on first start, copies the primary (PRIMARY_HOST) with
# pg_basebackup as the role "replicator"; then runs it as a hot standby that
# streams every change of the primary and answers read-only queries.
set -euo pipefail
: "${ODOO_REPLICATION_PASSWORD:?is not set: the group profile needs it in .env (see README.md, Dealership groups)}"
: "${PRIMARY_HOST:?is not set}"
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
mkdir -p "$PGDATA"
chown postgres "$PGDATA"
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "Copying the primary $PRIMARY_HOST (pg_basebackup) ..."
    # The password travels in the environment; --write-recovery-conf keeps it in
    # the replica's postgresql.auto.conf (the postgres user's only).
    PGPASSWORD="$ODOO_REPLICATION_PASSWORD" gosu postgres pg_basebackup --pgdata="$PGDATA" \
        --host="$PRIMARY_HOST" --username=replicator --no-password --write-recovery-conf \
        --wal-method=stream --checkpoint=fast --progress
fi
exec gosu postgres postgres -D "$PGDATA" -c hot_standby=on
