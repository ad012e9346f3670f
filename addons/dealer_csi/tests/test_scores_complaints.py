# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TODAY, DealerCsiCase


@tagged("post_install", "-at_install")
class TestCsiScores(DealerCsiCase):
    def test_csi_score_and_nps_class_from_the_answers(self):
        visit = self.make_visit(TODAY)
        top = self.make_answer_set(visit, [5, 5, 5, 5, 5, 5], recommend=10)
        self.assertEqual(top.dealer_csi_score, 100.0)
        self.assertEqual(top.dealer_nps_class, "promoter")
        self.assertEqual(top.dealer_nps_score, 10)
        # 1-5 scales: 4 -> 75, 3 -> 50, 5 -> 100, 2 -> 25
        mixed = self.make_answer_set(self.make_visit(TODAY), [4, 3, 5, 2, 4, 3], recommend=7)
        self.assertAlmostEqual(mixed.dealer_csi_score, 62.5)
        self.assertEqual(mixed.dealer_nps_class, "passive")
        low = self.make_answer_set(self.make_visit(TODAY), [1, 1, 1, 1, 1, 1], recommend=6)
        self.assertEqual(low.dealer_csi_score, 0.0)
        self.assertEqual(low.dealer_nps_class, "detractor")
        boundary = self.make_answer_set(self.make_visit(TODAY), [5, 5, 5, 5, 5, 5], recommend=9)
        self.assertEqual(boundary.dealer_nps_class, "promoter")
        # Each answer line carries its own 0-100 score for the per-question analysis.
        line = mixed.user_input_line_ids.filtered(lambda line: line.question_id == self.score_questions[1])
        self.assertEqual(line.dealer_score, 50.0)

    def test_unfinished_survey_has_no_score(self):
        user_input = self.make_answer_set(self.make_visit(TODAY), [])
        user_input._save_lines(self.score_questions[0], "1")
        self.assertFalse(user_input.dealer_is_scored)
        self.assertFalse(user_input.dealer_nps_class)
        self.assertFalse(user_input.dealer_complaint_ids)

    def test_customer_card_figures(self):
        first = self.make_answer_set(self.make_visit(TODAY - timedelta(days=40)), [5, 5, 5, 5, 5, 5], 10)
        first.end_datetime = datetime(2026, 5, 1)
        self.make_answer_set(self.make_visit(TODAY), [3, 3, 3, 3, 3, 3], recommend=5)
        self.env["dealer.contact.log"].create({"partner_id": self.customer.id, "purpose": "service"})
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dealer_csi_count, 2)
        self.assertEqual(self.customer.dealer_csi_last_score, 50.0)
        self.assertEqual(self.customer.dealer_csi_avg_score, 75.0)
        self.assertEqual(self.customer.dealer_nps_class, "detractor")
        self.assertEqual(self.customer.dealer_complaint_open_count, 1)  # the 50 opened one
        self.assertEqual(self.customer.dealer_contact_recent_count, 1)
        action = self.customer.action_dealer_open_complaints()
        self.assertEqual(self.env["dealer.complaint"].search_count(action["domain"]), 1)


@tagged("post_install", "-at_install")
class TestServiceRecovery(DealerCsiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enable_service_recovery()

    def test_low_score_opens_a_complaint_for_the_department_manager(self):
        visit = self.make_visit(TODAY)
        low = self.make_answer_set(visit, [3, 2, 3, 2, 3, 2], recommend=4)  # 37.5
        complaint = low.dealer_complaint_ids
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.user_id, self.manager)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.visit_id, visit)
        self.assertEqual(complaint.channel, "survey")
        self.assertEqual(complaint.department, "service")
        self.assertIn("How easy was it to get an appointment?", complaint.survey_answers_html)
        self.assertTrue(complaint.reference.startswith("CMP/"))
        self.assertEqual(complaint.activity_ids.user_id, self.manager)
        self.assertEqual(complaint.activity_ids.date_deadline, complaint.date_deadline)
        # At or above the threshold: no complaint.
        fine = self.make_answer_set(self.make_visit(TODAY), [4, 3, 4, 3, 4, 3], recommend=8)  # 62.5
        self.assertFalse(fine.dealer_complaint_ids)

    def test_complaint_closes_only_with_a_resolution_then_resurvey(self):
        low = self.make_answer_set(self.make_visit(TODAY), [1, 1, 1, 1, 1, 1], recommend=0)
        complaint = low.dealer_complaint_ids
        self.assertEqual(complaint.severity, "high")
        resolved = self.env.ref("dealer_csi.dealer_complaint_stage_resolved")
        with self.assertRaises(ValidationError) as refusal:
            complaint.stage_id = resolved
        self.assertIn("without a resolution", str(refusal.exception))
        complaint.write({"resolution": "Free wash and a refund of the labour.", "stage_id": resolved.id})
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.date_closed)
        self.assertFalse(complaint.activity_ids)  # the responsible's to-do is done
        today = fields.Date.context_today(complaint)
        self.assertEqual(complaint.resurvey_date, today + timedelta(days=7))
        Complaint = self.env["dealer.complaint"]
        Input = self.env["survey.user_input"]
        Complaint._dealer_create_resurveys(today=today + timedelta(days=6))
        self.assertFalse(complaint.resurvey_id)
        Complaint._dealer_create_resurveys(today=today + timedelta(days=7))
        resurvey = complaint.resurvey_id
        self.assertTrue(resurvey)
        Complaint._dealer_create_resurveys(today=today + timedelta(days=8))
        self.assertEqual(Input.search([("dealer_complaint_id", "=", complaint.id)]), resurvey)
        self.assertEqual(resurvey.dealer_kind, "recovery")
        self.assertEqual(resurvey.survey_id, self.env.ref("dealer_csi.survey_csi_recovery"))
        self.assertEqual(resurvey.partner_id, self.customer)
        self.assertEqual(resurvey.dealer_csi_state, "to_send")
        resolution, recommend = resurvey.survey_id.question_ids
        resurvey._save_lines(resolution, "5")
        resurvey._save_lines(recommend, "9")
        resurvey._mark_done()
        self.assertEqual(complaint.resurvey_score, 100.0)
        self.assertEqual(complaint.customer_verdict, "satisfied")
        # The re-survey opens no complaint of its own.
        self.assertEqual(Complaint.search_count([("partner_id", "=", self.customer.id)]), 1)

    def test_deadline_from_severity_and_overdue_flag(self):
        self.company.write({"dealer_complaint_days_high": 3, "dealer_complaint_days_low": 14})
        received = fields.Datetime.now() - timedelta(days=5)
        Complaint = self.env["dealer.complaint"]
        high = Complaint.create(
            {
                "name": "Car not ready",
                "partner_id": self.customer.id,
                "severity": "high",
                "date_received": received,
                "company_id": self.company.id,
            }
        )
        low = Complaint.create(
            {
                "name": "Coffee was cold",
                "partner_id": self.customer.id,
                "severity": "low",
                "date_received": received,
                "company_id": self.company.id,
            }
        )
        self.assertEqual(high.date_deadline, received.date() + timedelta(days=3))
        self.assertEqual(low.date_deadline, received.date() + timedelta(days=14))
        self.assertEqual(high.priority, "1")
        self.assertTrue(high.is_overdue)
        self.assertFalse(low.is_overdue)
        overdue = Complaint.search([("is_overdue", "=", True), ("company_id", "=", self.company.id)])
        self.assertEqual(overdue, high)
        not_overdue = Complaint.search([("is_overdue", "=", False), ("company_id", "=", self.company.id)])
        self.assertEqual(not_overdue, low)
        high.write(
            {
                "resolution": "Loan car and apology.",
                "stage_id": self.env.ref("dealer_csi.dealer_complaint_stage_resolved").id,
            }
        )
        self.assertFalse(high.is_overdue)
        self.assertGreaterEqual(high.resolution_days, 5.0)
        # Changing the severity moves the deadline.
        low.severity = "high"
        self.assertEqual(low.date_deadline, received.date() + timedelta(days=3))
