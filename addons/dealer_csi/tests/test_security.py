# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import TODAY, DealerCsiCase


@tagged("post_install", "-at_install")
class TestCsiRecordRules(DealerCsiCase):
    """The rule: a CSI user sees the survey answers of their own visits (as advisor or
    salesperson), the calls they are to make and the answers behind the complaints they
    handle; a CSI manager sees all answers of their companies. Complaints and contacts
    are shared by the company's CSI users. Other companies' records are out of sight."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dealer_csi_complaint_threshold = 0.0
        cls.colleague = cls.advisor.copy({"name": "Carl Colleague", "login": "csi_colleague"})

    def test_advisor_sees_own_answers_only(self):
        own = self.make_answer_set(self.make_visit(TODAY), [4] * 6, recommend=9)
        other = self.make_answer_set(self.make_visit(TODAY, user_id=self.colleague.id), [2] * 6, recommend=2)
        self.env.flush_all()
        Input = self.env["survey.user_input"]
        domain = [("dealer_kind", "=", "visit")]
        self.assertEqual(Input.with_user(self.advisor).search(domain), own)
        self.assertEqual(Input.with_user(self.colleague).search(domain), other)
        self.assertEqual(Input.with_user(self.manager).search(domain), own | other)
        with self.assertRaises(AccessError):
            other.with_user(self.advisor).read(["dealer_csi_score"])
        lines = (
            self.env["survey.user_input.line"]
            .with_user(self.advisor)
            .search([("user_input_id", "in", (own | other).ids)])
        )
        self.assertEqual(lines.user_input_id, own)
        report = self.env["dealer.csi.report"]
        self.assertEqual(report.with_user(self.advisor).search([]).user_input_id, own)
        self.assertEqual(report.with_user(self.manager).search([]).user_input_id, own | other)

    def test_agent_sees_the_calls_given_to_them(self):
        visit = self.make_visit(TODAY - timedelta(days=3), user_id=self.colleague.id)
        invitation = self.invite(visit)  # the setting's call agent is the advisor
        self.assertEqual(invitation.with_user(self.advisor).dealer_agent_id, self.advisor)
        with self.assertRaises(AccessError):
            invitation.with_user(
                self.manager.copy(
                    {
                        "login": "csi_user2",
                        "groups_id": [(6, 0, [self.env.ref("dealer_csi.dealer_csi_group_user").id])],
                    }
                )
            ).read(["partner_id"])

    def test_complaint_handler_sees_the_answers_behind_it(self):
        self.company.dealer_csi_complaint_threshold = 60.0
        self.config.manager_id = self.colleague
        low = self.make_answer_set(self.make_visit(TODAY), [1] * 6, recommend=0)
        complaint = low.dealer_complaint_ids.with_user(self.colleague)
        self.assertEqual(low.with_user(self.colleague).dealer_csi_score, 0.0)
        self.assertEqual(complaint.survey_score, 0.0)
        # Another CSI user of the company opens the complaint and reads the answers on it,
        # without reaching the answer set itself.
        other = self.advisor.copy({"name": "Olga Other", "login": "csi_other"})
        self.assertIn("service advisor", low.dealer_complaint_ids.with_user(other).survey_answers_html)
        with self.assertRaises(AccessError):
            low.with_user(other).read(["dealer_csi_score"])

    def test_answer_sets_cannot_be_attached_by_hand(self):
        other = self.make_answer_set(self.make_visit(TODAY, user_id=self.colleague.id), [4] * 6, recommend=8)
        with self.assertRaises(AccessError):
            self.env["dealer.complaint"].with_user(self.advisor).create(
                {"name": "Peek", "partner_id": self.customer.id, "user_input_id": other.id}
            )

    def test_only_the_agent_fills_in_for_the_customer(self):
        visit = self.make_visit(TODAY - timedelta(days=3))  # the advisor's own visit
        self.config.user_id = self.colleague  # the colleague makes the calls
        invitation = self.invite(visit)
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        # The advisor does not see the open invitation about their own visit (nor its link).
        self.assertFalse(
            self.env["survey.user_input"].with_user(self.advisor).search([("id", "=", invitation.id)])
        )
        self.assertTrue(invitation.with_user(self.colleague)._dealer_may_fill_in())
        self.assertTrue(invitation.with_user(self.manager)._dealer_may_fill_in())
        self.assertFalse(invitation.with_user(self.advisor)._dealer_may_fill_in())
        action = invitation.with_user(self.colleague).action_dealer_fill_in()
        self.assertIn(invitation.access_token, action["url"])
        # The agent works the call but cannot rewrite who it is about.
        with self.assertRaises(AccessError):
            invitation.with_user(self.advisor).write({"dealer_csi_state": "skipped"})
        self.company.dealer_csi_call_max_attempts = 2
        invitation.with_user(self.colleague).action_dealer_not_reached()
        self.assertEqual(invitation.dealer_csi_state, "to_call")  # tried again later
        with freeze_time("2026-06-16 10:00:00"):
            invitation.with_user(self.colleague).action_dealer_not_reached()
        self.assertEqual(invitation.dealer_csi_state, "failed")
        self.assertFalse(invitation.with_user(self.colleague)._dealer_may_fill_in())

    def test_csi_surveys_are_changed_by_csi_managers_only(self):
        survey_user = self.advisor.copy(
            {
                "login": "csi_survey_user",
                "groups_id": [
                    (4, self.env.ref("survey.group_survey_user").id),
                    (4, self.env.ref("dealer_csi.dealer_csi_group_user").id),
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.survey.with_user(survey_user).write({"survey_type": "survey"})
        with self.assertRaises(AccessError):
            self.score_questions[0].with_user(survey_user).write({"dealer_csi_role": False})
        with self.assertRaises(AccessError):
            self.config.with_user(self.advisor).action_run_now()
        self.score_questions[0].with_user(self.manager).write({"title": "How easy was booking?"})
        self.assertEqual(self.score_questions[0].title, "How easy was booking?")

    def test_other_companies_are_out_of_sight(self):
        other_company = self.env["res.company"].create({"name": "Rival Motors"})
        rival = self.env["dealer.complaint"].create(
            {"name": "Rival's complaint", "partner_id": self.customer.id, "company_id": other_company.id}
        )
        ours = self.env["dealer.complaint"].create({"name": "Ours", "partner_id": self.customer.id})
        visible = (
            self.env["dealer.complaint"]
            .with_user(self.advisor)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(visible, ours)
        self.assertNotIn(rival, visible)
        log = self.env["dealer.contact.log"].create(
            {"contact_name": "Rival caller", "company_id": other_company.id}
        )
        self.assertFalse(self.env["dealer.contact.log"].with_user(self.advisor).search([("id", "=", log.id)]))

    def test_users_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.config.with_user(self.advisor).write({"delay_days": 1})
        with self.assertRaises(AccessError):
            self.env["dealer.complaint"].with_user(self.advisor).create(
                {"name": "Test", "partner_id": self.customer.id}
            ).unlink()

    def test_customer_form_opens_for_users_without_csi(self):
        loyalty_user = self.env["res.users"].create(
            {
                "name": "Lena Loyalty",
                "login": "loyalty_only",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        self.make_answer_set(self.make_visit(TODAY), [2] * 6, recommend=3)
        form = Form(self.customer.with_user(loyalty_user))
        self.assertEqual(form.name, self.customer.name)
        self.assertNotIn("dealer_csi_last_score", form._view["fields"])


@tagged("post_install", "-at_install")
class TestCsiDashboardOverXmlRpc(HttpCase):
    def test_dashboard_answers_over_xml_rpc(self):
        # A new company: no answers, no retention base, so figures without a value,
        # which are left out: XML-RPC cannot send None.
        company = self.env["res.company"].create({"name": "Empty Motors"})
        new_test_user(
            self.env,
            login="csi_dashboard_user",
            groups="base.group_user,dealer_csi.dealer_csi_group_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        uid = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, "csi_dashboard_user", "csi_dashboard_user", {}
        )
        dashboard = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "csi_dashboard_user", "dealer.dashboard", "get_dashboard", []
        )
        satisfaction = {section["key"]: section for section in dashboard["sections"]}["satisfaction"]
        csi = satisfaction["tiles"][0]
        self.assertEqual(csi["label"], "CSI")
        self.assertNotIn("value", csi)
