# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

CSI_QUESTION_ROLES = [
    ("score", "Counts in the CSI score"),
    ("recommend", "Would you recommend us (NPS)"),
]


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    # A survey type of its own keeps the answers out of the survey app's
    # record rules: who sees CSI answers is decided by dealer_csi's rules.
    survey_type = fields.Selection(
        selection_add=[("dealer_csi", "Customer Satisfaction (CSI)")],
        ondelete={"dealer_csi": "set default"},
    )

    def _compute_allowed_survey_types(self):
        res = super()._compute_allowed_survey_types()
        if self.env.user.has_group("dealer_csi.dealer_csi_group_manager"):
            for survey in self:
                survey.allowed_survey_types = (survey.allowed_survey_types or []) + ["dealer_csi"]
        return res


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    dealer_csi_role = fields.Selection(
        CSI_QUESTION_ROLES,
        string="CSI Role",
        help="Scale and scored-choice questions that count in the CSI score (0-100), or the 0-10 "
        "'would you recommend us' question that gives the NPS class.",
    )
