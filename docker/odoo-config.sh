#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Prints the Odoo configuration of the production services: docker/odoo.conf,
# the master password from ODOO_MASTER_PASSWORD (refused when missing), and no
# demo data unless DEALER_DEMO=1. Run by docker/odoo-entrypoint.sh, and by the
# tests to check what a deployment gets.
set -euo pipefail
: "${ODOO_MASTER_PASSWORD:?is not set: copy .env.example to .env and fill it in (see README.md)}"
case "$ODOO_MASTER_PASSWORD" in
*$'\n'* | *$'\r'*) echo "ODOO_MASTER_PASSWORD must be a single line" >&2 && exit 1 ;;
esac
cat "$(dirname "${BASH_SOURCE[0]}")/odoo.conf"
printf 'admin_passwd = %s\n' "$ODOO_MASTER_PASSWORD"
case "${DEALER_DEMO:-0}" in
1 | true | True | yes) ;;
*) echo "without_demo = all" ;;
esac
