# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import TODAY, DealerCsiCase


@tagged("post_install", "-at_install")
class TestCsiInvitations(DealerCsiCase):
    def test_invitation_on_the_survey_day_and_never_twice(self):
        due = self.make_visit(TODAY - timedelta(days=3))
        too_early = self.make_visit(TODAY - timedelta(days=2))
        caught_up = self.make_visit(TODAY - timedelta(days=10))
        too_old = self.make_visit(TODAY - timedelta(days=11))
        created = self.config._dealer_create_invitations(today=TODAY)
        self.assertEqual(created, 2)
        invitations = self.env["survey.user_input"].search([("dealer_company_id", "=", self.company.id)])
        self.assertEqual(invitations.dealer_visit_id, due | caught_up)
        self.assertNotIn(too_early, invitations.dealer_visit_id)
        self.assertNotIn(too_old, invitations.dealer_visit_id)
        invitation = invitations.filtered(lambda answer: answer.dealer_visit_id == due)
        self.assertEqual(invitation.dealer_csi_state, "to_send")
        self.assertEqual(invitation.partner_id, self.customer)
        self.assertEqual(invitation.dealer_vehicle_id, self.vehicle)
        self.assertEqual(invitation.dealer_advisor_id, self.advisor)
        self.assertEqual(invitation.dealer_department, "service")
        self.assertTrue(invitation.access_token)
        # A re-run, the next day or the same day, asks nobody twice.
        self.assertEqual(self.config._dealer_create_invitations(today=TODAY), 0)
        self.assertEqual(self.config._dealer_create_invitations(today=TODAY + timedelta(days=1)), 1)
        self.assertEqual(self.env["survey.user_input"].search_count([("dealer_visit_id", "=", due.id)]), 1)

    def test_payer_types_and_visit_states(self):
        day = TODAY - timedelta(days=3)
        customer_paid = self.make_visit(day)
        warranty_only = self.make_visit(day, lines=[("Recall", "labour", "warranty", 80.0)])
        mixed = self.make_visit(
            day, lines=[("Recall", "labour", "warranty", 80.0), ("Wipers", "parts", "customer", 20.0)]
        )
        internal_only = self.make_visit(day, lines=[("Used car prep", "labour", "internal", 300.0)])
        declined_only = self.make_visit(day)
        declined_only.line_ids.declined = True
        cancelled = self.make_visit(day)
        cancelled.action_cancel()
        body_shop = self.make_visit(day, department="body_shop")
        invited = self.invite(
            customer_paid | warranty_only | mixed | internal_only | declined_only | cancelled | body_shop
        )
        self.assertEqual(invited.dealer_visit_id, customer_paid | mixed)
        self.config.payer_warranty = True
        self.config._dealer_create_invitations(today=TODAY)
        invited = self.env["survey.user_input"].search([("dealer_company_id", "=", self.company.id)])
        self.assertEqual(invited.dealer_visit_id, customer_paid | mixed | warranty_only)

    def test_paused_setting_invites_nobody(self):
        self.config.active = False
        visit = self.make_visit(TODAY - timedelta(days=3))
        self.env["dealer.csi.config"].search(
            [("company_id", "=", self.company.id)]
        )._dealer_create_invitations(today=TODAY)
        self.assertFalse(self.env["survey.user_input"].search([("dealer_visit_id", "=", visit.id)]))

    def test_phone_channel_puts_a_call_on_the_agents_list_and_expires_it(self):
        self.company.dealer_csi_call_expiry_days = 5
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.assertFalse(invitation.predefined_question_ids)
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(invitation.dealer_csi_state, "to_call")
        # Going out, the invitation gets the survey's questions, as a survey's own invitation would.
        self.assertEqual(invitation.predefined_question_ids, self.survey.question_ids)
        today = invitation.dealer_invited_on
        self.assertEqual(invitation.dealer_call_deadline, today + timedelta(days=5))
        activity = invitation.activity_ids
        self.assertEqual(activity.user_id, self.advisor)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        Input = self.env["survey.user_input"]
        self.assertNotIn(invitation, Input._dealer_expire_calls(today=today + timedelta(days=5)))
        self.assertIn(invitation, Input._dealer_expire_calls(today=today + timedelta(days=6)))
        self.assertEqual(invitation.dealer_csi_state, "expired")
        self.assertFalse(invitation.activity_ids)
        self.assertTrue(invitation.dealer_reason)

    def test_answering_closes_the_call(self):
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.answer(invitation, [5, 5, 4, 5, 5, 4], recommend=9)
        self.assertEqual(invitation.dealer_csi_state, "answered")
        self.assertFalse(invitation.activity_ids)

    def test_email_and_sms_channels(self):
        self.config.write({"channel": "email"})
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(invitation.dealer_csi_state, "sent")
        mail = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "=", invitation.id)]
        )
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(invitation.access_token, mail.body_html)

        self.config.write({"channel": "sms"})
        texter = self.env["res.partner"].create({"name": "Sam Texter", "mobile": "+32 470 99 88 77"})
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3), partner=texter))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(invitation.dealer_csi_state, "sent")
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", texter.id)])
        self.assertEqual(sms.state, "outgoing")
        self.assertIn(invitation.access_token, sms.body)

    def test_uncontactable_customers_are_skipped_with_the_reason(self):
        self.config.write({"channel": "email", "consent_required": True})
        consenting = self.env["res.partner"].create(
            {"name": "Yes Please", "email": "yes@example.com", "dealer_consent_email": True}
        )
        no_consent = self.env["res.partner"].create({"name": "No Thanks", "email": "no@example.com"})
        no_email = self.env["res.partner"].create({"name": "No Mail", "dealer_consent_email": True})
        day = TODAY - timedelta(days=3)
        visits = (
            self.make_visit(day, partner=consenting)
            | self.make_visit(day, partner=no_consent)
            | self.make_visit(day, partner=no_email)
        )
        invitations = self.invite(visits)
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        states = {
            answer.partner_id: (answer.dealer_csi_state, answer.dealer_reason) for answer in invitations
        }
        self.assertEqual(states[consenting][0], "sent")
        self.assertEqual(states[no_consent], ("skipped", "No marketing consent for this channel."))
        self.assertEqual(states[no_email], ("skipped", "No contact data for this channel."))

    def test_a_failing_invitation_fails_alone(self):
        template = self.env.ref("dealer_csi.mail_template_csi_invitation").copy(
            {"subject": "Your visit, {{ object.partner_id.ref.upper() }}"}
        )
        self.config.write({"channel": "email", "mail_template_id": template.id})
        with_ref = self.env["res.partner"].create(
            {"name": "Has Ref", "email": "ref@example.com", "ref": "c1"}
        )
        day = TODAY - timedelta(days=3)
        good = self.invite(self.make_visit(day, partner=with_ref))
        bad = self.invite(self.make_visit(day))  # the customer has no reference: rendering fails
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(good.dealer_csi_state, "sent")
        self.assertEqual(bad.dealer_csi_state, "failed")
        self.assertIn("Could not be sent", bad.dealer_reason)

    def test_cron_runs_every_setting_and_sends(self):
        visit = self.make_visit(fields.Date.context_today(self.config) - timedelta(days=3))
        self.env["dealer.csi.config"]._cron_dealer_csi_invitations()
        invitation = self.env["survey.user_input"].search([("dealer_visit_id", "=", visit.id)])
        self.assertEqual(invitation.dealer_csi_state, "to_call")
