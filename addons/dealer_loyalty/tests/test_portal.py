# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import timedelta

from markupsafe import escape

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import DealerLoyaltyCase


class PortalCustomersMixin:
    """Two customers with a portal login each, their cars and visits; a used car with a past owner."""

    @classmethod
    def make_portal_customers(cls, env):
        brand = env["fleet.vehicle.model.brand"].create({"name": "Portalbrand"})
        model = env["fleet.vehicle.model"].create({"name": "Cruiser", "brand_id": brand.id})
        today = fields.Date.context_today(env.user)
        cls.alice = env["res.partner"].create({"name": "Alice Portal", "email": "alice@example.com"})
        cls.bob = env["res.partner"].create({"name": "Bob Portal", "email": "bob@example.com"})
        cls.past_owner = env["res.partner"].create({"name": "Carl Before", "email": "carl@example.com"})
        cls.alice_user = new_test_user(
            env,
            login="alice_portal",
            password="alice_portal_pw",
            groups="base.group_portal",
            partner_id=cls.alice.id,
        )
        cls.bob_user = new_test_user(
            env,
            login="bob_portal",
            password="bob_portal_pw",
            groups="base.group_portal",
            partner_id=cls.bob.id,
        )
        Vehicle = env["fleet.vehicle"]
        cls.alice_car = Vehicle.create(
            {
                "model_id": model.id,
                "license_plate": "ALICE01",
                "dealer_owner_id": cls.past_owner.id,
                "dealer_condition": "used",
                "dealer_warranty_end": today + timedelta(days=400),
                "dealer_inspection_due": today + timedelta(days=100),
            }
        )
        cls.bob_car = Vehicle.create(
            {
                "model_id": model.id,
                "license_plate": "BOB0001",
                "dealer_owner_id": cls.bob.id,
                "dealer_condition": "used",
            }
        )

        def visit(car, partner, days_ago, odometer, work, amount):
            return env["dealer.visit"].create(
                {
                    "partner_id": partner.id,
                    "vehicle_id": car.id,
                    "date": today - timedelta(days=days_ago),
                    "odometer": odometer,
                    "state": "done",
                    "line_ids": [(0, 0, {"name": work, "payer_type": "customer", "amount": amount})],
                }
            )

        # Carl had the car serviced, then sold it to Alice: his visit is his own.
        cls.past_visit = visit(
            cls.alice_car, cls.past_owner, 400, 20000, "Timing belt of the past owner", 900
        )
        cls.alice_car.with_context(dealer_loyalty_ownership_end_reason="sold").dealer_owner_id = cls.alice
        cls.alice_visit = visit(cls.alice_car, cls.alice, 60, 31000, "Oil service", 250)
        cls.bob_visit = visit(cls.bob_car, cls.bob, 30, 15000, "Brake pads of Bob", 180)
        cls.alice_draft = env["dealer.visit"].create(
            {"partner_id": cls.alice.id, "vehicle_id": cls.alice_car.id, "date": today, "state": "draft"}
        )


@tagged("post_install", "-at_install")
class TestPortalAccess(PortalCustomersMixin, DealerLoyaltyCase):
    """What a portal user may read of vehicles and visits, called over RPC as they would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_portal_customers(cls.env)

    def test_a_customer_reads_only_their_own_vehicles(self):
        Vehicle = self.env["fleet.vehicle"].with_user(self.alice_user)
        self.assertEqual(Vehicle.search([]), self.alice_car)
        self.assertEqual(
            Vehicle.browse(self.alice_car.id).read(["license_plate"])[0]["license_plate"], "ALICE01"
        )
        with self.assertRaises(AccessError):
            Vehicle.browse(self.bob_car.id).read(["license_plate"])
        with self.assertRaises(AccessError):
            self.bob_car.with_user(self.alice_user).check_access("read")

    def test_a_customer_reads_only_their_own_done_visits(self):
        Visit = self.env["dealer.visit"].with_user(self.alice_user)
        self.assertEqual(Visit.search([]), self.alice_visit)
        for foreign in (self.bob_visit, self.past_visit, self.alice_draft):
            with self.subTest(visit=foreign.name), self.assertRaises(AccessError):
                Visit.browse(foreign.id).read(["amount_total"])
        # The staff's notes on the customer's own visit are not the customer's to read.
        with self.assertRaises(AccessError):
            Visit.browse(self.alice_visit.id).read(["note"])
        Line = self.env["dealer.visit.line"].with_user(self.alice_user)
        self.assertEqual(Line.search([]).mapped("name"), ["Oil service"])
        with self.assertRaises(AccessError):
            Line.browse(self.bob_visit.line_ids.id).read(["name"])

    def test_a_customer_reads_no_warranty_insurance_or_internal_amounts(self):
        # The page says "Covered"; what the maker, the insurer or the dealer paid is not the customer's.
        self.alice_visit.line_ids = [
            (0, 0, {"name": "Recall", "payer_type": "warranty", "amount": 777}),
            (0, 0, {"name": "Goodwill", "payer_type": "internal", "amount": 333}),
        ]
        Visit = self.env["dealer.visit"].with_user(self.alice_user)
        self.assertEqual(
            Visit.browse(self.alice_visit.id).read(["amount_customer"])[0]["amount_customer"], 250
        )
        for fname in ("amount_total", "amount_warranty", "amount_insurance", "amount_internal"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                Visit.browse(self.alice_visit.id).read([fname])
        with self.assertRaises(AccessError):
            self.env["dealer.visit.line"].with_user(self.alice_user).search_read([], ["name", "amount"])
        # Nor summed up on their own contact.
        with self.assertRaises(AccessError):
            self.alice.with_user(self.alice_user).read(["dealer_total_revenue"])

    def test_a_used_cars_new_owner_reads_none_of_the_past_owners_messages(self):
        # The car's chatter holds what staff wrote to its owner at the time: Carl's, not Alice's.
        self.alice_car.message_post(
            body="Carl, your car loan instalment is overdue",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.past_owner.ids,
        )
        Message = self.env["mail.message"].with_user(self.alice_user)
        found = Message.search([("model", "=", "fleet.vehicle"), ("res_id", "=", self.alice_car.id)])
        self.assertFalse(found.filtered(lambda message: "overdue" in (message.sudo().body or "")))
        message = self.alice_car.message_ids.filtered(lambda message: "overdue" in message.body)
        with self.assertRaises(AccessError):
            message.with_user(self.alice_user).read(["body"])

    def test_a_customer_changes_nothing(self):
        with self.assertRaises(AccessError):
            self.alice_car.with_user(self.alice_user).write({"dealer_owner_id": self.alice.id})
        with self.assertRaises(AccessError):
            self.alice_visit.with_user(self.alice_user).write({"odometer": 1})
        with self.assertRaises(AccessError):
            self.env["fleet.vehicle"].with_user(self.alice_user).create(
                {"model_id": self.model.id, "dealer_owner_id": self.alice.id}
            )

    def test_a_company_contact_sees_the_company_cars(self):
        company = self.env["res.partner"].create({"name": "Fleet Owner Ltd", "is_company": True})
        driver = self.env["res.partner"].create({"name": "Dora Driver", "parent_id": company.id})
        driver_user = new_test_user(
            self.env, login="dora_portal", groups="base.group_portal", partner_id=driver.id
        )
        company_car = self.env["fleet.vehicle"].create(
            {"model_id": self.model.id, "license_plate": "LTD0001", "dealer_owner_id": company.id}
        )
        self.assertEqual(self.env["fleet.vehicle"].with_user(driver_user).search([]), company_car)

    def test_staff_invite_a_customer_to_the_portal(self):
        clerk = new_test_user(
            self.env, login="portal_clerk", groups="dealer_loyalty.dealer_loyalty_group_user"
        )
        customer = self.env["res.partner"].create({"name": "Eve Invited", "email": "eve@example.com"})
        action = (
            self.env.ref("portal.partner_wizard_action_create_and_open")
            .with_user(clerk)
            .with_context(active_model="res.partner", active_id=customer.id, active_ids=customer.ids)
            .run()
        )
        wizard = self.env["portal.wizard"].with_user(clerk).browse(action["res_id"])
        self.assertEqual(wizard.user_ids.partner_id, customer)
        wizard.user_ids.action_grant_access()
        self.assertTrue(customer.user_ids._is_portal())
        form = self.env["res.partner"].with_user(clerk).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("Invite to portal", form)

    def test_the_welcome_message_invites_the_customer_to_their_page(self):
        """A customer without a login is invited: the link signs them up, then opens /my."""
        newcomer = self.env["res.partner"].create({"name": "Mari Mets", "email": "mari.mets@example.com"})
        program = self.env.ref("dealer_loyalty.dealer_loyalty_program_welcome")
        reminder = self.env["dealer.loyalty.reminder"].create(
            {
                "program_id": program.id,
                "program_type": program.program_type,
                "company_id": program.company_id.id,
                "partner_id": newcomer.id,
                "due_date": fields.Date.today(),
                "scheduled_date": fields.Date.today(),
                "channel": "email",
            }
        )
        body = program.mail_template_id._render_field("body_html", reminder.ids)[reminder.id]
        [url] = re.findall(r'href="([^"]*/web/signup[^"]*)"', str(body))
        self.assertIn("redirect=%2Fmy", url)
        token = re.search(r"token=([^&]+)", url).group(1)
        self.env["res.users"].sudo().signup(
            {"login": "mari.mets@example.com", "password": "mari-mets-pw", "name": "Mari Mets"}, token
        )
        user = self.env["res.users"].search([("partner_id", "=", newcomer.id)])
        self.assertTrue(user.share and user.has_group("base.group_portal"), "a portal login of her own")
        # A customer who has a login is sent to log in, not to sign up again.
        body = program.mail_template_id._render_field("body_html", reminder.ids)[reminder.id]
        self.assertRegex(str(body), r'href="[^"]*/web/login\?[^"]*redirect=%2Fmy')


@tagged("post_install", "-at_install")
class TestPortalPages(PortalCustomersMixin, HttpCase):
    """The pages as the customers open them, and as another customer trying their addresses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_portal_customers(cls.env)

    def test_the_customer_sees_their_car_its_due_date_and_history(self):
        self.authenticate("alice_portal", "alice_portal_pw")
        listing = self.url_open("/my/vehicles")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("ALICE01", listing.text)
        self.assertNotIn("BOB0001", listing.text)
        page = self.url_open(f"/my/vehicles/{self.alice_car.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("31,000 km", page.text)
        self.assertIn("Oil service", page.text)
        self.assertIn(escape(self.alice_car.dealer_next_service_explanation), page.text)
        # The amount with the currency where it goes (before for $, after for € in the demo company).
        currency = self.alice_visit.currency_id
        amount = '<span class="oe_currency_value">250.00</span>'
        self.assertIn(
            f"{amount}\xa0{currency.symbol}"
            if currency.position == "after"
            else f"{currency.symbol}\xa0{amount}",
            page.text,
        )
        # The past owner's visit of the same car stays his.
        self.assertNotIn("Timing belt of the past owner", page.text)

    def test_what_is_past_its_date_says_so(self):
        self.alice_car.dealer_inspection_due = fields.Date.context_today(self.alice_user) - timedelta(days=1)
        self.authenticate("alice_portal", "alice_portal_pw")
        page = self.url_open(f"/my/vehicles/{self.alice_car.id}")
        self.assertIn("Overdue", page.text)
        self.assertNotIn("(ended)", page.text)

    def test_another_customer_gets_not_found(self):
        self.authenticate("bob_portal", "bob_portal_pw")
        for url in (f"/my/vehicles/{self.alice_car.id}", "/my/vehicles/999999999"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("ALICE01", response.text)
                self.assertNotIn("Oil service", response.text)
        listing = self.url_open("/my/vehicles")
        self.assertNotIn("ALICE01", listing.text)

    def test_another_customer_cannot_read_them_over_rpc(self):
        self.authenticate("bob_portal", "bob_portal_pw")
        for model, record, field in (
            ("fleet.vehicle", self.alice_car, "license_plate"),
            ("dealer.visit", self.alice_visit, "amount_total"),
            ("dealer.visit.line", self.alice_visit.line_ids, "name"),
        ):
            with self.subTest(model=model), self.assertRaises(JsonRpcException) as caught:
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/read",
                    {"model": model, "method": "read", "args": [record.ids, [field]], "kwargs": {}},
                )
            self.assertIn("odoo.exceptions.AccessError", str(caught.exception))
        found = self.make_jsonrpc_request(
            "/web/dataset/call_kw/fleet.vehicle/search_read",
            {
                "model": "fleet.vehicle",
                "method": "search_read",
                "args": [[], ["license_plate"]],
                "kwargs": {},
            },
        )
        self.assertEqual([row["license_plate"] for row in found], ["BOB0001"])

    def test_a_visitor_is_sent_to_log_in(self):
        response = self.url_open(f"/my/vehicles/{self.alice_car.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_the_page_speaks_the_customer_language(self):
        self.env["res.lang"]._activate_lang("et_EE")
        self.env["ir.module.module"]._load_module_terms(["dealer_loyalty"], ["et_EE"])
        self.alice_user.lang = "et_EE"
        self.authenticate("alice_portal", "alice_portal_pw")
        # The login page, seen in the browser's language, left its language cookie.
        self.opener.cookies.set("frontend_lang", "en_US")
        page = self.url_open(f"/my/vehicles/{self.alice_car.id}")
        self.assertIn("31 000 km", page.text.replace("\xa0", " "))
        self.assertIn(self.alice_visit.date.strftime("%d.%m.%Y"), page.text)
        explanation = self.alice_car.with_context(lang="et_EE")._dealer_explain_next_service()
        self.assertNotIn("decides", explanation)
        self.assertIn(escape(explanation), page.text)

    def test_preferences_saved_while_logged_in(self):
        self.alice.write({"dealer_consent_email": True, "dealer_consent_sms": True})
        self.authenticate("alice_portal", "alice_portal_pw")
        page = self.url_open("/my/preferences")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        saved = self.url_open("/my/preferences", data={"csrf_token": csrf, "email": "on", "letter": "on"})
        self.assertEqual(saved.status_code, 200)
        self.assertIn("your preferences are saved", saved.text)
        self.alice.invalidate_recordset()
        self.assertTrue(self.alice.dealer_consent_email)
        self.assertFalse(self.alice.dealer_consent_sms)
        self.assertTrue(self.alice.dealer_consent_letter)
        self.assertEqual(self.alice.dealer_consent_sms_source, "customer")
        # Bob's consents are his own: the page only ever writes the logged-in person's.
        self.assertFalse(self.bob.dealer_consent_letter)

    def test_portal_tour(self):
        self.alice.write({"dealer_consent_sms": True})
        self.start_tour("/my", "dealer_portal_tour", login="alice_portal")
        self.alice.invalidate_recordset()
        self.assertFalse(self.alice.dealer_consent_sms)
