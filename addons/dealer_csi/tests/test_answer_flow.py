# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .common import TODAY, DealerCsiCase


@tagged("post_install", "-at_install")
class TestAnswersAreChecked(DealerCsiCase):
    """The same rules hold for the API, the agent's fill-in and the ORM, not only the survey page."""

    def _invitation(self, visit_date=TODAY - timedelta(days=3)):
        invitation = self.make_answer_set(self.make_visit(visit_date), [])
        invitation.write({"dealer_invited_on": TODAY})
        return invitation

    def test_out_of_range_scale_is_not_stored(self):
        invitation = self._invitation()
        attempts = [
            (lambda: invitation._save_lines(self.score_questions[0], "99"), "from 1 to 5"),
            (lambda: invitation._save_lines(self.recommend_question, "-5"), "from 0 to 10"),
            (
                lambda: self.env["survey.user_input.line"].create(
                    {
                        "user_input_id": invitation.id,
                        "question_id": self.score_questions[1].id,
                        "answer_type": "scale",
                        "value_scale": 6,
                    }
                ),
                "from 1 to 5",
            ),
        ]
        for attempt, message in attempts:
            with self.assertRaises(ValidationError) as refusal:  # rolled back to a savepoint
                attempt()
            self.assertIn(message, str(refusal.exception))
        invitation.invalidate_recordset()
        self.assertFalse(invitation.user_input_line_ids)

    def test_incomplete_answers_are_not_done(self):
        invitation = self._invitation()
        invitation._save_lines(self.score_questions[0], "4")
        with self.assertRaisesRegex(ValidationError, "required questions"):
            invitation._mark_done()
        self.assertEqual(invitation.state, "new")
        self.assertEqual(invitation.dealer_csi_state, "sent")

    def test_answered_once(self):
        invitation = self.answer(self._invitation(), [4] * 6, recommend=9)
        with self.assertRaisesRegex(ValidationError, "answered once"):
            invitation._mark_done()
        # "Take Again" creates a new answer set for the survey: refused, whoever asks.
        with self.assertRaisesRegex(UserError, "through its invitation only"):
            self.survey._create_answer(partner=self.customer, check_attempts=False)
        # The survey manager's own test run stays possible.
        self.assertTrue(self.survey._create_answer(user=self.env.user, test_entry=True, check_attempts=False))

    def test_answer_window(self):
        invitation = self._invitation()
        self.assertEqual(invitation.deadline, datetime(2026, 7, 16))  # invited 15 June + 30 days, whole days
        self.company.dealer_csi_answer_days = 10
        invitation.write({"dealer_invited_on": TODAY})
        self.assertEqual(invitation.deadline, datetime(2026, 6, 26))
        Input = self.env["survey.user_input"]
        self.assertFalse(Input._dealer_close_answer_windows(now=datetime(2026, 6, 25, 23)) & invitation)
        with freeze_time("2026-06-26 08:00:00"):
            self.assertFalse(invitation._dealer_may_fill_in())
            with self.assertRaisesRegex(ValidationError, "time to answer"):
                self.answer(invitation, [5] * 6, recommend=10)
            self.assertIn(invitation, Input._dealer_expire_calls())
        self.assertEqual(invitation.dealer_csi_state, "expired")
        self.assertFalse(invitation.dealer_is_scored)

    def test_a_closed_month_takes_no_late_answers(self):
        # May's visits: longest delay + catch-up is 10 days, answer window 30 days.
        closes = self.company._dealer_csi_month_closes_on(date(2026, 5, 1))
        self.assertEqual(closes, date(2026, 7, 11))
        invitation = self._invitation(date(2026, 5, 28))
        invitation.sudo().write({"deadline": False})  # even without a deadline of its own
        with freeze_time("2026-07-11 09:00:00"):
            with self.assertRaisesRegex(ValidationError, "final"):
                self.answer(invitation, [5] * 6, recommend=10)


@tagged("post_install", "-at_install")
class TestFiguresAreProtected(DealerCsiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_advisor = cls.advisor.copy({"name": "Otto Other", "login": "csi_other_advisor"})
        cls.visit = cls.make_visit(TODAY - timedelta(days=3))
        cls.invitation = cls.invite(cls, cls.visit)
        cls.env["survey.user_input"]._dealer_dispatch_invitations()

    @users("csi_advisor")
    def test_call_agent_writes_the_call_outcome_only(self):
        invitation = self.invitation.with_user(self.env.user)
        for values in (
            {"dealer_advisor_id": self.other_advisor.id},
            {"dealer_csi_state": "sent"},
            {"state": "new"},
            {"dealer_csi_score": 100.0},
            {"dealer_visit_id": False},
            {"deadline": False},
        ):
            with self.subTest(values=values), self.assertRaisesRegex(AccessError, "call's outcome"):
                invitation.write(values)
        invitation.write(
            {"dealer_call_note": "Busy, call after six.", "dealer_callback_at": "2026-06-15 16:00:00"}
        )
        self.assertEqual(invitation.dealer_call_note, "Busy, call after six.")
        self.assertEqual(invitation.dealer_csi_state, "to_call")

    @users("csi_manager")
    def test_manager_hands_calls_over_but_does_not_touch_figures(self):
        invitation = self.invitation.with_user(self.env.user)
        invitation.write({"dealer_agent_id": self.manager.id})
        with self.assertRaises(AccessError):
            invitation.write({"dealer_advisor_id": self.other_advisor.id})
        with self.assertRaises(AccessError):
            self.env["survey.user_input"].create(
                {"survey_id": self.survey.id, "dealer_kind": "visit", "partner_id": self.customer.id}
            )


@tagged("post_install", "-at_install")
class TestInvitationFollowsTheVisit(DealerCsiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_advisor = cls.advisor.copy({"name": "Otto Other", "login": "csi_other_advisor"})

    def figures_by_advisor(self):
        self.env.flush_all()
        return {
            advisor: (csi, count)
            for advisor, csi, count in self.env["dealer.csi.report"]._read_group(
                [("company_id", "=", self.company.id)], ["advisor_id"], ["csi_score:avg", "__count"]
            )
        }

    def test_corrections_before_answering(self):
        visit = self.make_visit(TODAY - timedelta(days=3))
        invitation = self.invite(visit)
        visit.write(
            {"user_id": self.other_advisor.id, "date": TODAY - timedelta(days=4), "department": "body_shop"}
        )
        self.assertEqual(invitation.dealer_advisor_id, self.other_advisor)
        self.assertEqual(invitation.dealer_visit_date, TODAY - timedelta(days=4))
        self.assertEqual(invitation.dealer_department, "body_shop")

    def test_corrections_after_answering_move_the_score(self):
        visit = self.make_visit(TODAY - timedelta(days=3))
        answers = self.make_answer_set(visit, [5] * 6, recommend=10)
        self.assertEqual(self.figures_by_advisor(), {self.advisor: (100.0, 1)})
        visit.write({"user_id": self.other_advisor.id})
        self.assertEqual(answers.dealer_advisor_id, self.other_advisor)
        self.assertEqual(self.figures_by_advisor(), {self.other_advisor: (100.0, 1)})

    def test_a_closed_month_keeps_its_answers(self):
        visit = self.make_visit(date(2026, 4, 20))
        answers = self.make_answer_set(visit, [])
        answers.sudo().write({"dealer_csi_state": "answered", "state": "done"})
        visit.write({"date": date(2026, 6, 1)})  # April closed on 11 June... it is 15 June
        self.assertEqual(answers.dealer_visit_date, date(2026, 4, 20))
        self.assertIn("final", answers.message_ids[0].body)

    def test_cancelled_visit_withdraws_and_excludes(self):
        open_visit, answered_visit = self.make_visit(TODAY - timedelta(days=3)), self.make_visit(TODAY)
        open_invitation = self.invite(open_visit)
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertTrue(open_invitation.activity_ids)
        answered = self.make_answer_set(answered_visit, [2] * 6, recommend=3)
        self.assertEqual(self.figures_by_advisor()[self.advisor][1], 2)

        (open_visit | answered_visit).action_cancel()
        self.assertEqual(open_invitation.dealer_csi_state, "withdrawn")
        self.assertFalse(open_invitation.activity_ids)
        self.assertFalse(open_invitation._dealer_may_fill_in())
        self.assertEqual(answered.dealer_csi_state, "withdrawn")
        self.assertEqual(answered.state, "done")
        self.assertEqual(self.figures_by_advisor(), {})

        # Reset and done again: the answers count again, the call is queued again.
        (open_visit | answered_visit).action_draft()
        (open_visit | answered_visit).action_done()
        self.assertEqual(answered.dealer_csi_state, "answered")
        self.assertEqual(open_invitation.dealer_csi_state, "to_send")


@tagged("post_install", "-at_install")
class TestServiceRecoveryLoop(DealerCsiCase):
    def _with_comment(self, invitation, text):
        comment = self.survey.question_ids.filtered(lambda q: q.question_type in ("text_box", "char_box"))[:1]
        self.assertTrue(comment, "the service survey asks for a comment")
        invitation._save_lines(comment, text)
        return invitation

    def test_detractor_above_threshold_opens_a_complaint_with_their_words(self):
        invitation = self.make_answer_set(self.make_visit(TODAY), [])
        self._with_comment(invitation, "Nobody called me when the car was ready.")
        self.answer(invitation, [4] * 6, recommend=5)  # CSI 75, above the threshold of 60
        complaint = invitation.dealer_complaint_ids
        self.assertEqual(len(complaint), 1)
        self.assertIn("5/10", complaint.name)
        self.assertEqual(complaint.user_id, self.manager)
        self.assertIn("Nobody called me when the car was ready.", complaint.description)

    def test_detractor_follow_up_call_instead(self):
        self.company.dealer_csi_detractor_action = "activity"
        invitation = self.answer(self.make_answer_set(self.make_visit(TODAY), []), [4] * 6, recommend=6)
        self.assertFalse(invitation.dealer_complaint_ids)
        self.assertEqual(invitation.activity_ids.user_id, self.manager)
        self.assertEqual(
            invitation.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )

    def test_unsatisfied_resurvey_reopens_and_escalates(self):
        colleague = self.advisor.copy({"name": "Rita Resolver", "login": "csi_resolver"})
        self.company.dealer_csi_recovery_survey_id = self.env.ref("dealer_csi.survey_csi_recovery")
        low = self.make_answer_set(self.make_visit(TODAY), [3] * 6, recommend=2)  # CSI 50: medium
        complaint = low.dealer_complaint_ids
        complaint.write(
            {
                "user_id": colleague.id,
                "resolution": "Apologised.",
                "stage_id": self.env.ref("dealer_csi.dealer_complaint_stage_resolved").id,
            }
        )
        self.assertTrue(complaint.is_closed)
        self.env["dealer.complaint"]._dealer_create_resurveys(today=fields.Date.today() + timedelta(days=30))
        resurvey = complaint.resurvey_id
        resolution, recommend = resurvey.survey_id.question_ids
        resurvey._save_lines(resolution, "1")
        resurvey._save_lines(recommend, "2")
        resurvey._mark_done()
        self.assertFalse(complaint.is_closed)
        self.assertEqual(complaint.customer_verdict, "unsatisfied")
        self.assertEqual(complaint.severity, "high")  # one above medium
        self.assertEqual(complaint.user_id, self.manager)
        self.assertIn(self.manager, complaint.activity_ids.user_id)


@tagged("post_install", "-at_install")
class TestCallsAreTriedAgain(DealerCsiCase):
    def test_not_reached_comes_back_then_fails(self):
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        agent = invitation.with_user(self.advisor)
        agent.action_dealer_not_reached()
        self.assertEqual(invitation.dealer_csi_state, "to_call")
        self.assertEqual(invitation.dealer_call_attempts, 1)
        self.assertEqual(invitation.dealer_callback_at, datetime(2026, 6, 15, 14, 0))  # 10:00 + 4 hours
        with self.assertRaisesRegex(UserError, "due"):
            agent.action_dealer_not_reached()  # before the next attempt is due
        self.assertEqual(invitation.dealer_call_attempts, 1)
        # Reached at last, the customer asks to be called back the next evening.
        with freeze_time("2026-06-15 14:05:00"):
            agent.write({"dealer_callback_at": "2026-06-16 17:00:00"})
        self.assertEqual(invitation.activity_ids.date_deadline, date(2026, 6, 16))
        with freeze_time("2026-06-16 17:10:00"):
            agent.action_dealer_not_reached()
        self.assertEqual(invitation.dealer_call_attempts, 2)
        self.assertEqual(invitation.dealer_callback_at, datetime(2026, 6, 16, 21, 10))
        with freeze_time("2026-06-16 21:30:00"):
            agent.action_dealer_not_reached()
        self.assertEqual(invitation.dealer_csi_state, "failed")
        self.assertIn("3 calls", invitation.dealer_reason)
        self.assertFalse(invitation.activity_ids)


@tagged("post_install", "-at_install")
class TestAnswersCannotBeRewritten(DealerCsiCase):
    def test_manager_cannot_rewrite_or_delete_a_customers_answers(self):
        answers = self.make_answer_set(self.make_visit(TODAY), [1] * 6, recommend=0).with_user(self.manager)
        low_line = answers.user_input_line_ids[:1]
        with self.assertRaisesRegex(AccessError, "cannot be edited"):
            low_line.write({"value_scale": 5})
        with self.assertRaisesRegex(AccessError, "cannot be edited"):
            low_line.unlink()
        with self.assertRaisesRegex(AccessError, "cannot be edited"):
            self.env["survey.user_input.line"].with_user(self.manager).create(
                {
                    "user_input_id": answers.id,
                    "question_id": self.score_questions[0].id,
                    "answer_type": "scale",
                    "value_scale": 5,
                }
            )
        with self.assertRaisesRegex(AccessError, "never deleted"):
            answers.unlink()
        self.assertEqual(answers.sudo().dealer_csi_score, 0.0)
