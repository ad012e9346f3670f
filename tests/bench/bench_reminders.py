# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reminder generation: every standard program over 100,000 vehicles and 50,000 customers.

The dealership is its own company, so that it does not meet the other benchmarks' data.
Its vehicles and visits get their dates by SQL: the benchmark measures the
engine, not the import or the service prediction (measured elsewhere).
"""

import time

from generate import create_dealership

from odoo import SUPERUSER_ID, api

CUSTOMERS = 50_000
VEHICLES = 100_000
SEED = 11


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

        started = time.perf_counter()
        created = programs._dealer_generate_reminders()
        cr.commit()
        yield "reminders_generate", round(time.perf_counter() - started, 2), "s"
        yield "reminders_created", created, "reminders"

        started = time.perf_counter()
        again = programs._dealer_generate_reminders()
        cr.commit()
        if again:
            raise RuntimeError(f"the re-run created {again} reminders")
        yield "reminders_regenerate", round(time.perf_counter() - started, 2), "s"
