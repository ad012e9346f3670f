# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The booking page a reminder links to, on a dealership with two years of bookings.

The dealership is its own company: 20,000 customers and vehicles, a sent
service reminder per vehicle (its link made), and eight bookings a working
day from two years back to the end of the booking horizon, inserted by SQL.
The page is requested through Odoo's WSGI application in this process, as a
visitor without a session: the figure is the server's time, without the
network. The median of the requests after a first one (which builds the
assets) is reported.
"""

import secrets
import statistics
import time
from datetime import timedelta

from generate import create_dealership
from werkzeug.test import Client

import odoo.http
from odoo import SUPERUSER_ID, api, fields

CUSTOMERS = 20_000
VEHICLES = 20_000
SEED = 23
REQUESTS = 40
BOOKINGS_PER_DAY = 8


def _insert_reminders(env, company, program):
    """A sent service reminder per vehicle, each with its booking link."""
    today = fields.Date.context_today(program)
    env.flush_all()
    env.cr.execute(
        """
        SELECT v.id, v.dealer_owner_id FROM fleet_vehicle v
         WHERE v.company_id = %s AND v.dealer_owner_id IS NOT NULL ORDER BY v.id
        """,
        [company.id],
    )
    rows = [
        (
            program.id,
            company.id,
            partner_id,
            vehicle_id,
            today,
            today,
            secrets.token_urlsafe(12),
            today + timedelta(42),
        )
        for vehicle_id, partner_id in env.cr.fetchall()
    ]
    env.cr.executemany(
        """
        INSERT INTO dealer_loyalty_reminder
               (program_id, program_type, company_id, partner_id, vehicle_id, due_date, scheduled_date,
                sent_date, channel, state, booking_token, booking_link_expiry,
                create_uid, write_uid, create_date, write_date)
        VALUES (%s, 'service', %s, %s, %s, %s, %s, current_date, 'email', 'done', %s, %s,
                1, 1, now(), now())
        """,
        rows,
    )
    env.cr.execute(
        "SELECT id, booking_token FROM dealer_loyalty_reminder WHERE company_id = %s ORDER BY id",
        [company.id],
    )
    return env.cr.fetchall()


def _insert_bookings(env, company, reminders):
    """Eight bookings every working day, two years back to the end of the booking horizon."""
    today = fields.Date.context_today(env["dealer.service.booking"])
    day = today - timedelta(days=730)
    last = today + timedelta(days=company.dealer_booking_horizon_days)
    rows, booked = [], iter(reminders)
    while day <= last:
        if day.weekday() < 5:
            for number in range(BOOKINGS_PER_DAY):
                reminder_id, partner_id, vehicle_id = next(booked)
                part = "morning" if number % 2 else "afternoon"
                state = "confirmed" if day < today else "requested"
                rows.append((reminder_id, company.id, partner_id, vehicle_id, day, part, state))
        day += timedelta(days=1)
    env.cr.executemany(
        """
        INSERT INTO dealer_service_booking
               (reminder_id, company_id, partner_id, vehicle_id, booking_date, day_part, state,
                create_uid, write_uid, create_date, write_date)
        VALUES (%s, %s, %s, %s, %s, %s, %s, 1, 1, now(), now())
        """,
        rows,
    )
    return len(rows)


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create(
            {
                "name": "Booking Bench Motors",
                "dealer_booking_slots_morning": 6,
                "dealer_booking_slots_afternoon": 6,
                "dealer_booking_horizon_days": 28,
            }
        )
        env.ref("base.user_admin").company_ids = [(4, company.id)]
        create_dealership(env, CUSTOMERS, VEHICLES, seed=SEED, code_prefix="B", company=company)
        program = env.ref("dealer_loyalty.dealer_loyalty_program_service").copy(
            {"company_id": company.id, "active": False}
        )
        reminders = _insert_reminders(env, company, program)
        env.cr.execute(
            "SELECT id, partner_id, vehicle_id FROM dealer_loyalty_reminder WHERE company_id = %s ORDER BY id",
            [company.id],
        )
        # The first half of the reminders are booked; the pages measured are the unbooked ones'.
        booked_reminders = env.cr.fetchall()[: len(reminders) // 2]
        bookings = _insert_bookings(env, company, booked_reminders)
        cr.commit()
        cr.execute("ANALYZE dealer_loyalty_reminder")
        cr.execute("ANALYZE dealer_service_booking")
        cr.commit()

    client = Client(odoo.http.root)
    tokens = [token for _id, token in reminders[-(REQUESTS + 1) :]]
    warm_up = client.get(f"/dealer/book/{tokens[0]}")
    if warm_up.status_code != 200:
        raise RuntimeError(f"the booking page answered {warm_up.status_code}")
    timings = []
    for token in tokens[1:]:
        started = time.perf_counter()
        response = client.get(f"/dealer/book/{token}")
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200 or b"o_dealer_booking_form" not in response.data:
            raise RuntimeError(
                f"the booking page of {token} answered {response.status_code} without its form"
            )
    yield "portal_booking_page_ms", round(statistics.median(timings), 1), "ms"
    yield "portal_booking_page_bookings", bookings, "bookings"
