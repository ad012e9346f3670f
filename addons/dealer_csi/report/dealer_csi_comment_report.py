# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.dealer_loyalty.models.dealer_visit import DEPARTMENTS

from ..models.dealer_csi_answer_invitation import INVITED_STATES
from ..models.dealer_csi_config import CSI_CHANNELS
from ..models.survey_user_input import CSI_KINDS, NPS_CLASSES
from .dealer_csi_reports import INPUT_FIELDS

# Free-text question types: what the customer wrote in their own words.
COMMENT_ANSWER_TYPES = ("text_box", "char_box")


class DealerCsiCommentReport(models.Model):
    """One row per free-text answer of a CSI survey: the customer's own words beside their score.

    The same surveys as the CSI analysis (answered invitations, by visit
    date), so a comment is always read next to the figure it explains.
    """

    _name = "dealer.csi.comment.report"
    _description = "Customer Comments"
    _auto = False
    _order = "date desc, csi_score, id"
    _rec_name = "comment"
    _depends = {
        "survey.user_input": INPUT_FIELDS + ["end_datetime", "dealer_kind"],
        "survey.user_input.line": [
            "user_input_id",
            "question_id",
            "answer_type",
            "value_text_box",
            "value_char_box",
            "skipped",
        ],
        "survey.survey": ["survey_type"],
    }

    date = fields.Date(string="Visit Date", readonly=True)
    answered_on = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department = fields.Selection(DEPARTMENTS, readonly=True)
    advisor_id = fields.Many2one("res.users", string="Advisor / Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    vehicle_id = fields.Many2one("fleet.vehicle", string="Vehicle", readonly=True)
    visit_id = fields.Many2one("dealer.visit", string="Visit", readonly=True)
    survey_id = fields.Many2one("survey.survey", string="Survey", readonly=True)
    question_id = fields.Many2one("survey.question", string="Question", readonly=True)
    user_input_id = fields.Many2one("survey.user_input", string="Answer Set", readonly=True)
    kind = fields.Selection(CSI_KINDS, string="CSI Survey", readonly=True)
    channel = fields.Selection(CSI_CHANNELS, readonly=True)
    csi_score = fields.Float(string="CSI", readonly=True, aggregator="avg", digits=(5, 1))
    is_scored = fields.Boolean(readonly=True)
    nps_class = fields.Selection(NPS_CLASSES, string="NPS Class", readonly=True)
    comment = fields.Text(readonly=True)

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        """Inherit this method to add columns; ``i`` is the answer set, ``l`` the answer line."""
        return SQL(
            """
            SELECT l.id, i.dealer_visit_date AS date, i.end_datetime AS answered_on,
                   i.dealer_company_id AS company_id, i.dealer_department AS department,
                   i.dealer_advisor_id AS advisor_id, i.partner_id, i.dealer_vehicle_id AS vehicle_id,
                   i.dealer_visit_id AS visit_id, i.survey_id, l.question_id, i.id AS user_input_id,
                   i.dealer_kind AS kind, i.dealer_channel AS channel,
                   CASE WHEN i.dealer_is_scored THEN i.dealer_csi_score END AS csi_score,
                   i.dealer_is_scored IS TRUE AS is_scored,
                   i.dealer_nps_class AS nps_class,
                   %(comment)s AS comment
            """,
            comment=self._comment_sql(),
        )

    def _from(self):
        return SQL(
            """
            FROM survey_user_input_line l
            JOIN survey_user_input i ON i.id = l.user_input_id
            JOIN survey_survey s ON s.id = i.survey_id
            """
        )

    def _where(self):
        return SQL(
            """
            WHERE s.survey_type = 'dealer_csi' AND i.dealer_kind IS NOT NULL AND i.state = 'done'
              AND i.dealer_csi_state IN %(states)s AND i.test_entry IS NOT TRUE
              AND l.answer_type IN %(types)s AND l.skipped IS NOT TRUE
              AND %(comment)s != ''
            """,
            states=INVITED_STATES,
            types=COMMENT_ANSWER_TYPES,
            comment=self._comment_sql(),
        )

    def _comment_sql(self):
        return SQL("btrim(COALESCE(l.value_text_box, l.value_char_box, ''))")

    def action_open_answers(self):
        """The whole answer set the comment belongs to."""
        self.ensure_one()
        return self.user_input_id._dealer_form_action()
