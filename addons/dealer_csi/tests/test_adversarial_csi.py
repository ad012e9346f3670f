# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Adversarial checks of the CSI integrity rules (README: "Customer satisfaction,
complaints and contacts").

Each test tries one way around a rule and asserts the rule holds. The tests
marked BREAKS fail on the code they were written against: they are the
findings, kept so the fix can be shown to close them. The others are attacks
that were tried and held; they stay as regression guards.
"""

import json
import re
from datetime import date, timedelta
from functools import partial

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, fields, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.dealer_loyalty.tests.common import run_as_two_requests

from .common import TODAY, DealerCsiCase

REFUSED = (AccessError, UserError, ValidationError)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@tagged("post_install", "-at_install")
class TestAdversarialCsi(DealerCsiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_advisor = cls.advisor.copy({"name": "Otto Other", "login": "adv_other_advisor"})

    def attempt(self, operation):
        """Run what an attacker would; a refusal is rolled back, as a failed request would be."""
        try:
            with self.env.cr.savepoint():
                return operation()
        except REFUSED:
            self.env.invalidate_all()
            return None

    def report_rows(self, domain=()):
        self.env.flush_all()
        return self.env["dealer.csi.report"].search([("company_id", "=", self.company.id), *domain])

    def question_figures(self, date_from, date_to):
        self.env.flush_all()
        return self.env["dealer.csi.question.report"]._read_group(
            [("company_id", "=", self.company.id), ("date", ">=", date_from), ("date", "<=", date_to)],
            [],
            ["score:avg", "__count"],
        )[0]

    def answered_in_april(self, scores=(5,) * 6, recommend=10):
        """An April visit, answered while April was still open (it closes on 11 June)."""
        visit = self.make_visit(date(2026, 4, 20))
        with freeze_time("2026-04-25 10:00:00"):
            answers = self.make_answer_set(visit, list(scores), recommend=recommend)
        self.assertEqual(answers.state, "done")
        return visit, answers

    # ------------------------------------------------------------
    # Rule 4: score, state, advisor and visit are written by the flow only
    # ------------------------------------------------------------

    def test_manager_cannot_forge_an_answer_set_as_a_test_entry(self):
        # BREAKS rule 4 (figures written by the flow only): create() lets any
        # "test_entry" through, with dealer_kind, advisor, visit and state set
        # by hand, and dealer.csi.report does not leave test entries out.
        # Severity: high (a CSI manager manufactures answered surveys for any advisor).
        visit = self.make_visit(TODAY - timedelta(days=2), user_id=self.other_advisor.id)
        forged = self.attempt(
            lambda: self.env["survey.user_input"]
            .with_user(self.manager)
            .create(
                {
                    "survey_id": self.survey.id,
                    "partner_id": self.customer.id,
                    "test_entry": True,
                    "dealer_kind": "visit",
                    "dealer_visit_id": visit.id,
                    "dealer_visit_date": visit.date,
                    "dealer_company_id": self.company.id,
                    "dealer_department": "service",
                    "dealer_advisor_id": self.other_advisor.id,
                    "dealer_channel": "phone",
                    "dealer_csi_state": "answered",
                    "state": "done",
                }
            )
        )
        self.assertFalse(forged, "a CSI manager created an answered CSI survey by hand")
        self.assertFalse(self.report_rows([("visit_id", "=", visit.id)]))

    def test_survey_app_user_cannot_turn_another_survey_into_csi_answers(self):
        # BREAKS rule 4: write() only guards answer sets that are already CSI
        # (dealer_kind set), and record rules are checked before a write, not
        # after. A survey app officer (no CSI group at all) moves an answer set
        # of their own survey onto the CSI survey, sets kind, advisor, visit and
        # state, and it counts in the advisor's CSI with the score they chose.
        # Severity: high (anyone with the Surveys app changes CSI figures).
        officer = new_test_user(
            self.env,
            login="adv_survey_officer",
            groups="base.group_user,survey.group_survey_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        own_survey = (
            self.env["survey.survey"]
            .with_user(officer)
            .create(
                {
                    "title": "Coffee corner feedback",
                    "survey_type": "survey",
                    "access_mode": "public",
                    "question_and_page_ids": [
                        Command.create(
                            {
                                "title": "How was the coffee?",
                                "question_type": "scale",
                                "scale_min": 1,
                                "scale_max": 5,
                                # Nothing stops a survey officer from giving their own question a CSI role.
                                "dealer_csi_role": "score",
                            }
                        )
                    ],
                }
            )
        )
        # The officer (or a friend) answers the public survey: the survey page runs as superuser.
        answer = own_survey.sudo()._create_answer(partner=self.customer, check_attempts=False)
        answer._save_lines(own_survey.question_ids, "5")
        answer._mark_done()

        visit = self.make_visit(TODAY - timedelta(days=2), user_id=self.other_advisor.id)
        self.attempt(
            lambda: answer.with_user(officer).write(
                {
                    "survey_id": self.survey.id,
                    "dealer_kind": "visit",
                    "dealer_visit_id": visit.id,
                    "dealer_visit_date": visit.date,
                    "dealer_company_id": self.company.id,
                    "dealer_department": "service",
                    "dealer_advisor_id": self.other_advisor.id,
                    "dealer_channel": "email",
                    "dealer_csi_state": "answered",
                    "state": "done",
                }
            )
        )
        rows = self.report_rows([("visit_id", "=", visit.id)])
        self.assertFalse(rows, f"a survey officer put a CSI of {rows.csi_score} on {rows.advisor_id.name}")

    def test_manager_cannot_delete_answers_by_deleting_a_question(self):
        # BREAKS rule 4 (customers' answer lines are never deleted outside the
        # survey pages) and rule 2 (a final month does not change): deleting a
        # CSI question cascades in SQL to every customer's answer line, so the
        # line's own unlink() guard never runs. Severity: medium.
        __, answers = self.answered_in_april()
        question = self.score_questions[0]
        before = self.question_figures(date(2026, 4, 1), date(2026, 4, 30))
        self.attempt(lambda: question.with_user(self.manager).unlink())
        answers.invalidate_recordset()
        self.assertIn(question, answers.user_input_line_ids.question_id, "the customer's answer was deleted")
        self.assertEqual(self.question_figures(date(2026, 4, 1), date(2026, 4, 30)), before)

    def test_manager_cannot_delete_answer_sets_by_deleting_their_survey(self):
        # BREAKS rule 4 (answer sets can't be deleted): survey_id cascades in
        # SQL, so deleting a CSI survey (CSI managers may) removes every answer
        # set given on it without survey.user_input.unlink() being asked.
        # Severity: medium (history gone; the shipped service survey is
        # protected only because a setting points at it).
        survey = (
            self.env["survey.survey"]
            .with_user(self.manager)
            .create(
                {
                    "title": "Body shop pulse",
                    "survey_type": "dealer_csi",
                    "access_mode": "token",
                    "questions_layout": "one_page",
                    "question_and_page_ids": [
                        Command.create(
                            {
                                "title": "Overall",
                                "question_type": "scale",
                                "scale_min": 1,
                                "scale_max": 5,
                                "constr_mandatory": True,
                                "dealer_csi_role": "score",
                            }
                        )
                    ],
                }
            )
        )
        visit = self.make_visit(TODAY - timedelta(days=3))
        answers = survey.sudo()._create_answer(
            partner=self.customer,
            check_attempts=False,
            dealer_kind="visit",
            dealer_visit_id=visit.id,
            dealer_visit_date=visit.date,
            dealer_company_id=self.company.id,
            dealer_department="body_shop",
            dealer_advisor_id=self.advisor.id,
            dealer_channel="email",
            dealer_csi_state="sent",
        )
        answers._save_lines(survey.question_ids, "2")
        answers._mark_done()
        self.assertTrue(self.report_rows([("visit_id", "=", visit.id)]))
        self.attempt(lambda: survey.with_user(self.manager).unlink())
        self.assertTrue(answers.exists(), "the customer's answer set was deleted with its survey")

    def test_manager_cannot_copy_an_answer_set(self):
        # Held: a copy carries dealer_kind, so create() refuses it (and its lines).
        __, answers = self.answered_in_april()
        other_visit = self.make_visit(TODAY - timedelta(days=1))
        Input = self.env["survey.user_input"]
        before = Input.search_count([("survey_id", "=", self.survey.id)])
        for default in ({}, {"test_entry": True, "dealer_visit_id": other_visit.id}):
            with self.subTest(default=default):
                self.assertFalse(
                    self.attempt(lambda default=default: answers.with_user(self.manager).copy(default))
                )
                self.assertEqual(Input.search_count([("survey_id", "=", self.survey.id)]), before)

    def test_agent_writes_nothing_but_the_call_outcome(self):
        # Held: the fields an attacker would aim at over RPC.
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        agent = invitation.with_user(self.advisor)
        for values in (
            {"survey_id": self.env.ref("dealer_csi.survey_csi_recovery").id},
            {"partner_id": self.other_advisor.partner_id.id},
            {"access_token": "chosen-by-the-agent"},
            {"deadline": "2027-01-01 00:00:00"},
            {"dealer_invited_on": TODAY},
            {"test_entry": True},
            {"predefined_question_ids": [Command.clear()]},
            {"user_input_line_ids": [Command.create({"question_id": self.score_questions[0].id})]},
            {"dealer_call_attempts": 0},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                agent.write(values)

    # ------------------------------------------------------------
    # Rule 3: a cancelled visit withdraws its survey from the figures
    # ------------------------------------------------------------

    def test_cancelled_visit_leaves_the_per_question_figures(self):
        # BREAKS rule 3: dealer.csi.question.report (the "average per question"
        # analysis and the monthly PDF's question table) filters on
        # state = 'done' only, not on the invitation state: a withdrawn answer
        # set still counts. Severity: medium.
        visit = self.make_visit(TODAY - timedelta(days=3))
        self.make_answer_set(visit, [1] * 6, recommend=0)
        visit.action_cancel()
        count = self.question_figures(date(2026, 6, 1), date(2026, 6, 30))[1]
        self.assertEqual(count, 0, "a cancelled visit's answers still count per question")

    def test_cancelled_visit_leaves_the_customer_card(self):
        # BREAKS rule 3: the customer form's CSI (count, average, last) reads
        # every done visit survey, withdrawn or not. Severity: low.
        visit = self.make_visit(TODAY - timedelta(days=3))
        self.make_answer_set(visit, [1] * 6, recommend=0)
        visit.action_cancel()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dealer_csi_count, 0)
        self.assertEqual(self.customer.dealer_csi_avg_score, 0.0)

    def test_cancel_and_redo_keeps_one_invitation(self):
        # Held: cancelling and re-doing restores the same invitation, no second one.
        visit = self.make_visit(TODAY - timedelta(days=3))
        invitation = self.invite(visit)
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        visit.with_user(self.advisor).action_cancel()
        self.assertEqual(invitation.dealer_csi_state, "withdrawn")
        visit.action_draft()
        visit.action_done()
        self.invite(visit)
        self.assertEqual(
            self.env["survey.user_input"].search([("dealer_visit_id", "=", visit.id)]), invitation
        )
        self.assertNotEqual(invitation.dealer_csi_state, "withdrawn")

    def test_date_correction_by_a_plain_dealer_user_follows(self):
        # Held: a dealer user without any CSI right corrects the visit; the survey follows.
        clerk = new_test_user(
            self.env,
            login="adv_dealer_clerk",
            groups="base.group_user,dealer_loyalty.dealer_loyalty_group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        visit = self.make_visit(TODAY - timedelta(days=3))
        invitation = self.invite(visit)
        visit.with_user(clerk).write({"user_id": self.other_advisor.id, "date": TODAY - timedelta(days=5)})
        self.assertEqual(invitation.dealer_advisor_id, self.other_advisor)
        self.assertEqual(invitation.dealer_visit_date, TODAY - timedelta(days=5))

    # ------------------------------------------------------------
    # Rule 2: a month's CSI is final after its closing day
    # ------------------------------------------------------------

    def test_cancelling_a_visit_does_not_change_a_final_month(self):
        # BREAKS rule 2 ("nothing changes it"): _dealer_withdraw has no
        # month-closed guard (the date correction has one), so cancelling an
        # April visit on 15 June takes its answers out of April's final CSI.
        # Re-doing the visit puts them back. Severity: medium (the meeting's
        # April figures change after the meeting). Conflicts with rule 3's
        # wording; the README must say which one wins.
        visit, __ = self.answered_in_april(scores=[1] * 6, recommend=0)
        self.answered_in_april(scores=[5] * 6, recommend=10)
        self.assertTrue(self.company._dealer_csi_month_closes_on(date(2026, 4, 1)) <= TODAY)
        april = [("date", ">=", date(2026, 4, 1)), ("date", "<=", date(2026, 4, 30))]
        before = sorted(self.report_rows(april).mapped("csi_score"))
        visit.action_cancel()
        self.assertEqual(sorted(self.report_rows(april).mapped("csi_score")), before)

    def test_question_changes_do_not_rewrite_a_final_month(self):
        # BREAKS rule 2: a CSI manager edits a question of the survey after
        # answers exist; the per-question figures of a final month change
        # (the view reads the question's role live and the lines' scores are
        # recomputed from it). The same holds for scale_min/scale_max, which
        # silently reinterpret old answers at the next recompute. Severity: medium.
        self.answered_in_april(scores=[1, 5, 5, 5, 5, 5], recommend=10)
        april = (date(2026, 4, 1), date(2026, 4, 30))
        before = self.question_figures(*april)
        self.attempt(
            lambda: self.score_questions[0].with_user(self.manager).write({"dealer_csi_role": False})
        )
        self.assertEqual(self.question_figures(*april), before)

    def test_history_context_does_not_reopen_a_closed_month(self):
        # Held through the ORM: the history bypass needs superuser; a user's
        # context alone does not reopen a final month.
        visit = self.make_visit(date(2026, 4, 20))
        invitation = self.make_answer_set(visit, [])
        for question in self.score_questions:
            invitation._save_lines(question, "5")
        invitation._save_lines(self.recommend_question, "10")
        with self.assertRaisesRegex(ValidationError, "final"):
            invitation.with_user(self.manager).with_context(dealer_csi_history=True)._mark_done()

    # ------------------------------------------------------------
    # Rule 6: "Not Reached" retries with attempts and spacing
    # ------------------------------------------------------------

    def test_not_reached_respects_the_spacing(self):
        # BREAKS rule 6 (spacing): "Not Reached" counts an attempt whenever it
        # is clicked, even before the call-back time it set: three clicks in a
        # minute fail the call. Severity: low (an agent clearing their list).
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        agent = invitation.with_user(self.advisor)
        agent.action_dealer_not_reached()  # 10:00, next attempt at 14:00
        for minute in ("10:01", "10:02"):
            with freeze_time(f"2026-06-15 {minute}:00"):
                self.attempt(agent.action_dealer_not_reached)
        self.assertEqual(invitation.dealer_csi_state, "to_call", invitation.dealer_reason)
        self.assertEqual(invitation.dealer_call_attempts, 1)

    def test_not_reached_on_someone_elses_call(self):
        # Held: another CSI user can neither read nor work a call that is not theirs.
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        with self.assertRaises(AccessError):
            invitation.with_user(self.other_advisor).action_dealer_not_reached()
        with self.assertRaises(AccessError):
            invitation.with_user(self.other_advisor).action_dealer_fill_in()
        self.assertEqual(invitation.dealer_call_attempts, 0)


@tagged("post_install", "-at_install")
class TestAdversarialCsiHttp(HttpCase):
    """Real requests: JSON-RPC as a logged-in CSI manager, the survey routes as the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("dealer_csi.survey_csi_service")
        cls.scores = cls.survey.question_ids.filtered(lambda q: q.dealer_csi_role == "score")
        cls.recommend = cls.survey.question_ids.filtered(lambda q: q.dealer_csi_role == "recommend")
        cls.manager = new_test_user(
            cls.env, login="adv_csi_manager", groups="base.group_user,dealer_csi.dealer_csi_group_manager"
        )
        cls.advisor = new_test_user(
            cls.env, login="adv_csi_advisor", groups="base.group_user,dealer_csi.dealer_csi_group_user"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Piret Pärn", "email": "piret@example.ee"})

    def _visit(self):
        return self.env["dealer.visit"].create(
            {
                "partner_id": self.customer.id,
                "date": fields.Date.today() - timedelta(days=2),
                "department": "service",
                "state": "done",
                "user_id": self.advisor.id,
            }
        )

    def _call(self, model, method, *args, **kwargs):
        """A JSON-RPC call_kw, as the web client (or any RPC client) makes it: (result, error message)."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        payload = response.json()
        error = payload.get("error")
        return payload.get("result"), error and f"{error['data']['name']}: {error['data']['message']}"

    def _fill_in(self, user_input, score="5", recommend="10", **extra):
        """Open the link and submit the whole page, as the survey page does."""
        page = self.url_open(user_input.get_start_url())
        self.assertEqual(page.status_code, 200)
        match = CSRF.search(page.text)
        self.assertTrue(match, page.text[:500])
        post = {str(q.id): score for q in self.scores}
        post[str(self.recommend.id)] = recommend
        post.update(csrf_token=match.group(1) or match.group(2), **extra)
        url = (
            f"{user_input.get_base_url()}/survey/submit/{self.survey.access_token}/{user_input.access_token}"
        )
        response = self.opener.post(url=url, json={"params": post})
        self.assertEqual(response.status_code, 200)
        return response.json().get("result") or [{}, {}]

    def test_manager_forges_a_scored_survey_over_json_rpc(self):
        # BREAKS rule 4 over real JSON-RPC: a CSI manager creates a
        # "test_entry" answer set carrying dealer_kind, advisor, visit and an
        # open invitation state, then fills it in on the survey route (managers
        # may fill in): it counts as a real 100/100 answer for the advisor in
        # dealer.csi.report. Severity: high.
        visit = self._visit()
        self.authenticate("adv_csi_manager", "adv_csi_manager")
        forged_id, error = self._call(
            "survey.user_input",
            "create",
            {
                "survey_id": self.survey.id,
                "partner_id": self.customer.id,
                "test_entry": True,
                "dealer_kind": "visit",
                "dealer_visit_id": visit.id,
                "dealer_visit_date": fields.Date.to_string(visit.date),
                "dealer_company_id": visit.company_id.id,
                "dealer_department": "service",
                "dealer_advisor_id": self.advisor.id,
                "dealer_channel": "phone",
                "dealer_csi_state": "to_call",
                "dealer_agent_id": self.manager.id,
            },
        )
        if forged_id:
            self._fill_in(self.env["survey.user_input"].browse(forged_id))
        self.env.flush_all()
        self.env.invalidate_all()
        rows = self.env["dealer.csi.report"].search([("visit_id", "=", visit.id)])
        self.assertTrue(error, "the forged answer set was created")
        self.assertFalse(rows, f"forged answer counted: CSI {rows.csi_score} for {rows.advisor_id.name}")

    def test_advisor_cannot_rewrite_figures_over_json_rpc(self):
        # Held over real JSON-RPC: the call agent's write of a figure is refused.
        visit = self._visit()
        invitation = self.survey._create_answer(
            partner=self.customer,
            check_attempts=False,
            dealer_kind="visit",
            dealer_visit_id=visit.id,
            dealer_visit_date=visit.date,
            dealer_company_id=visit.company_id.id,
            dealer_department="service",
            dealer_advisor_id=self.advisor.id,
            dealer_agent_id=self.advisor.id,
            dealer_channel="phone",
            dealer_csi_state="to_call",
            dealer_invited_on=fields.Date.today(),
        )
        self.authenticate("adv_csi_advisor", "adv_csi_advisor")
        for values in (
            {"dealer_csi_state": "answered"},
            {"deadline": "2030-01-01 00:00:00"},
            {"state": "done"},
        ):
            with self.subTest(values=values):
                __, error = self._call("survey.user_input", "write", [invitation.id], values)
                self.assertIn("call's outcome", error or "")
        self._call("survey.user_input", "write", [invitation.id], {"dealer_call_note": "Voicemail."})
        invitation.invalidate_recordset()
        self.assertEqual(invitation.dealer_call_note, "Voicemail.")
        self.assertEqual(invitation.dealer_csi_state, "to_call")

    def test_customer_context_does_not_reopen_an_expired_link(self):
        # Held: JSON routes accept a "context" parameter; the history bypass
        # it could carry does not get past the route's own window check.
        visit = self._visit()
        invitation = self.survey._create_answer(
            partner=self.customer,
            check_attempts=False,
            dealer_kind="visit",
            dealer_visit_id=visit.id,
            dealer_visit_date=visit.date,
            dealer_company_id=visit.company_id.id,
            dealer_department="service",
            dealer_advisor_id=self.advisor.id,
            dealer_channel="email",
            dealer_csi_state="sent",
            dealer_invited_on=fields.Date.today(),
        )
        page = self.url_open(invitation.get_start_url())
        match = CSRF.search(page.text)
        invitation.sudo().write({"deadline": fields.Datetime.now() - timedelta(minutes=1)})
        post = {str(q.id): "5" for q in self.scores}
        post[str(self.recommend.id)] = "10"
        post.update(csrf_token=match.group(1) or match.group(2), context={"dealer_csi_history": True})
        url = (
            f"{invitation.get_base_url()}/survey/submit/{self.survey.access_token}/{invitation.access_token}"
        )
        outcome = self.opener.post(url=url, json={"params": post}).json().get("result") or [{}, {}]
        self.assertEqual(outcome[1].get("error"), "answer_deadline")
        invitation.invalidate_recordset()
        self.assertNotEqual(invitation.state, "done")


@tagged("post_install", "-at_install")
class TestConcurrentSubmissions(TransactionCase):
    """The same invitation submitted twice at the same moment (double click, customer and
    call agent together), on two real database connections, each as the survey route runs it."""

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["res.partner"].create(
                {"name": "Race Csi Customer", "email": "race.csi@example.ee"}
            )
            visit = env["dealer.visit"].create(
                {
                    "partner_id": customer.id,
                    "date": fields.Date.today() - timedelta(days=2),
                    "department": "service",
                    "state": "done",
                    "user_id": env.ref("base.user_admin").id,
                }
            )
            invitation = env.ref("dealer_csi.survey_csi_service")._create_answer(
                partner=customer,
                check_attempts=False,
                dealer_kind="visit",
                dealer_visit_id=visit.id,
                dealer_visit_date=visit.date,
                dealer_company_id=visit.company_id.id,
                dealer_department="service",
                dealer_advisor_id=visit.user_id.id,
                dealer_channel="email",
                dealer_csi_state="sent",
                dealer_invited_on=fields.Date.today(),
            )
            self.ids = (customer.id, visit.id, invitation.id)
        self.addCleanup(self.cleanup)

    def cleanup(self):
        customer_id, visit_id, invitation_id = self.ids
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["dealer.complaint"].search([("visit_id", "=", visit_id)]).unlink()
            env["survey.user_input"].browse(invitation_id).unlink()
            visit = env["dealer.visit"].browse(visit_id)
            visit.action_cancel()
            visit.unlink()
            env["res.partner"].browse(customer_id).unlink()

    @staticmethod
    def submit(value, env):
        """What /survey/submit does with a valid one-page survey (its checks, then save and finish)."""
        survey = env.ref("dealer_csi.survey_csi_service")
        invitation = env["survey.user_input"].search(
            [("survey_id", "=", survey.id)], order="id desc", limit=1
        )
        if invitation.state == "done":
            return "unauthorized"
        for question in survey.question_ids.filtered("dealer_csi_role"):
            invitation._save_lines(question, str(value))
        invitation._mark_done()
        return invitation.dealer_csi_score

    def test_two_submissions_at_once_store_one_answer_set(self):
        # Held (expected): the second submission waits on the answer set's row,
        # is retried after the first commits, and finds it answered.
        outcome = run_as_two_requests(self.env.cr.dbname, partial(self.submit, 1), partial(self.submit, 5))
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invitation = env["survey.user_input"].browse(self.ids[2])
            questions = env.ref("dealer_csi.survey_csi_service").question_ids.filtered("dealer_csi_role")
            self.assertEqual(invitation.state, "done", outcome)
            self.assertEqual(len(invitation.user_input_line_ids), len(questions), outcome)
            self.assertEqual(
                sorted(str(result) for result in outcome.values()).count("unauthorized")
                + sum(isinstance(result, ValidationError) for result in outcome.values()),
                1,
                outcome,
            )
            self.assertLessEqual(len(env["dealer.complaint"].search([("visit_id", "=", self.ids[1])])), 1)
