# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.env.ref("dealer_csi.dealer_csi_config_service")
        cls.config.write({"name": "Tour service survey", "active": True, "channel": "phone"})

    def test_app_opens_from_home_menu(self):
        self.start_tour("/odoo", "dealer_csi_app_tour", login="admin")

    def test_call_agent_fills_in_the_survey_for_the_customer(self):
        agent = self.env["res.users"].create(
            {
                "name": "Carla Caller",
                "login": "csi_agent",
                "password": "csi_agent",
                "groups_id": [(6, 0, [self.env.ref("dealer_csi.dealer_csi_group_user").id])],
            }
        )
        self.config.user_id = agent
        customer = self.env["res.partner"].create({"name": "Tina Tourist", "phone": "+32 470 00 00 01"})
        visit = self.env["dealer.visit"].create(
            {
                "partner_id": customer.id,
                "date": fields.Date.context_today(self.config) - timedelta(days=self.config.delay_days),
                "department": "service",
                "state": "done",
                "line_ids": [(0, 0, {"name": "Oil change", "payer_type": "customer", "amount": 120.0})],
            }
        )
        self.config._dealer_create_invitations()
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        invitation = self.env["survey.user_input"].search([("dealer_visit_id", "=", visit.id)])
        self.assertEqual(invitation.dealer_csi_state, "to_call")

        self.start_tour("/odoo", "dealer_csi_call_survey_tour", login="csi_agent")

        invitation.invalidate_recordset()
        self.assertEqual(invitation.state, "done")
        self.assertEqual(invitation.dealer_csi_state, "answered")
        self.assertEqual(invitation.dealer_csi_score, 91.7)  # 5 5 4 5 4 5, kept to one decimal
        self.assertEqual(invitation.dealer_nps_score, 9)
        self.assertEqual(invitation.dealer_nps_class, "promoter")
        self.assertEqual(invitation.partner_id, customer)
        self.assertFalse(invitation.activity_ids)

    def test_manager_resolves_a_complaint(self):
        customer = self.env["res.partner"].create({"name": "Carl Complainer"})
        complaint = self.env["dealer.complaint"].create(
            {
                "name": "Car not ready on time",
                "partner_id": customer.id,
                "severity": "high",
                "category_id": self.env.ref("dealer_csi.dealer_complaint_category_waiting_time").id,
                "user_id": self.env.ref("base.user_admin").id,
            }
        )
        self.start_tour("/odoo", "dealer_csi_complaint_tour", login="admin")
        complaint.invalidate_recordset()
        self.assertTrue(complaint.is_closed)
        self.assertEqual(complaint.resolution, "Loan car for the day and the labour refunded.")
        self.assertEqual(complaint.root_cause, "Parts ordered too late.")
        self.assertTrue(complaint.date_closed)

    def test_monthly_report_renders_as_pdf(self):
        wizard = self.env["dealer.csi.meeting.wizard"].create({})
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("dealer_csi.action_report_dealer_csi_meeting", wizard.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
