#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# `make lint`: ruff (lint and format check) and pylint-odoo's Odoo checks
# (the OCA mandatory set) on the whole repository.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_python_packages "$REPO_ROOT/requirements-lint.txt"
cd "$REPO_ROOT"
"$ODOO_PYTHON" -m ruff check .
"$ODOO_PYTHON" -m ruff format --check .
"$ODOO_PYTHON" -m pylint --rcfile=.pylintrc-mandatory addons/dealer_loyalty addons/dealer_membership addons/dealer_csi
echo "lint: clean"
