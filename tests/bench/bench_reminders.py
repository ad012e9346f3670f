# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reminder generation: every standard program over 100,000 vehicles and 50,000 customers.

The dealership is its own company, so that it does not meet the other benchmarks' data.
Its vehicles and visits get their dates by SQL: the benchmark measures the
engine, not the import or the service prediction (measured elsewhere).
"""

import time
from datetime import timedelta

from generate import create_dealership
from rollback import rolled_back

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

CUSTOMERS = 50_000
VEHICLES = 100_000
SEED = 11
DISPATCHED_EMAILS = 1000


def _read_candidates(env, programs):
    """The set-based reference of the planning: every program's due dates read, nothing checked or written."""
    today = fields.Date.context_today(programs)
    for program in programs:
        env.cr.execute(
            SQL(
                "SELECT count(*) FROM (%s) c",
                program._dealer_candidates_query(
                    today - timedelta(days=program.catch_up_days),
                    today + timedelta(days=program.lead_days + 1),
                ),
            )
        )


def _emails_due(env, company):
    """1,000 planned reminders of e-mail programs, due today, for customers who agreed to e-mails."""
    env.flush_all()
    env.cr.execute(
        """
        UPDATE res_partner p
           SET email = 'customer' || p.id || '@example.com', dealer_consent_email = TRUE
          FROM dealer_loyalty_reminder r
         WHERE r.partner_id = p.id AND r.company_id = %s
        """,
        [company.id],
    )
    env.cr.execute(
        """
        SELECT r.id FROM dealer_loyalty_reminder r
          JOIN dealer_loyalty_program program ON program.id = r.program_id
         WHERE r.company_id = %s AND r.state = 'planned' AND program.mail_template_id IS NOT NULL
         ORDER BY r.id LIMIT %s
        """,
        [company.id, DISPATCHED_EMAILS],
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        "UPDATE dealer_loyalty_reminder SET channel = 'email', scheduled_date = current_date WHERE id IN %s",
        [tuple(ids)],
    )
    env.invalidate_all()
    return env["dealer.loyalty.reminder"].browse(ids)


def _send_mail_batch(reminders):
    """The set-based reference of the sending: core's ``send_mail_batch`` per program."""
    for program, batch in reminders.grouped("program_id").items():
        program.mail_template_id.send_mail_batch(batch.ids)
    reminders.env.flush_all()


def _give_dates(env, company):
    """Spread handovers, services, warranties, visits and declined work over the last years."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        """
        UPDATE res_partner
           SET dealer_segment = 'active',
               dealer_preferred_channel = (ARRAY['email', 'sms', 'letter', 'phone'])[1 + id %% 4],
               dealer_consent_email = id %% 5 <> 0, dealer_consent_sms = id %% 3 <> 0,
               dealer_consent_letter = TRUE, dealer_consent_phone = id %% 7 <> 0,
               street = 'Narva mnt ' || id, city = 'Tallinn', zip = '10117'
         WHERE company_id = %(company)s
        """,
        {"company": company.id},
    )
    cr.execute(
        """
        UPDATE fleet_vehicle
           SET dealer_handover_date = current_date - (id * 7919) %% 2000,
               dealer_order_date = current_date - (id * 7919) %% 2000 - 21,
               dealer_condition = 'new',
               dealer_next_service_date = current_date + (id * 13) %% 400 - 30,
               dealer_next_service_rule = CASE WHEN (id * 7919) %% 2000 < 180 THEN 'first_time' ELSE 'time' END,
               dealer_first_service_due = current_date - (id * 7919) %% 2000 + 180
         WHERE company_id = %(company)s
        """,
        {"company": company.id},
    )
    cr.execute(
        """
        INSERT INTO dealer_visit (name, company_id, partner_id, vehicle_id, date, odometer, department,
                                  is_maintenance, state, amount_total, create_uid, write_uid, create_date,
                                  write_date)
        SELECT 'BENCH-' || v.id, v.company_id, v.dealer_owner_id, v.id, current_date - (v.id * 17) %% 700,
               (v.id * 31) %% 90000, 'service', TRUE, 'done', 250, 1, 1, now(), now()
          FROM fleet_vehicle v
         WHERE v.company_id = %(company)s
        """,
        {"company": company.id},
    )
    cr.execute(
        """
        INSERT INTO dealer_visit_line (visit_id, company_id, name, category, payer_type, amount, declined,
                                       create_uid, write_uid, create_date, write_date)
        SELECT id, company_id, 'Brake pads', 'parts', 'customer', 120, TRUE, 1, 1, now(), now()
          FROM dealer_visit
         WHERE company_id = %(company)s AND id %% 10 = 0
        """,
        {"company": company.id},
    )
    env["dealer.loyalty.demo"]._fill_reminder_dates()
    env.invalidate_all()


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": "Reminder Bench Motors"})
        env.ref("base.user_admin").company_ids = [(4, company.id)]  # the programs' responsible
        create_dealership(env, CUSTOMERS, VEHICLES, seed=SEED, code_prefix="R", company=company)
        _give_dates(env, company)
        standard = (
            env["dealer.loyalty.program"]
            .with_context(active_test=False)
            .search([("company_id", "=", env.ref("base.main_company").id)])
        )
        programs = env["dealer.loyalty.program"].browse(
            [
                program.copy({"company_id": company.id, "active": True, "name": program.name}).id
                for program in standard
            ]
        )
        cr.commit()
        cr.execute("ANALYZE")

        reference = rolled_back(cr, lambda: _read_candidates(env, programs), ["dealer_loyalty_reminder"])
        started = time.perf_counter()
        created = programs._dealer_generate_reminders()
        cr.commit()
        yield "reminders_generate", round(time.perf_counter() - started, 2), "s"
        yield "reminders_generate_read_candidates_reference", reference, "s"
        yield "reminders_created", created, "reminders"

        started = time.perf_counter()
        again = programs._dealer_generate_reminders()
        cr.commit()
        if again:
            raise RuntimeError(f"the re-run created {again} reminders")
        yield "reminders_regenerate", round(time.perf_counter() - started, 2), "s"
        yield "reminders_regenerate_read_candidates_reference", reference, "s"

        due = _emails_due(env, company)
        cr.commit()
        reference = rolled_back(cr, lambda: _send_mail_batch(due), ["mail_message", "mail_mail"])
        env.invalidate_all()
        started = time.perf_counter()
        due._dealer_dispatch(fields.Date.context_today(due))
        env.flush_all()
        cr.commit()
        sent = len(due.filtered(lambda reminder: reminder.state == "done"))
        yield "reminders_1000_emails", round(time.perf_counter() - started, 2), "s"
        yield "reminders_1000_emails_send_mail_batch_reference", reference, "s"
        yield "reminders_emails_sent", sent, "e-mails"
