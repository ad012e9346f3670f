#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# `make run`: installs what is missing, starts PostgreSQL, creates the
# database with the three addons and their demo data on first use, and
# serves the web client in the background on http://localhost:$HTTP_PORT.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
require_odoo
ensure_python_packages "$REPO_ROOT/requirements.txt"
ensure_cjk_font
bash "$REPO_ROOT/scripts/pg.sh" start
replica_wanted && bash "$REPO_ROOT/scripts/pg.sh" replica-start

ODOO_PID_FILE="$RUN_DIR/odoo.pid"
ODOO_LOG="$RUN_DIR/odoo.log"

if [ -s "$ODOO_PID_FILE" ] && kill -0 "$(cat "$ODOO_PID_FILE")" 2>/dev/null; then
    echo "Dealer Loyalty Suite already runs at http://localhost:$HTTP_PORT (make stop to stop it)."
    exit 0
fi

# The addons' code as last installed: when it changes, the database is upgraded.
ADDONS_STAMP="$RUN_DIR/$DEALER_DB.addons.sha1"
addons_hash="$(cd "$REPO_ROOT" && find addons -type f -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-40)"
installed="$(db_tools state "$DEALER_DB")"
if [ "$installed" != "installed" ]; then
    echo "Creating database '$DEALER_DB' with $DEALER_MODULES and demo data (a few minutes the first time) ..."
    odoo_cmd -d "$DEALER_DB" -i "$DEALER_MODULES" --stop-after-init --logfile="$RUN_DIR/install.log" \
        || die "installing the addons failed: see $RUN_DIR/install.log"
    echo "$addons_hash" >"$ADDONS_STAMP"
elif [ "$(cat "$ADDONS_STAMP" 2>/dev/null)" != "$addons_hash" ]; then
    echo "The addons changed since the last start: upgrading database '$DEALER_DB' ..."
    odoo_cmd -d "$DEALER_DB" -u "$DEALER_MODULES" --stop-after-init --logfile="$RUN_DIR/install.log" \
        || die "upgrading the addons failed: see $RUN_DIR/install.log"
    echo "$addons_hash" >"$ADDONS_STAMP"
fi

echo "Starting Odoo ..."
nohup "$ODOO_PYTHON" -m odoo -c "$ODOO_CONF" --addons-path="$ADDONS_DIR" --data-dir="$RUN_DIR/data" \
    $(db_args) -d "$DEALER_DB" --db-filter="^${DEALER_DB}\$" --http-port="$HTTP_PORT" \
    --logfile="$ODOO_LOG" >/dev/null 2>&1 &
echo $! >"$ODOO_PID_FILE"

for _ in $(seq 1 120); do
    if "$ODOO_PYTHON" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/web/login', timeout=2)" 2>/dev/null; then
        echo "Dealer Loyalty Suite is up: http://localhost:$HTTP_PORT (login admin / admin)."
        echo "Logs: $ODOO_LOG. Stop everything with: make stop"
        exit 0
    fi
    kill -0 "$(cat "$ODOO_PID_FILE")" 2>/dev/null || die "Odoo stopped while starting: see $ODOO_LOG"
    sleep 1
done
die "Odoo did not answer on port $HTTP_PORT within 2 minutes: see $ODOO_LOG"
