# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Analyses on 1,000,000 visit lines of 100,000 customers: what the list screen asks for, timed.

The dealership is its own company. Its customers, visits and lines are
written by SQL (the import has its own benchmark); the figures time the
analyses the way the web client reads them: a page of 80 rows, the record
count, and the class totals of the pivot.
"""

import time

from odoo import SUPERUSER_ID, api

CUSTOMERS = 100_000
VISITS = 250_000
LINES_PER_VISIT = 4


def _build(env, company):
    cr = env.cr
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, company_id, active, type, is_company, dealer_segment,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, %(company)s, TRUE, 'contact', FALSE, 'active',
               1, 1, now(), now()
          FROM generate_series(1, %(customers)s) n
        RETURNING id
        """,
        {"company": company.id, "customers": CUSTOMERS},
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    first_partner = min(partner_ids)
    # Revenue is skewed as at a real dealership: low partner numbers visit more and spend more.
    cr.execute(
        """
        INSERT INTO dealer_visit (name, company_id, partner_id, date, department, is_maintenance, state,
                                  amount_total, user_id, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH-A-' || n, %(company)s,
               %(first)s + floor(%(customers)s * power(random(), 2.5))::int,
               current_date - floor(random() * 1100)::int,
               (ARRAY['service', 'service', 'service', 'body_shop', 'parts', 'sales'])[1 + floor(random() * 6)::int],
               TRUE, 'done', 0, 2, 1, 1, now(), now()
          FROM generate_series(1, %(visits)s) n
        """,
        {"company": company.id, "first": first_partner, "customers": CUSTOMERS, "visits": VISITS},
    )
    cr.execute(
        """
        INSERT INTO dealer_visit_line (visit_id, company_id, partner_id, date, department, state, name, category,
                                       payer_type, amount, declined, create_uid, write_uid, create_date, write_date)
        SELECT visit.id, visit.company_id, visit.partner_id, visit.date, visit.department, visit.state,
               'Line ' || k, 'labour',
               (ARRAY['customer', 'customer', 'customer', 'insurance', 'warranty', 'internal'])[1 + (visit.id + k) %% 6],
               round((20 + random() * 480)::numeric, 2), (visit.id + k) %% 17 = 0, 1, 1, now(), now()
          FROM dealer_visit visit CROSS JOIN generate_series(1, %(lines)s) k
         WHERE visit.company_id = %(company)s
        """,
        {"company": company.id, "lines": LINES_PER_VISIT},
    )
    cr.execute(
        """
        UPDATE dealer_visit visit SET amount_total = totals.amount
          FROM (SELECT visit_id, sum(amount) AS amount FROM dealer_visit_line
                 WHERE company_id = %(company)s AND declined IS NOT TRUE GROUP BY visit_id) totals
         WHERE totals.visit_id = visit.id
        """,
        {"company": company.id},
    )
    cr.execute("SELECT count(*) FROM dealer_visit_line WHERE company_id = %s", [company.id])
    return cr.fetchone()[0]


def _time_list_screen(model, group_by):
    """Seconds for what the list and pivot ask: a page, the count, the group totals."""
    started = time.perf_counter()
    page = model.search_fetch(
        [], ["partner_id", "revenue" if "revenue" in model._fields else "last_visit_date"], limit=80
    )
    model.search_count([])
    model._read_group([], [group_by], ["__count"])
    assert page
    return round(time.perf_counter() - started, 3)


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": "Analysis Bench Motors"})
        started = time.perf_counter()
        lines = _build(env, company)
        cr.commit()
        cr.execute("ANALYZE")
        yield "analysis_data_lines", lines, "lines"
        yield "analysis_data_build", round(time.perf_counter() - started, 1), "s"

        abc = env["dealer.abc.report"].with_company(company)
        _time_list_screen(
            abc, "abc_class"
        )  # a first run warms PostgreSQL's cache, as a working server has it
        yield "abc_analysis", _time_list_screen(abc, "abc_class"), "s"

        lost = env["dealer.lost.customer.report"].with_company(company)
        _time_list_screen(lost, "stage")
        yield "lost_customers", _time_list_screen(lost, "stage"), "s"

        # The dealership dashboard, as its screen asks it: every figure in one call.
        admin = env.ref("base.user_admin")
        admin.company_ids = [(4, company.id)]
        cr.commit()
        dashboard = api.Environment(cr, admin.id, {"allowed_company_ids": [company.id]})["dealer.dashboard"]
        dashboard.get_dashboard()  # warm, as above
        started = time.perf_counter()
        dashboard.get_dashboard()
        yield "dashboard", round(time.perf_counter() - started, 3), "s"
        started = time.perf_counter()
        cr.execute("SELECT count(*), sum(amount) FROM dealer_visit_line WHERE company_id = %s", [company.id])
        cr.fetchall()
        yield "dashboard_read_every_line_reference", round(time.perf_counter() - started, 3), "s"
