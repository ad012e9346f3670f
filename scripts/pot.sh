#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# `make pot`: rewrites each addon's i18n/<addon>.pot from the test database
# that `make test` installed (run `make test` first). Translators then
# update i18n/et.po, ru.po and zh_CN.po; the translation test checks both.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
require_odoo
bash "$REPO_ROOT/scripts/pg.sh" start
for module in ${DEALER_MODULES//,/ }; do
    odoo_cmd -d "$DEALER_TEST_DB" --i18n-export="$ADDONS_DIR/$module/i18n/$module.pot" --modules="$module" \
        --stop-after-init --http-port=0 --logfile="$RUN_DIR/pot.log"
    echo "wrote addons/$module/i18n/$module.pot"
done
