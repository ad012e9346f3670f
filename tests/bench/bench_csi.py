# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""CSI invitations: the daily step over 100,000 visits of the last 30 days.

The dealership is its own company. Its visits are inserted by SQL (the import is
measured elsewhere), spread over the last 30 days, one in ten paid by warranty
only (not surveyed). The setting looks back the whole 30 days, so the first run
invites every qualifying visit at once: the worst day there can be.
"""

import time

from generate import create_dealership

from odoo import SUPERUSER_ID, api

CUSTOMERS = 50_000
VEHICLES = 100_000
SEED = 17
DISPATCHED_EMAILS = 1000


def _insert_visits(env, company):
    cr = env.cr
    env.flush_all()
    cr.execute(
        """
        INSERT INTO dealer_visit (name, company_id, partner_id, vehicle_id, date, odometer, department,
                                  is_maintenance, state, amount_total, user_id, create_uid, write_uid,
                                  create_date, write_date)
        SELECT 'CSI-' || v.id, v.company_id, v.dealer_owner_id, v.id, current_date - 1 - (v.id * 17) %% 30,
               (v.id * 31) %% 90000, 'service', TRUE, 'done', 250, 2, 1, 1, now(), now()
          FROM fleet_vehicle v
         WHERE v.company_id = %(company)s
        """,
        {"company": company.id},
    )
    cr.execute(
        """
        INSERT INTO dealer_visit_line (visit_id, company_id, name, category, payer_type, amount,
                                       create_uid, write_uid, create_date, write_date)
        SELECT id, company_id, 'Service', 'labour',
               CASE WHEN id %% 10 = 0 THEN 'warranty' ELSE 'customer' END, 250, 1, 1, now(), now()
          FROM dealer_visit
         WHERE company_id = %(company)s
        """,
        {"company": company.id},
    )
    env.invalidate_all()


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": "CSI Bench Motors"})
        env.ref("base.user_admin").company_ids = [(4, company.id)]
        create_dealership(env, CUSTOMERS, VEHICLES, seed=SEED, code_prefix="S", company=company)
        _insert_visits(env, company)
        config = env["dealer.csi.config"].create(
            {
                "name": "Service survey",
                "company_id": company.id,
                "department": "service",
                "survey_id": env.ref("dealer_csi.survey_csi_service").id,
                "delay_days": 0,
                "catch_up_days": 30,
                "channel": "email",
                "user_id": env.ref("base.user_admin").id,
                "manager_id": env.ref("base.user_admin").id,
            }
        )
        cr.commit()
        cr.execute("ANALYZE")

        started = time.perf_counter()
        created = config._dealer_create_invitations()
        cr.commit()
        yield "csi_invitations", round(time.perf_counter() - started, 2), "s"
        yield "csi_invitations_created", created, "invitations"

        started = time.perf_counter()
        again = config._dealer_create_invitations()
        cr.commit()
        if again:
            raise RuntimeError(f"the re-run created {again} invitations")
        yield "csi_reinvitations", round(time.perf_counter() - started, 2), "s"

        started = time.perf_counter()
        env["survey.user_input"]._dealer_dispatch_invitations(limit=DISPATCHED_EMAILS)
        cr.commit()
        yield "csi_dispatch_1000_emails", round(time.perf_counter() - started, 2), "s"

        # Two in three answered, scores spread by SQL: the index figures read them all.
        cr.execute(
            """
            UPDATE survey_user_input
               SET state = 'done', dealer_csi_state = 'answered', dealer_is_scored = TRUE,
                   dealer_csi_score = (id * 37) %% 101,
                   dealer_nps_class = (ARRAY['promoter', 'passive', 'detractor'])[1 + id %% 3]
             WHERE dealer_company_id = %s AND id %% 3 <> 0
            """,
            [company.id],
        )
        cr.execute(
            "UPDATE survey_user_input SET dealer_csi_state = 'sent' "
            "WHERE dealer_company_id = %s AND dealer_csi_state = 'to_send'",
            [company.id],
        )
        cr.commit()
        cr.execute("ANALYZE survey_user_input")
        env.invalidate_all()
        started = time.perf_counter()
        groups = env["dealer.csi.report"]._read_group(
            [("company_id", "=", company.id)],
            ["department", "advisor_id", "date:month"],
            ["csi_score:avg", "nps:avg", "response_rate:avg", "__count"],
        )
        yield "csi_index_by_department_advisor_month", round(time.perf_counter() - started, 2), "s"
        yield "csi_index_rows", sum(group[-1] for group in groups), "invitations"
