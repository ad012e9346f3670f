# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Portal: the server time of a customer's /my/vehicles and of one of their vehicles' page.

The dealership is its own company: 10,000 customers with three cars each, every
car with eight done service visits of three lines and their odometer readings,
written by SQL. The measured customer logs in with a portal account; the pages
are requested through Odoo's WSGI application in this process (no network), so
the figure is the server's time: routing, session, record rules, rendering.
Each figure is the median of the requests after two warm-up ones (templates
compiled, asset bundles built).
"""

import re
import statistics
import time

from generate import create_dealership
from werkzeug.test import Client

from odoo import SUPERUSER_ID, api, http

CUSTOMERS = 10_000
VEHICLES = 30_000
VISITS_PER_VEHICLE = 8
LINES_PER_VISIT = 3
SEED = 29
REQUESTS = 15
PASSWORD = "portal-bench-pw"
# What a server puts in each request's environment: the session keeps the client's address.
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


def _insert_history(env, company):
    """Eight yearly-ish service visits per car, three lines each, and the odometer readings they left."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        """
        INSERT INTO dealer_visit (name, company_id, partner_id, vehicle_id, date, odometer, department,
                                  is_maintenance, state, amount_total, amount_customer, user_id,
                                  create_uid, write_uid, create_date, write_date)
        SELECT 'PORTAL-' || v.id || '-' || k, v.company_id, v.dealer_owner_id, v.id,
               current_date - 30 - (%(visits)s - k) * 300 - v.id %% 60, k * 12000 + v.id %% 5000, 'service',
               TRUE, 'done', 300, 300, 2, 1, 1, now(), now()
          FROM fleet_vehicle v CROSS JOIN generate_series(1, %(visits)s) k
         WHERE v.company_id = %(company)s
        """,
        {"company": company.id, "visits": VISITS_PER_VEHICLE},
    )
    cr.execute(
        """
        INSERT INTO dealer_visit_line (visit_id, company_id, partner_id, date, department, state, name, category,
                                       payer_type, amount, create_uid, write_uid, create_date, write_date)
        SELECT visit.id, visit.company_id, visit.partner_id, visit.date, visit.department, visit.state,
               (ARRAY['Oil and filters', 'Brake pads', 'Wiper blades'])[k], 'labour', 'customer', 100,
               1, 1, now(), now()
          FROM dealer_visit visit CROSS JOIN generate_series(1, %(lines)s) k
         WHERE visit.company_id = %(company)s
        """,
        {"company": company.id, "lines": LINES_PER_VISIT},
    )
    cr.execute(
        """
        INSERT INTO fleet_vehicle_odometer (vehicle_id, date, value, dealer_visit_id, dealer_suspect,
                                            create_uid, write_uid, create_date, write_date)
        SELECT visit.vehicle_id, visit.date, visit.odometer, visit.id, FALSE, 1, 1, now(), now()
          FROM dealer_visit visit
         WHERE visit.company_id = %(company)s
        """,
        {"company": company.id},
    )
    env.invalidate_all()


def _portal_customer(env, company):
    """The first customer (three cars), with a portal login; their cars' predictions computed."""
    vehicles = env["fleet.vehicle"].search([("company_id", "=", company.id)], order="id", limit=1)
    customer = vehicles.dealer_owner_id
    cars = env["fleet.vehicle"].search([("dealer_owner_id", "=", customer.id)])
    cars._dealer_recompute_service_plan()
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "login": f"portal-bench-{customer.id}",
                "password": PASSWORD,
                "partner_id": customer.id,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, env.ref("base.group_portal").ids)],
            }
        )
    )
    return user, cars


def _log_in(client, login):
    page = client.get("/web/login", environ_base=ENVIRON)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post(
        "/web/login", data={"login": login, "password": PASSWORD, "csrf_token": csrf}, environ_base=ENVIRON
    )
    if response.status_code != 303:
        raise RuntimeError(f"the portal user could not log in ({response.status_code})")


def _median_ms(client, url, expected):
    timings = []
    for attempt in range(REQUESTS + 2):
        started = time.perf_counter()
        response = client.get(url, environ_base=ENVIRON)
        elapsed = time.perf_counter() - started
        body = response.get_data(as_text=True)
        if response.status_code != 200 or expected not in body:
            raise RuntimeError(f"{url} answered {response.status_code} without {expected!r}")
        if attempt >= 2:
            timings.append(elapsed)
    return round(statistics.median(timings) * 1000, 1)


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": "Portal Bench Motors"})
        create_dealership(env, CUSTOMERS, VEHICLES, seed=SEED, code_prefix="W", company=company)
        _insert_history(env, company)
        user, cars = _portal_customer(env, company)
        cr.commit()
        cr.execute("ANALYZE")
        cr.commit()
        login, plate = user.login, cars[0].license_plate
        car_url = f"/my/vehicles/{cars[0].id}"

    client = Client(http.root, use_cookies=True)
    _log_in(client, login)
    yield "portal_vehicles_ms", _median_ms(client, "/my/vehicles", plate), "ms"
    yield "portal_vehicle_page_ms", _median_ms(client, car_url, "PORTAL-"), "ms"
    yield "portal_vehicle_page_visits", VISITS_PER_VEHICLE, "visits"
