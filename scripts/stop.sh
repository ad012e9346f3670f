#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# `make stop`: stops the Odoo server and the private PostgreSQL cluster that
# `make run` started. An external PostgreSQL server is left alone.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ODOO_PID_FILE="$RUN_DIR/odoo.pid"
if [ -s "$ODOO_PID_FILE" ]; then
    pid="$(cat "$ODOO_PID_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$pid" 2>/dev/null || true
        echo "Odoo stopped."
    fi
    rm -f "$ODOO_PID_FILE"
fi
bash "$REPO_ROOT/scripts/pg.sh" stop
