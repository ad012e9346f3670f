# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from datetime import date
from functools import partial

from odoo import SUPERUSER_ID, api, sql_db
from odoo.service.model import retrying
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger


def run_as_two_requests(dbname, first, second):
    """Run two operations at the same moment on two real database connections, as two requests.

    Each runs as Odoo runs a request: inside ``retrying``, which runs it again
    after a serialization failure, then commits. Both are released together.

    :param first, second: callables taking an environment
    :return: {"first": result or exception, "second": ...}
    """
    db = sql_db.db_connect(dbname)
    barrier = threading.Barrier(2)
    outcome = {}

    def run(name, env, operation):
        try:
            barrier.wait(timeout=10)
            outcome[name] = retrying(partial(operation, env), env)
        except Exception as error:  # noqa: BLE001 - handed to the test, which decides
            outcome[name] = error
            env.cr.rollback()

    with db.cursor() as first_cr, db.cursor() as second_cr, mute_logger("odoo.sql_db"):
        # Environments are made here: a thread must not wait for the registry lock the runner may hold.
        envs = [api.Environment(cr, SUPERUSER_ID, {}) for cr in (first_cr, second_cr)]
        threads = [
            threading.Thread(target=run, args=(name, env, operation))
            for name, env, operation in zip(("first", "second"), envs, (first, second), strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    return outcome


class DealerLoyaltyCase(TransactionCase):
    """Shared fixtures: a company service plan, a model, a customer and a new vehicle."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.write(
            {
                "dealer_regular_min_visits": 2,
                "dealer_regular_period_months": 12,
                "dealer_lost_after_months": 12,
                "dealer_service_interval_km": 15000,
                "dealer_service_interval_months": 12,
                "dealer_first_service_km": 1500,
                "dealer_first_service_months": 6,
                "dealer_max_daily_km": 600,
            }
        )
        cls.brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Testbrand"})
        cls.model = cls.env["fleet.vehicle.model"].create({"name": "Roadster", "brand_id": cls.brand.id})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ivan Ivanov", "email": "ivan@example.com", "dealer_customer_code": "T0001"}
        )
        cls.vehicle = cls.env["fleet.vehicle"].create(
            {
                "model_id": cls.model.id,
                "license_plate": "123ABC",
                "vin_sn": "WVWZZZ1JZXW000001",
                "dealer_owner_id": cls.customer.id,
                "dealer_condition": "new",
                "dealer_handover_date": date(2026, 1, 10),
            }
        )

    @classmethod
    def make_visit(
        cls, visit_date, odometer=0, department="service", vehicle=None, partner=None, lines=None, **extra
    ):
        vehicle = cls.vehicle if vehicle is None else vehicle
        vals = {
            "partner_id": (partner or cls.customer).id,
            "vehicle_id": vehicle.id,
            "date": visit_date,
            "odometer": odometer,
            "department": department,
            "state": "done",
            "line_ids": [
                (0, 0, {"name": name, "category": category, "payer_type": payer, "amount": amount})
                for name, category, payer, amount in (lines or [("Maintenance", "labour", "customer", 100.0)])
            ],
        }
        vals.update(extra)
        return cls.env["dealer.visit"].create(vals)
