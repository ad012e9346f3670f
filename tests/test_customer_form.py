# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer form as the service desk opens it, with the three apps installed.

Odoo folds all but four smart buttons into "More" on a laptop screen; the desk's
six (vehicles, visits, reminders, card, satisfaction, complaints) stay in the row.
"""

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

CUSTOMERS_URL = "/odoo/action-dealer_loyalty.res_partner_action_dealer_customers"


@tagged("post_install", "-at_install")
class TestCustomerForm(HttpCase):
    browser_size = "1400x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A desk clerk: a plain user of the three apps, no manager.
        new_test_user(
            cls.env,
            login="form_desk",
            groups="base.group_user,dealer_membership.dealer_membership_group_user,"
            "dealer_csi.dealer_csi_group_user",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Form Customer", "dealer_segment": "active"}
        )
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Formbrand"})
        model = cls.env["fleet.vehicle.model"].create({"name": "Former", "brand_id": brand.id})
        cls.env["fleet.vehicle"].create(
            {"model_id": model.id, "license_plate": "FORM001", "dealer_owner_id": cls.customer.id}
        )
        cls.env["dealer.visit"].create(
            {
                "partner_id": cls.customer.id,
                "date": fields.Date.context_today(cls.env.user),
                "department": "service",
                "state": "done",
            }
        )

    def test_desk_buttons_stay_out_of_more_at_1400_px(self):
        self.start_tour(
            f"{CUSTOMERS_URL}/{self.customer.id}", "dealer_customer_form_buttons_tour", login="form_desk"
        )

    def test_no_portal_invitation_for_a_customer_with_a_login(self):
        new_test_user(
            self.env,
            login="form_portal_customer",
            groups="base.group_portal",
            partner_id=self.customer.id,
        )
        self.assertTrue(self.customer.user_ids)
        self.start_tour(
            f"{CUSTOMERS_URL}/{self.customer.id}", "dealer_customer_form_portal_user_tour", login="form_desk"
        )

    def test_company_form_for_a_user_outside_the_dealership_apps(self):
        new_test_user(self.env, login="form_outsider", groups="base.group_user")
        company = self.env["res.partner"].create(
            {
                "name": "Tour Fleet Company",
                "is_company": True,
                "child_ids": [Command.create({"name": "Fleet Buyer"})],
            }
        )
        self.start_tour(
            f"/odoo/res.partner/{company.id}", "dealer_company_form_plain_user_tour", login="form_outsider"
        )
