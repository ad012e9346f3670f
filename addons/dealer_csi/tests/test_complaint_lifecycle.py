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

    def test_resurvey_without_a_score_does_not_reopen_the_complaint(self):
        self.enable_service_recovery()
        low = self.make_answer_set(
            self.make_visit(TODAY - timedelta(days=3)), [1, 1, 1, 1, 1, 1], recommend=0
        )
        complaint = low.dealer_complaint_ids
        resolved = self.env.ref("dealer_csi.dealer_complaint_stage_resolved")
        complaint.write({"resolution": "Brakes bled again.", "stage_id": resolved.id})
        self.env["dealer.complaint"]._dealer_create_resurveys(today=complaint.resurvey_date)
        resurvey = complaint.resurvey_id
        resolution, recommend = resurvey.survey_id.question_ids
        resolution.constr_mandatory = False  # a re-survey whose score question may be skipped
        resurvey._save_lines(recommend, "10")
        resurvey._mark_done()
        self.assertFalse(resurvey.dealer_is_scored)
        self.assertTrue(complaint.is_closed)
        self.assertNotEqual(complaint.customer_verdict, "unsatisfied")
