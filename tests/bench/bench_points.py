# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Points: post 500,000 visit lines on 50,000 membership cards, then expire them and evaluate levels.

The dealership is its own company; members, cards, visits and lines are
written by SQL, and the figures time the posting and the nightly expiry.
"""

import time
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import split_every

CARDS = 50_000
VISITS = 125_000
LINES_PER_VISIT = 4
VISITS_PER_BATCH = 5_000


def _build(env, company):
    cr = env.cr
    level = env["dealer.membership.level"].create({"name": "Bench Silver", "company_id": company.id})
    env["dealer.membership.level"].create(
        [
            {
                "name": "Bench Gold",
                "company_id": company.id,
                "sequence": 20,
                "qualifying_points_threshold": 2000,
            },
            {
                "name": "Bench Platinum",
                "company_id": company.id,
                "sequence": 30,
                "qualifying_points_threshold": 4000,
            },
        ]
    )
    for rule in env["dealer.points.rule"].search([("company_id", "=", env.ref("base.main_company").id)]):
        rule.copy({"company_id": company.id})
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, company_id, active, type, is_company, dealer_segment,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'Member ' || n, 'Member ' || n, %(company)s, TRUE, 'contact', FALSE, 'active', 1, 1, now(), now()
          FROM generate_series(1, %(cards)s) n
        RETURNING id
        """,
        {"company": company.id, "cards": CARDS},
    )
    partner_ids = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        """
        INSERT INTO dealer_membership_card (name, company_id, partner_id, level_id, state, card_type, join_date,
                                            expiry_date, reward_balance, qualifying_balance, create_uid, write_uid,
                                            create_date, write_date)
        SELECT 'BENCH' || p.id, %(company)s, p.id, %(level)s, 'active', 'physical', current_date - 800,
               current_date + 365, 0, 0, 1, 1, now(), now()
          FROM res_partner p
         WHERE p.company_id = %(company)s
        """,
        {"company": company.id, "level": level.id},
    )
    cr.execute(
        """
        INSERT INTO dealer_visit (name, company_id, partner_id, date, department, is_maintenance, state,
                                  amount_total, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH-P-' || n, %(company)s, %(first)s + floor(random() * %(cards)s)::int,
               current_date - floor(random() * 1000)::int, 'service', TRUE, 'done', 0, 1, 1, now(), now()
          FROM generate_series(1, %(visits)s) n
        RETURNING id
        """,
        {"company": company.id, "first": partner_ids[0], "cards": CARDS, "visits": VISITS},
    )
    visit_ids = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        """
        INSERT INTO dealer_visit_line (visit_id, company_id, partner_id, date, department, state, name, category,
                                       payer_type, amount, create_uid, write_uid, create_date, write_date)
        SELECT visit.id, visit.company_id, visit.partner_id, visit.date, visit.department, visit.state,
               'Line ' || k, 'labour',
               (ARRAY['customer', 'customer', 'insurance', 'warranty', 'internal'])[1 + (visit.id + k) %% 5],
               round((20 + random() * 480)::numeric, 2), 1, 1, now(), now()
          FROM dealer_visit visit CROSS JOIN generate_series(1, %(lines)s) k
         WHERE visit.id = ANY(%(visits)s)
        """,
        {"visits": visit_ids, "lines": LINES_PER_VISIT},
    )
    return visit_ids


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": "Points Bench Motors"})
        visit_ids = _build(env, company)
        cr.commit()
        cr.execute("ANALYZE")

        Move = env["dealer.points.move"]
        Visit = env["dealer.visit"]
        started = time.perf_counter()
        for batch in split_every(VISITS_PER_BATCH, visit_ids):
            Move._dealer_post_visit_points(Visit.browse(batch))
            env.invalidate_all()
        cr.commit()
        elapsed = time.perf_counter() - started
        yield "points_post", round(VISITS * LINES_PER_VISIT / elapsed), "lines/s"

        # Earnings already past their validity expired when they were posted; the nightly job
        # is measured a year and a half on, when most of the others are due.
        started = time.perf_counter()
        expired = Move._cron_dealer_expire_points(today=fields.Date.today() + timedelta(days=550))
        cr.commit()
        yield "points_expiry", round(time.perf_counter() - started, 2), "s"
        yield "points_expired_cards", expired, "cards"

        started = time.perf_counter()
        moved = env["dealer.membership.card"]._cron_dealer_evaluate_levels()
        cr.commit()
        yield "level_evaluation", round(time.perf_counter() - started, 2), "s"
        yield "level_changes", moved, "cards"
