# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from .common import TODAY, DealerCsiCase


@tagged("post_install", "-at_install")
class TestCsiCustomerLifecycle(DealerCsiCase):
    def test_customer_archived_before_sending_is_not_asked(self):
        self.config.channel = "email"
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.assertEqual(invitation.dealer_csi_state, "to_send")
        self.customer.action_archive()
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(invitation.dealer_csi_state, "skipped")
        self.assertFalse(
            self.env["mail.mail"].search(
                [("res_id", "=", invitation.id), ("model", "=", "survey.user_input")]
            )
        )
