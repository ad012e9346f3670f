# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalSurveys(HttpCase):
    """A customer's open satisfaction surveys on their portal page, and nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("dealer_csi.survey_csi_service")
        cls.alice = cls.env["res.partner"].create({"name": "Alice Survey", "email": "alice.s@example.com"})
        cls.bob = cls.env["res.partner"].create({"name": "Bob Survey", "email": "bob.s@example.com"})
        new_test_user(
            cls.env,
            login="alice_csi",
            password="alice_csi_pw",
            groups="base.group_portal",
            partner_id=cls.alice.id,
        )
        new_test_user(
            cls.env, login="bob_csi", password="bob_csi_pw", groups="base.group_portal", partner_id=cls.bob.id
        )
        today = fields.Date.context_today(cls.env.user)
        now = fields.Datetime.now()

        def invitation(partner, **values):
            return cls.env["survey.user_input"].create(
                {
                    "survey_id": cls.survey.id,
                    "partner_id": partner.id,
                    "dealer_kind": "visit",
                    "dealer_visit_date": today,
                    "dealer_company_id": cls.env.company.id,
                    "dealer_department": "service",
                    "dealer_channel": "email",
                    "dealer_csi_state": "sent",
                    "deadline": now + timedelta(days=7),
                    **values,
                }
            )

        cls.open = invitation(cls.alice)
        cls.expired = invitation(cls.alice, deadline=now - timedelta(days=1))
        cls.withdrawn = invitation(cls.alice, dealer_csi_state="withdrawn")
        cls.answered = invitation(cls.alice, state="done", dealer_csi_state="answered")
        cls.bobs = invitation(cls.bob)

    def test_the_customer_sees_their_open_surveys_only(self):
        self.authenticate("alice_csi", "alice_csi_pw")
        page = self.url_open("/my/surveys")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.open.get_start_url(), page.text.replace("&amp;", "&"))
        for closed in (self.expired, self.withdrawn, self.answered, self.bobs):
            with self.subTest(invitation=closed.id):
                self.assertNotIn(closed.access_token, page.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["dealer_survey_count"]})
        self.assertEqual(counters["dealer_survey_count"], 1)

    def test_the_link_opens_the_survey_for_its_customer(self):
        self.authenticate("alice_csi", "alice_csi_pw")
        response = self.url_open(self.open.get_start_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.survey.title, response.text)

    def test_another_customer_sees_none_of_them(self):
        self.authenticate("bob_csi", "bob_csi_pw")
        page = self.url_open("/my/surveys")
        self.assertIn(self.bobs.access_token, page.text)
        self.assertNotIn(self.open.access_token, page.text)
