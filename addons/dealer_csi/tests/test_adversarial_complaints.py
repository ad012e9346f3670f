# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A plain CSI user calling the complaints' and contact registrations' API
(``write``/``create`` with any values, as XML-RPC does): who handles a
complaint, and the figures its flow records, are not theirs to set."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TODAY, DealerCsiCase

# A complaint's figures as a user would forge them: closed at once, numbered, re-surveyed never.
FORGED_FIGURES = (
    {"resolution_days": 0.1},
    {"date_closed": "2026-01-01 00:00:00"},
    {"reference": "FAKE"},
    {"resurvey_date": "2099-01-01"},
)


@tagged("post_install", "-at_install")
class TestAdversarialComplaints(DealerCsiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enable_service_recovery()
        cls.intruder = new_test_user(
            cls.env,
            login="csi_intruder",
            groups="base.group_user,dealer_csi.dealer_csi_group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.resolved = cls.env.ref("dealer_csi.dealer_complaint_stage_resolved")

    def low_answers(self):
        """A customer's low score: a complaint handled by the department manager."""
        answers = self.make_answer_set(self.make_visit(TODAY), [1] * 6, recommend=0)
        self.assertEqual(answers.dealer_complaint_ids.user_id, self.manager)
        return answers

    # ------------------------------------------------------------
    # Who handles a complaint reads the answers behind it
    # ------------------------------------------------------------

    def test_plain_user_cannot_take_a_complaint_to_read_its_answers(self):
        answers = self.low_answers()
        complaint = answers.dealer_complaint_ids.with_user(self.intruder)
        with self.assertRaises(AccessError):
            answers.with_user(self.intruder).read(["dealer_csi_score"])
        with self.assertRaisesRegex(AccessError, "Only a CSI manager"):
            complaint.write({"user_id": self.intruder.id})
        self.assertEqual(complaint.user_id, self.manager)
        with self.assertRaises(AccessError):
            answers.with_user(self.intruder).read(["access_token", "dealer_csi_score", "partner_id"])
        # Saving the form again with the same responsible is no hand-over.
        complaint.write({"user_id": self.manager.id, "root_cause": "Parts late"})
        self.assertEqual(complaint.root_cause, "Parts late")

    def test_manager_hands_a_complaint_over_and_tokens_stay_hidden(self):
        answers = self.low_answers()
        complaint = answers.dealer_complaint_ids
        complaint.with_user(self.manager).write({"user_id": self.intruder.id})
        self.assertEqual(complaint.user_id, self.intruder)
        # The new handler reads the answers behind the complaint...
        self.assertEqual(answers.with_user(self.intruder).dealer_csi_score, 0.0)
        # ...but never the customer's key to the survey, nor does the visit's advisor.
        for user in (self.intruder, self.advisor):
            with self.assertRaises(AccessError):
                answers.with_user(user).read(["access_token"])
        self.assertTrue(answers.with_user(self.manager).read(["access_token"])[0]["access_token"])

    def test_a_new_complaint_may_name_its_responsible(self):
        complaint = (
            self.env["dealer.complaint"]
            .with_user(self.intruder)
            .create({"name": "Scratched door", "partner_id": self.customer.id, "user_id": self.manager.id})
        )
        self.assertEqual(complaint.user_id, self.manager)

    def test_escalation_still_hands_the_complaint_to_the_manager(self):
        answers = self.low_answers()
        complaint = answers.dealer_complaint_ids
        complaint.with_user(self.manager).write({"user_id": self.intruder.id})
        complaint.with_user(self.intruder).write({"resolution": "Refund.", "stage_id": self.resolved.id})
        complaint._dealer_escalate(answers)
        self.assertEqual(complaint.user_id, self.manager)
        self.assertFalse(complaint.is_closed)

    # ------------------------------------------------------------
    # What the complaint's flow records
    # ------------------------------------------------------------

    def test_plain_user_cannot_write_the_complaint_figures(self):
        complaint = self.low_answers().dealer_complaint_ids.with_user(self.intruder)
        complaint.write({"resolution": "Refund.", "stage_id": self.resolved.id})
        closed_on, days, resurvey_on = (
            complaint.date_closed,
            complaint.resolution_days,
            complaint.resurvey_date,
        )
        self.assertTrue(closed_on and resurvey_on)
        for vals in FORGED_FIGURES:
            with self.assertRaisesRegex(AccessError, "set by the complaint's own flow"):
                complaint.write(vals)
        self.assertEqual(
            (complaint.date_closed, complaint.resolution_days, complaint.resurvey_date),
            (closed_on, days, resurvey_on),
        )
        self.assertTrue(complaint.reference.startswith("CMP/"))

    def test_plain_user_cannot_create_a_complaint_with_its_figures(self):
        Complaint = self.env["dealer.complaint"].with_user(self.intruder)
        for vals in FORGED_FIGURES:
            with self.assertRaisesRegex(AccessError, "set by the complaint's own flow"):
                Complaint.create({"name": "Fast", "partner_id": self.customer.id, **vals})

    def test_the_flow_still_closes_reopens_and_resurveys(self):
        complaint = self.low_answers().dealer_complaint_ids.with_user(self.intruder)
        complaint.write({"resolution": "Refund.", "stage_id": self.resolved.id})
        today = fields.Date.context_today(complaint)
        self.assertTrue(complaint.date_closed)
        self.assertEqual(complaint.resurvey_date, today + timedelta(days=7))
        reopened = self.env["dealer.complaint.stage"].search([("is_closed", "=", False)], limit=1)
        complaint.stage_id = reopened
        self.assertFalse(complaint.date_closed or complaint.resurvey_date or complaint.resolution_days)
        complaint.stage_id = self.resolved
        self.env["dealer.complaint"]._dealer_create_resurveys(today=today + timedelta(days=7))
        self.assertTrue(complaint.resurvey_id)
        # A complaint registered already resolved gets its figures too.
        closed = (
            self.env["dealer.complaint"]
            .with_user(self.intruder)
            .create(
                {
                    "name": "Solved on the phone",
                    "partner_id": self.customer.id,
                    "resolution": "Explained the invoice.",
                    "stage_id": self.resolved.id,
                }
            )
        )
        self.assertTrue(closed.date_closed and closed.reference.startswith("CMP/"))

    # ------------------------------------------------------------
    # Contact registrations
    # ------------------------------------------------------------

    def test_plain_user_cannot_mark_a_contact_as_a_new_prospect(self):
        Log = self.env["dealer.contact.log"].with_user(self.intruder)
        known = Log.create({"partner_id": self.customer.id, "contact_type": "call_in"})
        self.assertFalse(known.is_new_prospect)
        with self.assertRaisesRegex(AccessError, "Created as Prospect"):
            known.write({"is_new_prospect": True})
        with self.assertRaisesRegex(AccessError, "Created as Prospect"):
            Log.create({"partner_id": self.customer.id, "is_new_prospect": True})
        self.assertFalse(known.is_new_prospect)
        # An unknown caller still becomes a prospect, and a copy of the log is no new prospect.
        unknown = Log.create({"contact_name": "Nora New", "phone": "+32 470 99 88 77"})
        self.assertTrue(unknown.is_new_prospect)
        self.assertEqual(unknown.partner_id.dealer_segment, "prospect")
        self.assertFalse(unknown.copy().is_new_prospect)
