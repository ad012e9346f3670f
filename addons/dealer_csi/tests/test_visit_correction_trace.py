# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A visit's correction moves its answered survey (the score follows the
advisor and the month): bonuses hang on it, so the move leaves a note on the
answers saying what moved and who corrected the visit."""

from datetime import timedelta

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import TODAY, DealerCsiCase


@tagged("post_install", "-at_install")
class TestVisitCorrectionTrace(DealerCsiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_advisor = cls.advisor.copy({"name": "Otto Other", "login": "trace_other_advisor"})
        cls.clerk = new_test_user(
            cls.env,
            login="trace_clerk",
            name="Clara Clerk",
            groups="base.group_user,dealer_loyalty.dealer_loyalty_group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.clerk.email = False

    def notes(self, answers):
        return answers.message_ids.filtered(lambda message: "Clara Clerk" in (message.body or ""))

    def test_moving_an_answered_survey_leaves_a_note(self):
        visit = self.make_visit(TODAY - timedelta(days=3))
        answers = self.make_answer_set(visit, [5] * 6, recommend=10)
        visit.with_user(self.clerk).write(
            {"user_id": self.other_advisor.id, "date": TODAY - timedelta(days=20)}
        )
        self.assertEqual(answers.dealer_advisor_id, self.other_advisor)
        note = self.notes(answers)
        self.assertEqual(len(note), 1)
        for text in ("Anna Advisor", "Otto Other", "June 2026", "May 2026", "100"):
            self.assertIn(text, note.body)
        # The clerk has no e-mail address: the note is the system's, naming them.
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        # Cancelled, reassigned while in draft and done again: the move is noted again.
        visit.with_user(self.clerk).action_cancel()
        visit.with_user(self.clerk).action_draft()
        visit.with_user(self.clerk).write({"user_id": self.advisor.id})
        visit.with_user(self.clerk).action_done()
        self.assertEqual(answers.dealer_advisor_id, self.advisor)
        self.assertEqual(len(self.notes(answers)), 2)

    def test_same_month_and_unanswered_surveys_move_quietly(self):
        visit = self.make_visit(TODAY - timedelta(days=3))
        answers = self.make_answer_set(visit, [5] * 6, recommend=10)
        visit.with_user(self.clerk).write({"date": TODAY - timedelta(days=4), "department": "service"})
        self.assertEqual(answers.dealer_visit_date, TODAY - timedelta(days=4))
        self.assertFalse(self.notes(answers))
        waiting = self.make_visit(TODAY - timedelta(days=3))
        invitation = self.invite(waiting)
        waiting.with_user(self.clerk).write({"user_id": self.other_advisor.id})
        self.assertEqual(invitation.dealer_advisor_id, self.other_advisor)
        self.assertFalse(self.notes(invitation))
