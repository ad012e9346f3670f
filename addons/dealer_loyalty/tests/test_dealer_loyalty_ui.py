# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_app_opens_on_the_dashboard_as_a_plain_dealer_user(self):
        self.env["res.users"].create(
            {
                "name": "Desk Clerk",
                "login": "desk_clerk",
                "password": "desk_clerk_pw",
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        brand = self.env["fleet.vehicle.model.brand"].create({"name": "Tourbrand"})
        model = self.env["fleet.vehicle.model"].create({"name": "Tourer", "brand_id": brand.id})
        customer = self.env["res.partner"].create({"name": "Dash Customer", "dealer_segment": "active"})
        today = fields.Date.context_today(self.env.user)
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "DASH090",
                "dealer_owner_id": customer.id,
                "dealer_condition": "new",
                "dealer_handover_date": today - timedelta(days=120),
            }
        )
        self.assertTrue(today <= vehicle.dealer_next_service_date <= today + timedelta(days=90))
        self.start_tour("/odoo", "dealer_loyalty_app_tour", login="desk_clerk")

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

    def test_overview_to_call_outcome(self):
        today = fields.Date.context_today(self.env.user)
        brand = self.env["fleet.vehicle.model.brand"].create({"name": "Tourbrand"})
        model = self.env["fleet.vehicle.model"].create({"name": "Tourer", "brand_id": brand.id})
        customer = self.env["res.partner"].create(
            {"name": "Tour Call Customer", "phone": "+32456001199", "dealer_segment": "active"}
        )
        self.env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "CALL001",
                "dealer_owner_id": customer.id,
                "dealer_insurance_due": today + timedelta(days=5),
            }
        )
        program = self.env.ref("dealer_loyalty.dealer_loyalty_program_insurance").copy(
            {
                "name": "Tour Insurance Calls",
                "active": True,
                "sequence": 0,
                "channel_policy": "fixed",
                "channel": "phone",
                "user_id": self.env.ref("base.user_admin").id,
                "partner_domain": f"[('id', '=', {customer.id})]",
            }
        )
        program.action_run_now()
        call = program.reminder_ids
        self.assertEqual(call.state, "to_do")
        self.start_tour("/odoo", "dealer_reminder_tour", login="admin")
        self.assertEqual((call.state, call.attempt_count, call.call_outcome), ("to_do", 1, "no_answer"))
        self.assertEqual(call.activity_ids.date_deadline, today + timedelta(days=2))

    def test_abc_analysis_to_call_list(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Top Customer",
                "phone": "+32456001177",
                "dealer_segment": "active",
                "dealer_consent_phone": True,
            }
        )
        self.env["dealer.visit"].create(
            {
                "partner_id": customer.id,
                "date": fields.Date.context_today(self.env.user) - timedelta(days=10),
                "state": "done",
                "line_ids": [(0, 0, {"name": "Engine overhaul", "amount": 250000.0})],
            }
        )
        self.start_tour("/odoo", "dealer_abc_tour", login="admin")
        program = self.env["dealer.loyalty.program"].search([("program_type", "=", "working_list")])
        self.assertEqual(len(program), 1)
        class_a = self.env["dealer.abc.report"].search([("abc_class", "=", "A")]).partner_id
        self.assertIn(customer, class_a)
        self.assertEqual(program.reminder_ids.partner_id, class_a, "one call per class A customer")
        self.assertEqual(program.reminder_ids.filtered(lambda r: r.partner_id == customer).state, "to_do")

    def test_lost_customers_are_red_on_the_chart_whatever_comes_first(self):
        """Odoo colours series by the order they come in; the chart of states keeps one colour each."""
        self.env["res.users"].create(
            {
                "name": "Chart Reader",
                "login": "chart_reader",
                "password": "chart_reader_pw",
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        today = fields.Date.context_today(self.env.user)
        # The lost customers come first in time: Odoo alone would draw them in its first colour, blue.
        for name, months in (("Chart Slipping", 8), ("Chart Lost", 20), ("Chart Lost Too", 26)):
            customer = self.env["res.partner"].create({"name": name})
            self.env["dealer.visit"].create(
                {
                    "partner_id": customer.id,
                    "date": today - timedelta(days=months * 31),
                    "department": "service",
                    "state": "done",
                }
            )
        self.start_tour(
            "/odoo/action-dealer_loyalty.dealer_lost_customer_report_action?view_type=graph",
            "dealer_status_colors_tour",
            login="chart_reader",
        )


@tagged("post_install", "-at_install")
class TestUiInRussian(HttpCase):
    def test_retention_overview_in_russian_as_a_dealer_user(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["dealer_loyalty"], ["ru_RU"], overwrite=True)
        self.env.ref("dealer_loyalty.dealer_loyalty_program_insurance").active = True
        self.env["res.users"].create(
            {
                "name": "Ольга Оператор",
                "login": "dealer_ru",
                "password": "dealer_ru",
                "lang": "ru_RU",
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        self.start_tour("/odoo", "dealer_retention_russian_tour", login="dealer_ru")
