#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Entry point of the Odoo services of docker-compose.yml, in the odoo:18 image.
# Writes Odoo's configuration (docker/odoo-config.sh) where only the container
# reads it, then hands over to the image's entrypoint, which adds the database
# connection (HOST, PORT, USER, PASSWORD).
#   init     create the database "dealer" with the addons, or install those
#            missing; on a new database, set the admin user's password to
#            ODOO_ADMIN_PASSWORD
#   upgrade  upgrade the addons in the database (after updating the code)
#   serve    run the server (workers, cron, websocket)
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
MODULES="dealer_loyalty,dealer_membership,dealer_csi"
export ODOO_RC=/tmp/odoo.conf
(umask 077 && bash "$here/odoo-config.sh" >"$ODOO_RC")

command="${1:-serve}"
shift || true
case "$command" in
init)
    : "${ODOO_ADMIN_PASSWORD:?is not set: copy .env.example to .env and fill it in (see README.md)}"
    # --init installs only the modules that are not installed yet.
    /entrypoint.sh odoo --init="$MODULES" --stop-after-init --no-http "$@"
    /entrypoint.sh odoo shell --no-http --log-level=warn <"$here/set_admin_password.py"
    ;;
upgrade)
    /entrypoint.sh odoo --update="$MODULES" --stop-after-init --no-http "$@"
    ;;
serve)
    exec /entrypoint.sh odoo "$@"
    ;;
*)
    echo "usage: odoo-entrypoint.sh init|upgrade|serve [ODOO OPTIONS]" >&2
    exit 2
    ;;
esac
