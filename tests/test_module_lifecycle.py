# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each addon upgrades and uninstalls cleanly on a database with demo data.

`make test` copies the freshly installed test database to
$DEALER_LIFECYCLE_DB before the tests start; this test upgrades, then
uninstalls the addons there in separate Odoo processes, as an administrator
would.
"""

import os
import subprocess
import sys

import pytest

import odoo

MODULES = ["dealer_csi", "dealer_membership", "dealer_loyalty"]

UNINSTALL_SCRIPT = """
modules = env["ir.module.module"].search([("name", "in", {modules!r})])
modules.button_immediate_uninstall()
env.cr.commit()
left = env["ir.module.module"].search_count([("name", "in", {modules!r}), ("state", "!=", "uninstalled")])
models = env["ir.model"].search_count([("model", "=like", "dealer.%")])
print("LEFT", left, "MODELS", models)
"""


def _odoo(database, *args, stdin=None):
    command = [sys.executable, "-m", "odoo", *args, "-c", odoo.tools.config.rcfile, "-d", database]
    command += ["--stop-after-init", "--no-http", "--log-level=warn"]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=900, check=False)


@pytest.fixture(scope="module")
def lifecycle_db():
    database = os.environ.get("DEALER_LIFECYCLE_DB")
    if not database:
        pytest.fail("DEALER_LIFECYCLE_DB is not set: run the suite with make test")
    return database


def test_upgrade_then_uninstall(lifecycle_db):
    upgrade = _odoo(lifecycle_db, "-u", ",".join(MODULES))
    assert upgrade.returncode == 0, upgrade.stderr[-3000:]
    assert " ERROR " not in upgrade.stderr, upgrade.stderr[-3000:]

    # The odoo shell has no --no-http; run it with the plain command line.
    shell = subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "shell",
            "-c",
            odoo.tools.config.rcfile,
            "-d",
            lifecycle_db,
            "--log-level=warn",
            "--no-http",
        ],
        input=UNINSTALL_SCRIPT.format(modules=MODULES),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert shell.returncode == 0, shell.stderr[-3000:]
    assert "LEFT 0 MODELS 0" in shell.stdout, shell.stdout[-2000:] + shell.stderr[-3000:]
