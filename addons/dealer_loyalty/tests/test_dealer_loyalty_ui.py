# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_app_opens_from_home_menu(self):
        self.start_tour("/odoo", "dealer_loyalty_app_tour", login="admin")

    def test_visit_updates_vehicle_and_customer(self):
        brand = self.env["fleet.vehicle.model.brand"].create({"name": "Tourbrand"})
        model = self.env["fleet.vehicle.model"].create({"name": "Tourer", "brand_id": brand.id})
        customer = self.env["res.partner"].create({"name": "Tour Customer", "dealer_segment": "prospect"})
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "TOUR001",
                "dealer_owner_id": customer.id,
                "dealer_condition": "used",
            }
        )
        self.start_tour("/odoo", "dealer_visit_tour", login="admin")
        self.assertEqual(vehicle.dealer_last_service_odometer, 12345)
        self.assertEqual(vehicle.dealer_last_service_date, fields.Date.context_today(vehicle))
        self.assertEqual(customer.dealer_segment, "active")
