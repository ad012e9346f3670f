#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# `make test`: rebuilds the test database from scratch, installs the three
# addons with Odoo's install-time checks (at_install tests, view validation),
# then runs every test of the addons and of tests/ with pytest-odoo,
# browser tours included. Extra arguments go to pytest, e.g.
#   make test PYTEST_ARGS="-k test_segment"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
require_odoo
ensure_python_packages "$REPO_ROOT/requirements.txt"
ensure_cjk_font
ensure_python_packages "$REPO_ROOT/requirements-test.txt"
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && ! command -v google-chrome >/dev/null; then
    [ "$(id -u)" = 0 ] || die "browser tours need Chromium: install Debian's 'chromium' package (sudo apt-get install chromium)."
    echo "Installing Debian's chromium for the browser tours ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
bash "$REPO_ROOT/scripts/pg.sh" start

INSTALL_LOG="$RUN_DIR/$DEALER_TEST_DB-install.log"
echo "Rebuilding database '$DEALER_TEST_DB' and installing $DEALER_MODULES with install-time tests ..."
db_tools drop "$DEALER_TEST_DB"
install_status=0
odoo_cmd -d "$DEALER_TEST_DB" -i "$DEALER_MODULES" --test-enable \
    --test-tags="at_install/dealer_loyalty,at_install/dealer_membership,at_install/dealer_csi" \
    --stop-after-init --http-port=0 --logfile="$INSTALL_LOG" --log-level=test || install_status=$?
if [ "$install_status" != 0 ] || grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$INSTALL_LOG" >/dev/null; then
    grep -E -A20 "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$INSTALL_LOG" | head -n 80 >&2 || true
    die "installing the addons failed (exit $install_status): see $INSTALL_LOG"
fi
grep -E "odoo.tests.result: |tests when loading database" "$INSTALL_LOG" | tail -n 2 || true

# The module lifecycle test upgrades and uninstalls the addons on this copy.
export DEALER_LIFECYCLE_DB="${DEALER_TEST_DB}_lifecycle"
db_tools copy "$DEALER_TEST_DB" "$DEALER_LIFECYCLE_DB"
# The replica test serves this copy from a streaming replica of the cluster.
export DEALER_REPLICA_DB="${DEALER_TEST_DB}_replica"
db_tools copy "$DEALER_TEST_DB" "$DEALER_REPLICA_DB"

TEST_CONF="$RUN_DIR/$DEALER_TEST_DB.conf"
{
    cat "$ODOO_CONF"
    echo "addons_path = $ADDONS_DIR"
    echo "data_dir = $RUN_DIR/data"
    echo "db_name = $DEALER_TEST_DB"
    echo "test_enable = True"
    db_args | sed -e 's/^--//' -e 's/=/ = /'
} >"$TEST_CONF"

cd "$REPO_ROOT"
# shellcheck disable=SC2086
PYTHONPATH="$REPO_ROOT/tests${PYTHONPATH:+:$PYTHONPATH}" exec "$ODOO_PYTHON" -m pytest -c tests/pytest.ini --rootdir="$REPO_ROOT" --odoo-config="$TEST_CONF" \
    --odoo-database="$DEALER_TEST_DB" --odoo-http ${PYTEST_ARGS:-}
