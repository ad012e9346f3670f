# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's card page on the portal (/my/card), for the member with the longest history.

The dealership is its own company: 2,000 customers of the generator, each
with a card and a visit every few months for ten years, and one fleet customer
in for a service every week (600 visits). Visits and lines are written by SQL,
their points posted by the ledger (old earnings expire as they are posted),
and the member with the most moves redeems 30 vouchers and logs in to the
portal. The figure is the server time of their /my/card: the request served
by Odoo's WSGI application in this process, no network, the median of 20
after two warm-ups (the first builds the page's asset bundles).
"""

import statistics
import time

from generate import create_dealership, insert_visit_lines
from werkzeug.test import Client

import odoo.http
from odoo import SUPERUSER_ID, api
from odoo.service import security
from odoo.tools import split_every

CUSTOMERS = 2_000
SEED = 23
VISITS_PER_CUSTOMER = 20
FLEET_VISITS = 600
LINES_PER_VISIT = 4
VOUCHERS = 30
RUNS = 20


def _build(env, company):
    """Cards, visits and points of the dealership; returns the card with the most moves."""
    cr = env.cr
    create_dealership(env, CUSTOMERS, CUSTOMERS, seed=SEED, code_prefix="P", company=company)
    level = env["dealer.membership.level"].create({"name": "Bench Gold", "company_id": company.id})
    for rule in env["dealer.points.rule"].search([("company_id", "=", env.ref("base.main_company").id)]):
        rule.copy({"company_id": company.id})
    env.flush_all()
    cr.execute(
        """
        INSERT INTO dealer_membership_card (name, company_id, partner_id, level_id, state, card_type, join_date,
                                            expiry_date, reward_balance, qualifying_balance, points_debt,
                                            create_uid, write_uid, create_date, write_date)
        SELECT 'PBENCH' || p.id, %(company)s, p.id, %(level)s, 'active', 'physical', current_date - 3650,
               current_date + 365, 0, 0, 0, 1, 1, now(), now()
          FROM res_partner p
         WHERE p.company_id = %(company)s
     RETURNING partner_id
        """,
        {"company": company.id, "level": level.id},
    )
    partner_ids = sorted(row[0] for row in cr.fetchall())
    fleet_partner = partner_ids[0]
    cr.execute(
        """
        INSERT INTO dealer_visit (name, company_id, partner_id, date, department, is_maintenance, state,
                                  amount_total, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH-PC-' || n, %(company)s, %(first)s + floor(random() * %(customers)s)::int,
               current_date - floor(random() * 3650)::int, 'service', TRUE, 'done', 0, 1, 1, now(), now()
          FROM generate_series(1, %(visits)s) n
         UNION ALL
        SELECT 'BENCH-PF-' || n, %(company)s, %(fleet)s, current_date - 7 * n, 'service', TRUE, 'done', 0,
               1, 1, now(), now()
          FROM generate_series(1, %(fleet_visits)s) n
     RETURNING id
        """,
        {
            "company": company.id,
            "first": partner_ids[0],
            "customers": CUSTOMERS,
            "visits": CUSTOMERS * VISITS_PER_CUSTOMER,
            "fleet": fleet_partner,
            "fleet_visits": FLEET_VISITS,
        },
    )
    visit_ids = sorted(row[0] for row in cr.fetchall())
    insert_visit_lines(cr, visit_ids, LINES_PER_VISIT)
    env.invalidate_all()
    Visit = env["dealer.visit"]
    for batch in split_every(5000, visit_ids):
        env["dealer.points.move"]._dealer_post_visit_points(Visit.browse(batch))
        env.invalidate_all()
    cr.execute(
        """
        SELECT card_id, count(*) FROM dealer_points_move WHERE company_id = %s
      GROUP BY card_id ORDER BY count(*) DESC LIMIT 1
        """,
        [company.id],
    )
    card_id, moves = cr.fetchone()
    return env["dealer.membership.card"].browse(card_id), moves


def _redeem_vouchers(env, card):
    reward = env["dealer.membership.reward"].create(
        {
            "name": "Bench car wash",
            "company_id": card.company_id.id,
            "reward_type": "service",
            "points_cost": 100,
        }
    )
    Voucher = env["dealer.membership.voucher"]
    for index in range(min(VOUCHERS, card.reward_balance // reward.points_cost)):
        voucher = Voucher._dealer_issue(card, reward)
        card._dealer_redeem(reward.points_cost, voucher.code)
        if index % 3:
            voucher.action_use()


def _portal_session(env, card):
    """A portal account for the card's member, logged in: the session's cookie value."""
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "login": f"portal.bench.{card.id}",
                "partner_id": card.partner_id.id,
                "company_id": card.company_id.id,
                "company_ids": [(6, 0, card.company_id.ids)],
                "groups_id": [(6, 0, env.ref("base.group_portal").ids)],
            }
        )
    )
    env.cr.commit()
    user_env = api.Environment(env.cr, user.id, {})
    session = odoo.http.root.session_store.new()
    session.update(odoo.http.get_default_session(), db=env.cr.dbname)
    session.uid = user.id
    session.login = user.login
    session.session_token = security.compute_session_token(session, user_env)
    session.context = dict(user_env["res.users"].context_get())
    odoo.http.root.session_store.save(session)
    return session.sid


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": "Portal Bench Motors"})
        card, moves = _build(env, company)
        _redeem_vouchers(env, card)
        cr.commit()
        cr.execute("ANALYZE")
        yield "portal_card_member_moves", moves, "moves"
        sid = _portal_session(env, card)
        card_name = card.name

    # No cookie jar: the session cookie goes in every request as it is.
    client = Client(odoo.http.root, use_cookies=False)
    headers = {"Cookie": f"session_id={sid}"}
    timings = []
    for run_index in range(RUNS + 2):
        started = time.perf_counter()
        response = client.get("/my/card", headers=headers)
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or card_name.encode() not in response.data:
            raise RuntimeError(f"/my/card answered {response.status_code} without the card {card_name}")
        if run_index >= 2:
            timings.append(elapsed)
    yield "portal_card_ms", round(statistics.median(timings) * 1000, 1), "ms"
