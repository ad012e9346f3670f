# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""DMS import speed: 100,000 visit lines into a dealership of 20,000 customers and 30,000 vehicles."""

import time

from generate import create_dealership

from odoo import SUPERUSER_ID, api

CUSTOMERS = 20_000
VEHICLES = 30_000
LINES = 100_000
SEED = 7


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        create_dealership(env, CUSTOMERS, VEHICLES, seed=SEED)
        cr.commit()
        # A live database has planner statistics (autovacuum keeps them); a
        # freshly generated one gets them here, so the import runs as it would
        # at a dealership rather than on 50,000 rows the planner has not seen.
        cr.execute("ANALYZE")
        yield "generate_dealership", round(time.perf_counter() - started, 1), "s"

        rows = env["dealer.loyalty.demo"]._generate_rows(
            CUSTOMERS, VEHICLES, years=2, seed=SEED, lines_target=LINES
        )
        started = time.perf_counter()
        report = env["dealer.visit"].import_dms_rows(rows)
        env.flush_all()
        cr.commit()
        elapsed = time.perf_counter() - started
        if report["errors"]:
            raise RuntimeError(f"benchmark rows were rejected: {report['errors'][:3]}")
        yield "import_visit_lines", round(len(rows) / elapsed), "lines/s"

        started = time.perf_counter()
        again = env["dealer.visit"].import_dms_rows(rows)
        cr.commit()
        assert again["created"] == again["updated"] == 0, again
        yield "reimport_unchanged_lines", round(len(rows) / (time.perf_counter() - started)), "lines/s"
