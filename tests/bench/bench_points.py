# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Points: post 500,000 visit lines on 50,000 membership cards, then expire them and evaluate levels.

The dealership is its own company; members, cards, visits and lines are
written by SQL, and the figures time the posting, the nightly expiry and the
level evaluation. Beside each figure, its set-based reference, timed in the
same run and rolled back: the same ledger rows written with one INSERT …
SELECT (and the balances with one UPDATE), the same aggregate read and written
in one statement.
"""

import time
from datetime import timedelta

from generate import insert_visit_lines
from rollback import rolled_back

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL, split_every

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
    insert_visit_lines(cr, visit_ids, LINES_PER_VISIT)
    return visit_ids


def _write_earnings(env, visit_ids):
    """Reference of the posting: every line's reward and qualifying points in one INSERT … SELECT.

    Today's rule and level, no correction to work out, nothing expired at once;
    the balances in one UPDATE from the inserted rows.
    """
    env.cr.execute("SET LOCAL jit = off")
    env.cr.execute(
        SQL(
            """
            WITH inserted AS (
                INSERT INTO dealer_points_move (card_id, company_id, partner_id, ledger, points, date, expiry_date,
                                                origin, visit_line_id, user_id, earn_rate, create_uid, write_uid,
                                                create_date, write_date)
                SELECT card.id, card.company_id, card.partner_id, rule.ledger, earned.points, visit.date,
                       CASE WHEN rule.ledger = 'reward'
                            THEN (visit.date + make_interval(months => company.dealer_points_expiry_months))::date END,
                       'visit_line', line.id, %(uid)s, earned.rate, %(uid)s, %(uid)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM dealer_visit_line line
                  JOIN dealer_visit visit ON visit.id = line.visit_id
                  JOIN res_company company ON company.id = visit.company_id
                  JOIN dealer_membership_card card
                    ON card.partner_id = visit.partner_id AND card.company_id = visit.company_id
                   AND card.state = 'active'
                  JOIN dealer_membership_level level ON level.id = card.level_id
                  JOIN dealer_points_rule rule
                    ON rule.company_id = visit.company_id AND rule.active AND rule.payer_type = line.payer_type
                   AND rule.category IS NULL
                 CROSS JOIN LATERAL (
                       SELECT rule.points_per_unit
                              * CASE WHEN rule.ledger = 'reward' THEN level.reward_points_multiplier ELSE 1 END
                              AS rate) AS multiplied
                 CROSS JOIN LATERAL (SELECT floor(line.amount * multiplied.rate)::integer AS points,
                                            multiplied.rate) AS earned
                 WHERE visit.id = ANY(%(visits)s) AND earned.points <> 0
             RETURNING card_id, ledger, points
            )
            UPDATE dealer_membership_card card
               SET reward_balance = card.reward_balance + totals.reward,
                   qualifying_balance = card.qualifying_balance + totals.qualifying
              FROM (SELECT card_id,
                           COALESCE(sum(points) FILTER (WHERE ledger = 'reward'), 0) AS reward,
                           COALESCE(sum(points) FILTER (WHERE ledger = 'qualifying'), 0) AS qualifying
                      FROM inserted GROUP BY card_id) totals
             WHERE card.id = totals.card_id
            """,
            uid=env.uid,
            visits=visit_ids,
        )
    )


def _write_expiries(env, today):
    """Reference of the expiry: per card, the earnings due less everything spent, in one INSERT … SELECT."""
    env.cr.execute("SET LOCAL jit = off")
    env.cr.execute(
        SQL(
            """
            WITH pieces AS (
                SELECT card_id, sum(points) AS points, min(expiry_date) AS expiry_date
                  FROM dealer_points_move
                 WHERE ledger = 'reward' AND origin = 'visit_line'
              GROUP BY card_id, visit_line_id
             UNION ALL
                SELECT card_id, points, expiry_date
                  FROM dealer_points_move
                 WHERE ledger = 'reward' AND origin <> 'visit_line'
            ), expiring AS (
                SELECT card_id,
                       COALESCE(sum(points) FILTER (WHERE points > 0 AND expiry_date <= %(today)s), 0)
                       + COALESCE(sum(points) FILTER (WHERE points < 0), 0) AS points
                  FROM pieces
              GROUP BY card_id
            ), inserted AS (
                INSERT INTO dealer_points_move (card_id, company_id, partner_id, ledger, points, date, origin,
                                                reason, user_id, create_uid, write_uid, create_date, write_date)
                SELECT card.id, card.company_id, card.partner_id, 'reward', -LEAST(expiring.points, card.reward_balance),
                       %(today)s, 'expiry', 'Reference', %(uid)s, %(uid)s, %(uid)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM expiring
                  JOIN dealer_membership_card card ON card.id = expiring.card_id
                 WHERE LEAST(expiring.points, card.reward_balance) > 0
             RETURNING card_id, points
            )
            UPDATE dealer_membership_card card
               SET reward_balance = card.reward_balance + inserted.points
              FROM inserted
             WHERE card.id = inserted.card_id
            """,
            today=today,
            uid=env.uid,
        )
    )


def _write_levels(env):
    """Reference of the level evaluation: the same aggregate read and the levels written in one UPDATE."""
    env.cr.execute("SET LOCAL jit = off")
    env.cr.execute(
        SQL(
            """
            UPDATE dealer_membership_card card
               SET level_id = changes.new_level_id
              FROM (%s) AS changes (card_id, old_level_id, new_level_id, upgrade)
             WHERE card.id = changes.card_id
            """,
            env["dealer.membership.card"]._dealer_level_changes_sql(fields.Date.today()),
        )
    )


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": "Points Bench Motors"})
        visit_ids = _build(env, company)
        cr.commit()
        cr.execute("ANALYZE")

        Move = env["dealer.points.move"]
        Visit = env["dealer.visit"]
        reference = rolled_back(
            cr, lambda: _write_earnings(env, visit_ids), ["dealer_points_move", "dealer_membership_card"]
        )
        started = time.perf_counter()
        for batch in split_every(VISITS_PER_BATCH, visit_ids):
            Move._dealer_post_visit_points(Visit.browse(batch))
            env.invalidate_all()
        cr.commit()
        elapsed = time.perf_counter() - started
        yield "points_post", round(VISITS * LINES_PER_VISIT / elapsed), "lines/s"
        yield "points_post_insert_select_reference", round(VISITS * LINES_PER_VISIT / reference), "lines/s"

        # Earnings already past their validity expired when they were posted; the nightly job
        # is measured a year and a half on, when most of the others are due.
        day = fields.Date.today() + timedelta(days=550)
        reference = rolled_back(
            cr, lambda: _write_expiries(env, day), ["dealer_points_move", "dealer_membership_card"]
        )
        env.invalidate_all()
        started = time.perf_counter()
        expired = Move._cron_dealer_expire_points(today=day)
        cr.commit()
        yield "points_expiry", round(time.perf_counter() - started, 2), "s"
        yield "points_expiry_insert_select_reference", reference, "s"
        yield "points_expired_cards", expired, "cards"

        reference = rolled_back(cr, lambda: _write_levels(env), ["dealer_membership_card"])
        env.invalidate_all()
        started = time.perf_counter()
        moved = env["dealer.membership.card"]._cron_dealer_evaluate_levels()
        cr.commit()
        yield "level_evaluation", round(time.perf_counter() - started, 2), "s"
        yield "level_evaluation_update_reference", reference, "s"
        yield "level_changes", moved, "cards"
