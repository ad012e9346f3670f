# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""CSI invitations: the daily step over 100,000 visits of the last 30 days.

The dealership is its own company. Its visits are inserted by SQL (the import is
measured elsewhere), spread over the last 30 days, one in ten paid by warranty
only (not surveyed). The setting looks back the whole 30 days, so the first run
invites every qualifying visit at once: the worst day there can be.

Beside the invitations created and the e-mails sent, the same run times a
set-based reference on the same data, rolled back afterwards: the single
``INSERT … SELECT`` the invitations were once created with (bare, without their
questions), and the e-mails queued by ``mail.template.send_mail_batch``.
"""

import time
from datetime import timedelta

from generate import create_dealership
from orm_floor import create_rate
from rollback import rolled_back

from odoo import SUPERUSER_ID, api, fields

CUSTOMERS = 50_000
VEHICLES = 100_000
SEED = 17
DISPATCHED_EMAILS = 1000
# The creation of the invitations before 18.0.1.1.0: one statement, no questions.
SQL_REFERENCE = """
    INSERT INTO survey_user_input
           (survey_id, partner_id, email, access_token, state, test_entry,
            dealer_kind, dealer_visit_id, dealer_company_id, dealer_vehicle_id,
            dealer_department, dealer_advisor_id, dealer_agent_id, dealer_channel,
            dealer_csi_state, dealer_visit_date, create_uid, write_uid, create_date, write_date)
    SELECT %(survey)s, v.partner_id, p.email, gen_random_uuid()::text, 'new', FALSE,
           'visit', v.id, v.company_id, v.vehicle_id, v.department, v.user_id, %(agent)s, %(channel)s,
           'to_send', v.date, 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
      FROM dealer_visit v
      JOIN res_partner p ON p.id = v.partner_id
     WHERE v.company_id = %(company)s AND v.department = %(department)s AND v.state = 'done'
       AND v.date BETWEEN %(date_from)s AND %(date_to)s AND p.active
       AND (NOT EXISTS (SELECT 1 FROM dealer_visit_line l WHERE l.visit_id = v.id)
            OR EXISTS (SELECT 1 FROM dealer_visit_line l
                        WHERE l.visit_id = v.id AND l.declined IS NOT TRUE
                          AND l.payer_type IN %(payers)s))
    ON CONFLICT DO NOTHING
"""


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


# What a rolled-back reference leaves in the tables until vacuumed.
REFERENCE_TABLES = ["survey_user_input", "survey_question_survey_user_input_rel", "mail_message", "mail_mail"]


def _sql_reference(env, config):
    date_to = fields.Date.context_today(config) - timedelta(days=config.delay_days)
    env.cr.execute(
        SQL_REFERENCE,
        {
            "survey": config.survey_id.id,
            "agent": config.user_id.id,
            "channel": config.channel,
            "company": config.company_id.id,
            "department": config.department,
            "date_from": date_to - timedelta(days=config.catch_up_days),
            "date_to": date_to,
            "payers": tuple(config._dealer_payer_types()),
        },
    )


def _send_mail_batch_reference(env):
    """The dispatch's e-mails as they were queued before: send_mail_batch, by 500."""
    Input = env["survey.user_input"]
    pending = Input.search([("dealer_csi_state", "=", "to_send")], order="id", limit=DISPATCHED_EMAILS)
    template = env.ref("dealer_csi.mail_template_csi_invitation")
    for start in range(0, len(pending), 500):
        batch = pending[start : start + 500]
        template.send_mail_batch(batch.ids)
        batch.write({"dealer_csi_state": "sent", "dealer_invited_on": fields.Date.today()})
    env.flush_all()
    env.invalidate_all()


def _survey_create_floor(env, company):
    """Seconds survey's own ``create`` takes for as many answer sets as there are invitations.

    The same survey's questions on a plain survey (no CSI flow, no visit), for
    the same customers, rolled back: the ceiling of invitations created
    through ``survey.user_input.create``.
    """
    plain = env.ref("dealer_csi.survey_csi_service").copy({"title": "Floor survey"})
    plain.survey_type = "survey"
    env.cr.execute(
        "SELECT partner_id, email FROM survey_user_input WHERE dealer_company_id = %s ORDER BY id",
        [company.id],
    )
    answers = [
        {"survey_id": plain.id, "partner_id": partner_id, "email": email}
        for partner_id, email in env.cr.fetchall()
    ]
    env.cr.commit()
    rate = create_rate(env, "survey.user_input", answers, REFERENCE_TABLES)
    plain.unlink()
    env.cr.commit()
    return round(len(answers) / rate, 2)


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
        cr.commit()

        reference = rolled_back(cr, lambda: _sql_reference(env, config), REFERENCE_TABLES)
        started = time.perf_counter()
        created = config._dealer_create_invitations()
        cr.commit()
        yield "csi_invitations", round(time.perf_counter() - started, 2), "s"
        yield "csi_invitations_sql_reference", reference, "s"
        yield "csi_invitations_created", created, "invitations"
        yield "csi_invitations_survey_create_floor", _survey_create_floor(env, company), "s"

        started = time.perf_counter()
        again = config._dealer_create_invitations()
        cr.commit()
        if again:
            raise RuntimeError(f"the re-run created {again} invitations")
        yield "csi_reinvitations", round(time.perf_counter() - started, 2), "s"

        reference = rolled_back(cr, lambda: _send_mail_batch_reference(env), REFERENCE_TABLES)
        env.invalidate_all()
        started = time.perf_counter()
        env["survey.user_input"]._dealer_dispatch_invitations(limit=DISPATCHED_EMAILS)
        cr.commit()
        yield "csi_dispatch_1000_emails", round(time.perf_counter() - started, 2), "s"
        yield "csi_dispatch_1000_emails_send_mail_batch_reference", reference, "s"

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
