# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPreferencesPage(HttpCase):
    """The customer's own page behind the unsubscribe link: no login, one token per customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Kadri Kask",
                "email": "kadri@example.ee",
                "dealer_consent_email": True,
                "dealer_consent_sms": True,
            }
        )

    def test_customer_changes_consent_per_channel(self):
        url = self.customer._dealer_preferences_url()
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Kadri Kask", page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        saved = self.url_open(url, data={"csrf_token": csrf, "sms": "on"})
        self.assertEqual(saved.status_code, 200)
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.dealer_consent_email)
        self.assertTrue(self.customer.dealer_consent_sms)
        self.assertEqual(self.customer.dealer_consent_email_source, "customer")
        self.assertEqual(self.customer.dealer_consent_email_date, fields.Date.today())

    def test_one_click_unsubscribe(self):
        url = self.customer._dealer_preferences_url()
        response = self.url_open(f"{url}/unsubscribe", data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.dealer_consent_email)
        self.assertTrue(self.customer.dealer_consent_sms)

    def test_a_wrong_token_shows_nothing(self):
        response = self.url_open("/dealer/preferences/not-a-token")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Kadri", response.text)

    def test_a_malformed_token_is_a_wrong_token(self):
        # A NUL byte, or anything a link never holds, must not reach the database.
        for path in (
            "/dealer/preferences/%00",
            "/dealer/preferences/abc%00def",
            "/dealer/preferences/%C3%A9",
        ):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 404, path)
            unsubscribe = self.url_open(f"{path}/unsubscribe", data={"List-Unsubscribe": "One-Click"})
            self.assertEqual(unsubscribe.status_code, 404, path)
        self.customer.invalidate_recordset()
        self.assertTrue(self.customer.dealer_consent_email)
