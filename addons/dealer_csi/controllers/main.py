# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import request

from odoo.addons.survey.controllers.main import Survey


class DealerCsiSurvey(Survey):
    def _check_validity(self, survey_token, answer_token, ensure_token=True, check_partner=True):
        # A call agent fills the customer's survey in on the phone: the answer
        # belongs to the customer, not to the agent's own partner. Only CSI
        # staff who may read the answer set under their record rules get in.
        if check_partner and answer_token and self._dealer_agent_may_answer(survey_token, answer_token):
            check_partner = False
        validity = super()._check_validity(
            survey_token, answer_token, ensure_token=ensure_token, check_partner=check_partner
        )
        if validity is True and answer_token:
            answer_sudo = self._fetch_from_access_token(survey_token, answer_token)[1]
            # A withdrawn, expired or closed-month invitation takes no answers;
            # a done one still shows its thank-you page.
            if (
                answer_sudo.dealer_kind
                and answer_sudo.state != "done"
                and answer_sudo._dealer_answer_refusal()
            ):
                return "answer_deadline"
        return validity

    def _redirect_with_error(self, access_data, error_key):
        answer_sudo = access_data["answer_sudo"]
        if error_key == "answer_deadline" and answer_sudo.dealer_kind:
            return request.render(
                "dealer_csi.survey_answer_window_closed",
                {
                    "survey": access_data["survey_sudo"],
                    "answer": answer_sudo,
                    "company": answer_sudo.dealer_company_id or request.env.company,
                    "withdrawn": answer_sudo.dealer_csi_state == "withdrawn",
                },
            )
        return super()._redirect_with_error(access_data, error_key)

    @http.route()
    def survey_retry(self, survey_token, answer_token, **post):
        # One answer set per invitation: "Take Again" would create an orphan
        # that counts nowhere. Back to the thank-you page of the answers given.
        answer_sudo = self._fetch_from_access_token(survey_token, answer_token)[1]
        if answer_sudo.dealer_kind or answer_sudo.survey_id.survey_type == "dealer_csi":
            return request.redirect(answer_sudo.get_start_url() if answer_sudo else "/")
        return super().survey_retry(survey_token, answer_token, **post)

    @http.route()
    def survey_submit(self, survey_token, answer_token, **post):
        # A CSI page is stored whole or not at all: Odoo saves the valid
        # questions of a page that has errors, which leaves half an answer set.
        access_data = self._get_access_data(survey_token, answer_token, ensure_token=True)
        answer_sudo = access_data["answer_sudo"]
        if access_data["validity_code"] is True and answer_sudo.dealer_kind and answer_sudo.state != "done":
            errors = self._dealer_page_errors(access_data["survey_sudo"], answer_sudo, post)
            if errors:
                return {}, {"error": "validation", "fields": errors}
        return super().survey_submit(survey_token, answer_token, **post)

    def _dealer_page_errors(self, survey_sudo, answer_sudo, post):
        questions = (
            survey_sudo._get_survey_questions(
                answer=answer_sudo, page_id=post.get("page_id"), question_id=post.get("question_id")
            )[0]
            - answer_sudo._get_inactive_conditional_questions()
        )
        errors = {}
        for question in questions:
            answer, comment = self._extract_comment_from_answers(question, post.get(str(question.id)))
            errors.update(question.validate_question(answer, comment))
        return errors

    def _dealer_agent_may_answer(self, survey_token, answer_token):
        user = request.env.user
        if user._is_public():
            return False
        # sudo: the token designates the answer set; who may fill it in is
        # decided below, not by the reading rules (an advisor may read the
        # answers about their visits but must not answer for the customer).
        answer = (
            request.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("access_token", "=", answer_token),
                    ("survey_id.access_token", "=", survey_token),
                    ("dealer_kind", "!=", False),
                ],
                limit=1,
            )
        )
        return bool(answer) and answer.with_user(user)._dealer_may_fill_in()
