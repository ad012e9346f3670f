# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a replica buys a dealership group: analyses while the DMS import runs.

Run with ``DEALER_REPLICA=1 make bench`` (a streaming replica of the private
cluster, Odoo's read-only cursors on it); without a replica this prints
nothing. On the analysis dealership of bench_analyses (1,000,000 lines), the
analyses a manager opens (dashboard, ABC and lost customers: a page, the count,
the totals) are timed alone, then while an import of new work orders runs on
the primary, once with the analyses on the primary and once on the replica;
the import is timed beside them. The import is rolled back each time.
"""

import threading
import time

from bench_analyses import _build

from odoo import SUPERUSER_ID, api
from odoo.tools import config

IMPORT_LINES = 10_000


def _analyses(registry, readonly, uid, company_id):
    """Seconds for the analyses of one manager, on the replica when ``readonly``."""
    with registry.cursor(readonly=readonly) as cr:
        env = api.Environment(cr, uid, {"allowed_company_ids": [company_id]})
        started = time.perf_counter()
        env["dealer.dashboard"].get_dashboard()
        for model_name, group_by in (
            ("dealer.abc.report", "abc_class"),
            ("dealer.lost.customer.report", "stage"),
        ):
            model = env[model_name]
            model.search_fetch([], ["partner_id"], limit=80)
            model.search_count([])
            model._read_group([], [group_by], ["__count"])
        return time.perf_counter() - started


def _import(registry, rows, timings):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        report = env["dealer.visit"].import_dms_rows(rows)
        env.flush_all()
        timings.append(time.perf_counter() - started)
        cr.rollback()
    if report["errors"]:
        raise RuntimeError(f"benchmark rows were rejected: {report['errors'][:3]}")


def _during_import(registry, rows, readonly, uid, company_id):
    """(mean seconds of the analyses run back to back during the import, import seconds)."""
    timings, analyses = [], []
    worker = threading.Thread(target=_import, args=(registry, rows, timings))
    worker.start()
    while worker.is_alive() or not analyses:
        analyses.append(_analyses(registry, readonly, uid, company_id))
    worker.join()
    return round(sum(analyses) / len(analyses), 3), round(timings[0], 2)


def run(registry):
    if not config["db_replica_host"] and not config["db_replica_port"]:
        return
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].search([("name", "=", "Analysis Bench Motors")], limit=1)
        if not company:
            company = env["res.company"].create({"name": "Analysis Bench Motors"})
            _build(env, company)
        admin = env.ref("base.user_admin")
        admin.company_ids = [(4, company.id)]
        rows = env["dealer.loyalty.demo"]._generate_rows(
            3_000, 4_000, years=1, seed=23, lines_target=IMPORT_LINES, code_prefix="R"
        )
        cr.commit()
        cr.execute("ANALYZE")
    with registry.cursor(readonly=True) as cr:
        cr.execute("SELECT pg_is_in_recovery()")
        if not cr.fetchone()[0]:
            raise RuntimeError("db_replica_host does not lead to a replica")
        # The replica has replayed the analysis dealership before it is timed.
        for _attempt in range(600):
            cr.execute("SELECT count(*) FROM res_company WHERE id = %s", [company.id])
            if cr.fetchone()[0]:
                break
            cr.rollback()
            time.sleep(0.5)
    uid, company_id = admin.id, company.id
    for readonly in (False, True):  # warm both servers' caches, as working servers have them
        _analyses(registry, readonly, uid, company_id)
    yield "replica_analyses_alone", round(_analyses(registry, False, uid, company_id), 3), "s"
    timings = []
    _import(registry, rows, timings)
    yield "replica_import_alone", round(timings[0], 2), "s"
    analyses, imported = _during_import(registry, rows, False, uid, company_id)
    yield "replica_analyses_on_primary_during_import", analyses, "s"
    yield "replica_import_during_analyses_on_primary", imported, "s"
    analyses, imported = _during_import(registry, rows, True, uid, company_id)
    yield "replica_analyses_on_replica_during_import", analyses, "s"
    yield "replica_import_during_analyses_on_replica", imported, "s"
