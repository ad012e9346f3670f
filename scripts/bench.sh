#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# `make bench`: rebuilds the database dealer_bench (the addons without demo
# data), then runs every benchmark in tests/bench, which generates the
# dealership it needs and prints one "name: value unit" line per figure.
# BENCH="bench_dms_import" runs only the named benchmark modules.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
require_odoo
ensure_python_packages "$REPO_ROOT/requirements.txt"
bash "$REPO_ROOT/scripts/pg.sh" start
replica_wanted && bash "$REPO_ROOT/scripts/pg.sh" replica-start

BENCH_DB="${DEALER_BENCH_DB:-dealer_bench}"
db_tools drop "$BENCH_DB"
echo "Creating database '$BENCH_DB' with $DEALER_MODULES (no demo data) ..."
odoo_cmd -d "$BENCH_DB" -i "$DEALER_MODULES" --without-demo=all --stop-after-init --http-port=0 \
    --logfile="$RUN_DIR/bench-install.log" || die "installing the addons failed: see $RUN_DIR/bench-install.log"

BENCH_CONF="$RUN_DIR/$BENCH_DB.conf"
{
    cat "$ODOO_CONF"
    echo "addons_path = $ADDONS_DIR"
    echo "data_dir = $RUN_DIR/data"
    db_args | sed -e 's/^--//' -e 's/=/ = /'
} >"$BENCH_CONF"
# shellcheck disable=SC2086
"$ODOO_PYTHON" "$REPO_ROOT/tests/bench/run.py" "$BENCH_CONF" "$BENCH_DB" ${BENCH:-}
