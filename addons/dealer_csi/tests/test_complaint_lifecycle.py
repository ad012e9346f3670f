# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from .common import TODAY, DealerCsiCase


@tagged("post_install", "-at_install")
class TestComplaintHandOver(DealerCsiCase):
    def test_hand_over_moves_the_to_do_and_severity_moves_its_deadline(self):
        low = self.make_answer_set(
            self.make_visit(TODAY - timedelta(days=3)), [3, 3, 3, 3, 3, 3], recommend=5
        )
        complaint = low.dealer_complaint_ids
        self.assertEqual(complaint.activity_ids.user_id, self.manager)
        complaint.with_user(self.manager).write({"user_id": self.advisor.id})
        # The new responsible has it on their list; the former one no longer does.
        self.assertEqual(complaint.activity_ids.user_id, self.advisor)
        self.assertEqual(len(complaint.activity_ids), 1)
        complaint.with_user(self.manager).write({"severity": "critical"})
        self.assertEqual(complaint.activity_ids.date_deadline, complaint.date_deadline)

    def test_escalating_an_open_complaint_keeps_one_to_do(self):
        low = self.make_answer_set(
            self.make_visit(TODAY - timedelta(days=3)), [3, 3, 3, 3, 3, 3], recommend=5
        )
        complaint = low.dealer_complaint_ids
        complaint.with_user(self.manager).write({"user_id": self.advisor.id})
        complaint._dealer_escalate(low)
        self.assertEqual(len(complaint.activity_ids), 1)
        self.assertEqual(complaint.activity_ids.user_id, complaint.user_id)
        self.assertIn("still not satisfied", complaint.activity_ids.summary)
        self.assertEqual(complaint.activity_ids.date_deadline, complaint.date_deadline)
