# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each addon upgrades and uninstalls cleanly on a database with data.

`make test` copies the freshly installed test database (demo data) to
$DEALER_LIFECYCLE_DB before the tests start; this test fills the tables the
demo data leaves empty, so that every table of the addons holds rows, then
upgrades and uninstalls the addons there in separate Odoo processes, as an
administrator would. The upgrade must keep every row, and drop and re-create
the SQL views of the analyses (CREATE OR REPLACE VIEW cannot change a
column's type or remove one, so a view changed by a new release would fail to
upgrade).
"""

import json
import os
import subprocess
import sys

import pytest

import odoo

MODULES = ["dealer_csi", "dealer_membership", "dealer_loyalty"]

# Run in `odoo shell`: the addons' tables (models and many2many relations) and
# SQL views; with "fill", the empty tables get rows first. Prints one line:
# SNAPSHOT {"rows": {table: count}, "views": {view: oid}}.
SNAPSHOT_SCRIPT = """
import json

from odoo import fields

MODULES = {modules!r}
tables, views, relations = set(), set(), []
for name, model in env.registry.items():
    if model._abstract or model._transient:
        continue
    if model._original_module in MODULES and model._table_query is None:
        (tables if model._auto else views).add(model._table)
    for field in model._fields.values():
        if (field.type == "many2many" and field.store and field._module in MODULES
                and not env[field.comodel_name]._transient):
            tables.add(field.relation)
            relations.append((name, field.name, field.relation))

def count(table):
    env.cr.execute(f'SELECT count(*) FROM "{{table}}"')
    return env.cr.fetchone()[0]

if {fill!r}:
    # What the demo data leaves empty: vouchers, bookings and some many2many relations.
    if not count("dealer_membership_voucher"):
        card = env["dealer.membership.card"].search([("state", "=", "active")], limit=1)
        reward = env["dealer.membership.reward"].search([], limit=1)
        env["dealer.membership.voucher"]._dealer_issue(card, reward)
    # And the bookings of the customers' booking page.
    if not count("dealer_service_booking"):
        Booking = env["dealer.service.booking"]
        reminder = env["dealer.loyalty.reminder"].search(
            [("program_type", "in", ["service", "inspection"]), ("vehicle_id", "!=", False)], limit=1)
        day, parts = Booking._dealer_free_days(reminder.company_id)[0]
        Booking._dealer_request(reminder, day, parts[0], "Lifecycle")
    for name, field_name, relation in relations:
        if not count(relation):
            record = env[name].search([], limit=1)
            comodel = record._fields[field_name].comodel_name
            domain = [("company_id", "in", [record.company_id.id, False])] if "company_id" in env[comodel] else []
            record[field_name] = env[comodel].search(domain, limit=1)
    env.flush_all()
    env.cr.commit()

env.cr.execute("SELECT relname, oid FROM pg_class WHERE relkind IN ('v', 'm') AND relname IN %s", [tuple(views)])
view_oids = dict(env.cr.fetchall())
print("SNAPSHOT", json.dumps({{"rows": {{table: count(table) for table in sorted(tables)}}, "views": view_oids}}))
"""

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


def _shell(database, script):
    # The odoo shell has no --no-http; run it with the plain command line.
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "shell",
            "-c",
            odoo.tools.config.rcfile,
            "-d",
            database,
            "--log-level=warn",
            "--no-http",
        ],
        input=script,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _snapshot(database, fill=False):
    shell = _shell(database, SNAPSHOT_SCRIPT.format(modules=MODULES, fill=fill))
    assert shell.returncode == 0, shell.stderr[-3000:]
    lines = [line for line in shell.stdout.splitlines() if line.startswith("SNAPSHOT ")]
    assert lines, shell.stdout[-2000:] + shell.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("SNAPSHOT "))


def test_upgrade_then_uninstall(lifecycle_db):
    before = _snapshot(lifecycle_db, fill=True)
    empty = [table for table, rows in before["rows"].items() if not rows]
    assert not empty, f"tables without data: extend the filling of SNAPSHOT_SCRIPT for {empty}"
    assert before["views"], "the analyses' SQL views are missing"

    upgrade = _odoo(lifecycle_db, "-u", ",".join(MODULES))
    assert upgrade.returncode == 0, upgrade.stderr[-3000:]
    assert " ERROR " not in upgrade.stderr, upgrade.stderr[-3000:]

    after = _snapshot(lifecycle_db)
    assert after["rows"] == before["rows"], "the upgrade lost or added rows"
    assert after["views"].keys() == before["views"].keys(), "a SQL view is gone after the upgrade"
    kept = [view for view, oid in after["views"].items() if before["views"][view] == oid]
    assert not kept, f"SQL views not dropped and re-created on upgrade: {kept}"

    shell = _shell(lifecycle_db, UNINSTALL_SCRIPT.format(modules=MODULES))
    assert shell.returncode == 0, shell.stderr[-3000:]
    assert "LEFT 0 MODELS 0" in shell.stdout, shell.stdout[-2000:] + shell.stderr[-3000:]
