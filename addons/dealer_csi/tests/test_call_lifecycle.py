# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo.tests import tagged

from .common import TODAY, DealerCsiCase


@tagged("post_install", "-at_install")
class TestCallBackIsKept(DealerCsiCase):
    def test_call_back_asked_after_the_call_expiry_keeps_the_call(self):
        self.company.dealer_csi_call_expiry_days = 5
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        Input = self.env["survey.user_input"]
        Input._dealer_dispatch_invitations()
        self.assertEqual(invitation.dealer_call_deadline, TODAY + timedelta(days=5))
        # Reached, the customer is abroad for a week: call back on the 24th.
        invitation.with_user(self.advisor).write({"dealer_callback_at": "2026-06-24 15:00:00"})
        self.assertEqual(invitation.activity_ids.date_deadline, date(2026, 6, 24))
        self.assertNotIn(invitation, Input._dealer_expire_calls(today=date(2026, 6, 23)))
        self.assertEqual(invitation.dealer_csi_state, "to_call")
        self.assertEqual(invitation.dealer_call_deadline, date(2026, 6, 24))

    def test_call_handed_to_another_agent_moves_to_their_list(self):
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(invitation.activity_ids.user_id, self.advisor)
        # The agent left the service desk: the manager hands the call over.
        invitation.with_user(self.manager).write({"dealer_agent_id": self.manager.id})
        self.assertEqual(invitation.activity_ids.user_id, self.manager)
        self.assertEqual(len(invitation.activity_ids), 1)
