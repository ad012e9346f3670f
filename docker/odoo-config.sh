#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Prints the Odoo configuration of the production services: docker/odoo.conf,
# the master password from ODOO_MASTER_PASSWORD (refused when missing), and no
# demo data unless DEALER_DEMO=1, the replica DEALER_DB_REPLICA_HOST when set and
# DEALER_CRON_THREADS cron threads (1). Run by docker/odoo-entrypoint.sh, and by
# the tests to check what a deployment gets.
set -euo pipefail
: "${ODOO_MASTER_PASSWORD:?is not set: copy .env.example to .env and fill it in (see README.md)}"
case "$ODOO_MASTER_PASSWORD" in
*$'\n'* | *$'\r'*) echo "ODOO_MASTER_PASSWORD must be a single line" >&2 && exit 1 ;;
esac
case "${DEALER_CRON_THREADS:-1}" in
"" | *[!0-9]*) echo "DEALER_CRON_THREADS must be a number" >&2 && exit 1 ;;
esac
case "${DEALER_DB_REPLICA_HOST:-}" in
*[!A-Za-z0-9._-]*) echo "DEALER_DB_REPLICA_HOST must be a host name" >&2 && exit 1 ;;
esac
# One service runs the scheduled jobs; the others of a group set DEALER_CRON_THREADS=0.
sed -e "s/^max_cron_threads = .*/max_cron_threads = ${DEALER_CRON_THREADS:-1}/" "$(dirname "${BASH_SOURCE[0]}")/odoo.conf"
printf 'admin_passwd = %s\n' "$ODOO_MASTER_PASSWORD"
if [ -n "${DEALER_DB_REPLICA_HOST:-}" ]; then
    # Read-only cursors (analyses, dashboards, reports) on the replica.
    printf 'db_replica_host = %s\ndb_replica_port = 5432\n' "$DEALER_DB_REPLICA_HOST"
fi
case "${DEALER_DEMO:-0}" in
1 | true | True | yes) ;;
*) echo "without_demo = all" ;;
esac
