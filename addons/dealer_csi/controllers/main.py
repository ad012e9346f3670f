# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.http import request

from odoo.addons.survey.controllers.main import Survey


class DealerCsiSurvey(Survey):
    def _check_validity(self, survey_token, answer_token, ensure_token=True, check_partner=True):
        # A call agent fills the customer's survey in on the phone: the answer
        # belongs to the customer, not to the agent's own partner. Only CSI
        # staff who may read the answer set under their record rules get in.
        if check_partner and answer_token and self._dealer_agent_may_answer(survey_token, answer_token):
            check_partner = False
        return super()._check_validity(
            survey_token, answer_token, ensure_token=ensure_token, check_partner=check_partner
        )

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
