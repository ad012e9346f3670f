# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .dealer_csi_answer_invitation import INVITED_STATES

# What decides how a question's answers score.
SCORING_FIELDS = frozenset(
    {
        "dealer_csi_role",
        "scale_min",
        "scale_max",
        "question_type",
        "survey_id",
        "suggested_answer_ids",
        "matrix_row_ids",
    }
)
CSI_QUESTION_ROLES = [
    ("score", "Counts in the CSI score"),
    ("recommend", "Would you recommend us (NPS)"),
]


def check_csi_survey_edit(env, survey_types):
    """Only CSI managers change the satisfaction surveys, their questions and answers.

    Record rules cannot say it: the survey app lets every survey user edit
    every survey, and rules of different groups add up. Changing a survey's
    type would also hand its answers to the survey app's rules.
    """
    if env.su or "dealer_csi" not in set(survey_types):
        return
    if not env.user.has_group("dealer_csi.dealer_csi_group_manager"):
        raise AccessError(_("Only customer satisfaction managers can change the CSI surveys."))


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    # A survey type of its own keeps the answers out of the survey app's
    # record rules: who sees CSI answers is decided by dealer_csi's rules.
    survey_type = fields.Selection(
        selection_add=[("dealer_csi", "Customer Satisfaction (CSI)")],
        ondelete={"dealer_csi": "set default"},
    )
    # The CSI surveys' own figures (the survey app's quiz statistics mean nothing for them),
    # over the invitations of the current companies: those the response rate counts.
    dealer_invitation_count = fields.Integer(string="Invited", compute="_compute_dealer_csi_figures")
    dealer_answer_count = fields.Integer(string="Answers", compute="_compute_dealer_csi_figures")
    dealer_csi = fields.Float(string="CSI", compute="_compute_dealer_csi_figures", digits=(5, 1))
    dealer_nps = fields.Float(string="NPS", compute="_compute_dealer_csi_figures", digits=(5, 1))
    dealer_response_rate = fields.Float(
        string="Response Rate (%)", compute="_compute_dealer_csi_figures", digits=(5, 1)
    )

    @api.depends_context("allowed_company_ids")
    def _compute_dealer_csi_figures(self):
        csi_surveys = self.filtered(lambda survey: survey.survey_type == "dealer_csi" and survey.id)
        domain = [
            ("survey_id", "in", csi_surveys.ids),
            ("dealer_kind", "!=", False),
            ("dealer_csi_state", "in", INVITED_STATES),
            ("dealer_company_id", "in", self.env.companies.ids),
        ]
        Input = self.env["survey.user_input"]
        invited, answered = defaultdict(int), defaultdict(int)
        for survey, state, count in Input._read_group(domain, ["survey_id", "state"], ["__count"]):
            invited[survey.id] += count
            answered[survey.id] += count if state == "done" else 0
        done = domain + [("state", "=", "done")]
        scores = {
            survey.id: csi
            for survey, csi in Input._read_group(
                done + [("dealer_is_scored", "=", True)], ["survey_id"], ["dealer_csi_score:avg"]
            )
        }
        nps = defaultdict(lambda: defaultdict(int))
        for survey, nps_class, count in Input._read_group(
            done + [("dealer_nps_class", "!=", False)], ["survey_id", "dealer_nps_class"], ["__count"]
        ):
            nps[survey.id][nps_class] = count
        for survey in self:
            classes = nps[survey.id]
            nps_answers = sum(classes.values())
            survey.dealer_invitation_count = invited[survey.id]
            survey.dealer_answer_count = answered[survey.id]
            survey.dealer_response_rate = (
                100.0 * answered[survey.id] / invited[survey.id] if invited[survey.id] else 0.0
            )
            survey.dealer_csi = scores.get(survey.id) or 0.0
            survey.dealer_nps = (
                100.0 * (classes["promoter"] - classes["detractor"]) / nps_answers if nps_answers else 0.0
            )

    def _compute_allowed_survey_types(self):
        res = super()._compute_allowed_survey_types()
        if self.env.user.has_group("dealer_csi.dealer_csi_group_manager"):
            for survey in self:
                survey.allowed_survey_types = (survey.allowed_survey_types or []) + ["dealer_csi"]
        return res

    @api.model_create_multi
    def create(self, vals_list):
        check_csi_survey_edit(self.env, [vals.get("survey_type") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        check_csi_survey_edit(self.env, self.mapped("survey_type") + [vals.get("survey_type")])
        return super().write(vals)

    def unlink(self):
        check_csi_survey_edit(self.env, self.mapped("survey_type"))
        if (
            self.env["survey.user_input"]
            .sudo()
            .search_count([("survey_id", "in", self.ids), ("dealer_kind", "!=", False)], limit=1)
        ):
            raise UserError(
                _(
                    "Customers were invited to this satisfaction survey: archive it instead, so their answers stay."
                )
            )
        return super().unlink()


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    dealer_csi_role = fields.Selection(
        CSI_QUESTION_ROLES,
        string="CSI Role",
        help="Scale and scored-choice questions that count in the CSI score (0-100), or the 0-10 "
        "'would you recommend us' question that gives the NPS class.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        surveys = self.env["survey.survey"].browse(
            [vals["survey_id"] for vals in vals_list if vals.get("survey_id")]
        )
        check_csi_survey_edit(self.env, surveys.mapped("survey_type"))
        return super().create(vals_list)

    def write(self, vals):
        surveys = self.survey_id | self.env["survey.survey"].browse(vals.get("survey_id") or [])
        check_csi_survey_edit(self.env, surveys.mapped("survey_type"))
        if SCORING_FIELDS & vals.keys():
            self._dealer_check_unanswered()
        return super().write(vals)

    def unlink(self):
        check_csi_survey_edit(self.env, self.survey_id.mapped("survey_type"))
        self._dealer_check_unanswered()
        return super().unlink()

    def _dealer_check_unanswered(self):
        """What customers answered stays readable as they answered it.

        Changing how a question scores, or deleting it, would rewrite the
        figures of months already final: a new version of the survey (a copy,
        chosen in the survey settings) asks differently from now on.
        """
        if (
            self.env["survey.user_input.line"]
            .sudo()
            .search_count(
                [("question_id", "in", self.ids), ("user_input_id.dealer_kind", "!=", False)], limit=1
            )
        ):
            raise UserError(
                _(
                    "Customers already answered this question: it cannot be deleted and its scale, type or CSI "
                    "role cannot change. Copy the survey, change the copy and choose it in the survey settings."
                )
            )

    # ------------------------------------------------------------
    # ANSWER VALIDATION
    # ------------------------------------------------------------

    def validate_question(self, answer, comment=None):
        """CSI questions are checked whatever the survey's navigation settings.

        Odoo skips the required check when "users can go back" is on and
        never checks a scale's bounds: a CSI score must be complete and
        within its scale, or it is not stored.
        """
        errors = super().validate_question(answer, comment)
        if errors or self.survey_id.survey_type != "dealer_csi":
            return errors
        error = self._dealer_answer_error(answer, comment)
        return {self.id: error} if error else {}

    def _dealer_answer_error(self, answer, comment):
        self.ensure_one()
        if isinstance(answer, str):
            answer = answer.strip()
        required = self.constr_error_msg or _("This question requires an answer.")
        if self.question_type in ("simple_choice", "multiple_choice"):
            chosen = [choice for choice in (answer if isinstance(answer, list) else [answer]) if choice]
            commented = bool(comment and self.comments_allowed and self.comment_count_as_answer)
            if not chosen:
                return required if self.constr_mandatory and not commented else None
            try:
                choices = self.env["survey.question.answer"].browse(int(choice) for choice in chosen)
            except (TypeError, ValueError):
                return _("Choose one of the answers shown.")
            return next(filter(None, (self._dealer_choice_error(choice) for choice in choices)), None)
        if not answer:
            return required if self.constr_mandatory else None
        if self.question_type == "scale":
            try:
                value = float(answer)
            except (TypeError, ValueError):
                value = None
            return self._dealer_scale_error(value)
        if self.question_type == "numerical_box":
            try:
                return self._dealer_number_error(float(answer))
            except (TypeError, ValueError):
                return _("This is not a number")
        return None

    def _dealer_scale_error(self, value):
        if (
            value is None
            or not math.isfinite(value)
            or value != int(value)
            or not (self.scale_min <= value <= self.scale_max)
        ):
            return _("Choose a value from %(min)s to %(max)s.", min=self.scale_min, max=self.scale_max)
        return None

    def _dealer_number_error(self, value):
        if not math.isfinite(value):
            return _("This is not a number")
        if self.validation_required and not (
            self.validation_min_float_value <= value <= self.validation_max_float_value
        ):
            return self.validation_error_msg or _(
                "Enter a number from %(min)s to %(max)s.",
                min=self.validation_min_float_value,
                max=self.validation_max_float_value,
            )
        return None

    def _dealer_choice_error(self, choice, row=None):
        if choice and choice not in self.suggested_answer_ids:
            return _("Choose one of the answers shown.")
        if row and row not in self.matrix_row_ids:
            return _("Choose one of the rows shown.")
        return None


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    def _dealer_surveys(self):
        return self.question_id.survey_id | self.matrix_question_id.survey_id

    @api.model_create_multi
    def create(self, vals_list):
        questions = self.env["survey.question"].browse(
            [
                vals.get("question_id") or vals.get("matrix_question_id")
                for vals in vals_list
                if vals.get("question_id") or vals.get("matrix_question_id")
            ]
        )
        check_csi_survey_edit(self.env, questions.survey_id.mapped("survey_type"))
        return super().create(vals_list)

    def write(self, vals):
        check_csi_survey_edit(self.env, self._dealer_surveys().mapped("survey_type"))
        if "answer_score" in vals:
            (self.question_id | self.matrix_question_id)._dealer_check_unanswered()
        return super().write(vals)

    def unlink(self):
        check_csi_survey_edit(self.env, self._dealer_surveys().mapped("survey_type"))
        (self.question_id | self.matrix_question_id)._dealer_check_unanswered()
        return super().unlink()
