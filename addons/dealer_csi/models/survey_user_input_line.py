# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    dealer_score = fields.Float(
        string="Score (0-100)",
        compute="_compute_dealer_score",
        store=True,
        aggregator="avg",
        help="The answer scaled to 0-100, for CSI questions.",
    )

    @api.depends("value_scale", "suggested_answer_id", "skipped", "question_id.dealer_csi_role")
    def _compute_dealer_score(self):
        for line in self:
            value = line._dealer_scaled_value() if line.question_id.dealer_csi_role == "score" else None
            line.dealer_score = value or 0.0

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.env["survey.user_input"].browse(
                {vals.get("user_input_id") for vals in vals_list} - {None}
            )._dealer_check_answers_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.user_input_id._dealer_check_answers_editable()
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self.user_input_id._dealer_check_answers_editable()
        return super().unlink()

    @api.constrains(
        "value_scale", "value_numerical_box", "suggested_answer_id", "matrix_row_id", "skipped", "question_id"
    )
    def _check_dealer_csi_answer(self):
        """What a CSI answer stores is within its question's bounds, whoever stores it.

        The survey page checks the same before saving, so a customer sees the
        message there; this keeps the API and any other path from storing a
        score of 99 on a 1-5 question.
        """
        for line in self:
            if line.skipped or line.survey_id.survey_type != "dealer_csi":
                continue
            question = line.question_id
            if line.answer_type == "scale":
                error = question._dealer_scale_error(line.value_scale)
            elif line.answer_type == "numerical_box":
                error = question._dealer_number_error(line.value_numerical_box)
            elif line.answer_type == "suggestion":
                error = question._dealer_choice_error(line.suggested_answer_id, line.matrix_row_id)
            else:
                error = None
            if error:
                raise ValidationError(_("%(question)s: %(error)s", question=question.title, error=error))

    def _dealer_scaled_value(self):
        """The answer on a 0-100 scale, or None when it does not score."""
        question = self.question_id
        if self.skipped:
            return None
        if self.answer_type == "scale":
            span = question.scale_max - question.scale_min
            return (self.value_scale - question.scale_min) * 100.0 / span if span else None
        if self.answer_type == "suggestion" and self.suggested_answer_id:
            best = max(question.suggested_answer_ids.mapped("answer_score") or [0.0])
            return self.suggested_answer_id.answer_score * 100.0 / best if best > 0 else None
        return None
