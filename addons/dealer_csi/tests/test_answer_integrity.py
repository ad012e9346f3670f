# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@tagged("post_install", "-at_install")
class TestCustomerSubmission(HttpCase):
    """The survey's own public routes, called as the customer holding the invitation link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("dealer_csi.survey_csi_service")
        cls.scores = cls.survey.question_ids.filtered(lambda q: q.dealer_csi_role == "score")
        cls.recommend = cls.survey.question_ids.filtered(lambda q: q.dealer_csi_role == "recommend")
        cls.customer = cls.env["res.partner"].create({"name": "Olga Öunapuu", "email": "olga@example.ee"})
        cls.visit = cls.env["dealer.visit"].create(
            {
                "partner_id": cls.customer.id,
                "date": fields.Date.today() - timedelta(days=3),
                "department": "service",
                "state": "done",
                "user_id": cls.env.ref("base.user_admin").id,
            }
        )

    def setUp(self):
        super().setUp()
        self.invitation = self.survey._create_answer(
            partner=self.customer,
            check_attempts=False,
            dealer_kind="visit",
            dealer_visit_id=self.visit.id,
            dealer_visit_date=self.visit.date,
            dealer_company_id=self.visit.company_id.id,
            dealer_department="service",
            dealer_advisor_id=self.visit.user_id.id,
            dealer_channel="email",
            dealer_csi_state="sent",
            dealer_invited_on=fields.Date.today(),
        )

    def _open(self):
        """Follow the link and begin, as the survey page does; return the form's CSRF token."""
        response = self.url_open(self.invitation.get_start_url())
        self.assertEqual(response.status_code, 200)
        match = CSRF.search(response.text)
        self.assertTrue(match, "the survey page carries its CSRF token")
        return response, match.group(1) or match.group(2)

    def _submit(self, csrf, answers):
        post = {str(question.id): value for question, value in answers.items()}
        post.update(csrf_token=csrf, token=self.invitation.access_token)
        start = self.invitation.get_start_url()
        prefix = start[: start.index("/survey/")]  # the customer's language, as the page posts it
        url = (
            f"{self.invitation.get_base_url()}{prefix}/survey/submit/"
            f"{self.survey.access_token}/{self.invitation.access_token}"
        )
        response = self.opener.post(url=url, json={"params": post})
        self.assertEqual(response.status_code, 200)
        return response.json().get("result") or [{}, {}]

    def _full(self, score="4", recommend="9"):
        return {**dict.fromkeys(self.scores, score), self.recommend: recommend}

    def _assert_nothing_stored(self):
        self.invitation.invalidate_recordset()
        self.assertNotEqual(self.invitation.state, "done")
        self.assertEqual(self.invitation.dealer_csi_state, "sent")
        self.assertFalse(self.invitation.user_input_line_ids)
        self.assertFalse(self.invitation.dealer_is_scored)

    def test_out_of_range_answers_are_refused_on_the_page(self):
        __, csrf = self._open()
        answers = self._full(score="99", recommend="-5")
        __, outcome = self._submit(csrf, answers)
        self.assertEqual(outcome.get("error"), "validation")
        self.assertEqual(set(outcome["fields"]), {str(q.id) for q in answers} | set())
        self.assertIn("1", outcome["fields"][str(self.scores[0].id)])
        self.assertIn("5", outcome["fields"][str(self.scores[0].id)])
        self._assert_nothing_stored()

    def test_fractional_and_text_answers_are_refused(self):
        __, csrf = self._open()
        __, outcome = self._submit(csrf, self._full(score="4.5", recommend="ten"))
        self.assertEqual(outcome.get("error"), "validation")
        self._assert_nothing_stored()

    def test_empty_submission_is_not_an_answer(self):
        __, csrf = self._open()
        __, outcome = self._submit(csrf, {})
        self.assertEqual(outcome.get("error"), "validation")
        self.assertEqual(len(outcome["fields"]), len(self.scores) + 1)
        self._assert_nothing_stored()

    def test_one_answer_set_per_invitation(self):
        __, csrf = self._open()
        __, outcome = self._submit(csrf, self._full(score="5", recommend="10"))
        self.assertFalse(outcome.get("error"))
        self.invitation.invalidate_recordset()
        self.assertEqual(self.invitation.state, "done")
        self.assertEqual(self.invitation.dealer_csi_score, 100.0)

        # Posting again changes nothing.
        __, outcome = self._submit(csrf, self._full(score="1", recommend="0"))
        self.assertEqual(outcome.get("error"), "unauthorized")
        self.invitation.invalidate_recordset()
        self.assertEqual(self.invitation.dealer_csi_score, 100.0)
        self.assertEqual(self.invitation.dealer_nps_score, 10)

        # No "Take Again" on the thank-you page, and its route creates nothing.
        page, __ = self._open()
        self.assertNotIn("/survey/retry/", page.text)
        before = self.env["survey.user_input"].search_count([("survey_id", "=", self.survey.id)])
        retry = self.url_open(f"/survey/retry/{self.survey.access_token}/{self.invitation.access_token}")
        self.assertEqual(retry.status_code, 200)
        self.assertEqual(
            self.env["survey.user_input"].search_count([("survey_id", "=", self.survey.id)]), before
        )

    def test_expired_link_shows_a_closed_page_and_takes_nothing(self):
        __, csrf = self._open()
        self.invitation.sudo().write({"deadline": fields.Datetime.now() - timedelta(minutes=1)})
        page = self.url_open(self.invitation.get_start_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("The time to answer this survey has passed", page.text)
        self.assertNotIn('name="csrf_token"', page.text.split("o_dealer_csi_closed")[-1])
        __, outcome = self._submit(csrf, self._full())
        self.assertEqual(outcome.get("error"), "answer_deadline")
        self._assert_nothing_stored()

    def test_cancelled_visit_closes_its_link(self):
        self.visit.action_cancel()
        self.assertEqual(self.invitation.dealer_csi_state, "withdrawn")
        page = self.url_open(self.invitation.get_start_url())
        self.assertIn("no longer open", page.text)

    def test_the_link_opens_in_the_customers_language(self):
        languages = [
            ("et_EE", "et", "Rahulolu hoolduskülastusega", "Valige väärtus vahemikus 1 kuni 5"),
            ("ru_RU", "ru", "Удовлетворённость визитом в сервис", "Выберите значение от 1 до 5"),
            ("zh_CN", "zh_CN", "售后服务满意度", "请选择 1 到 5 之间的数值"),
        ]
        for lang, __, __, __ in languages:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["dealer_csi"], [lang for lang, *__ in languages], overwrite=True
        )
        for lang, url_code, title, refusal in languages:
            with self.subTest(lang=lang):
                self.customer.lang = lang
                url = self.invitation.get_start_url()
                self.assertTrue(url.startswith(f"/{url_code}/survey/start/"), url)
                page = self.url_open(url)
                self.assertEqual(page.status_code, 200)
                self.assertIn(f"/{url_code}/survey/", page.url)
                self.assertIn(title, page.text)  # the survey's title, in the customer's language
                # A refusal on the page is in that language too.
                csrf = CSRF.search(page.text)
                __, outcome = self._submit(csrf.group(1) or csrf.group(2), self._full(score="99"))
                self.assertEqual(outcome.get("error"), "validation")
                self.assertIn(refusal, outcome["fields"][str(self.scores[0].id)])
