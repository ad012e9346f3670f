# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

from odoo.addons.dealer_loyalty.models.dealer_visit import DEPARTMENTS

from ..models.dealer_contact_log import CALLER_STATUSES, CONTACT_TYPES, GENDERS, OUTCOMES, PURPOSES
from ..models.dealer_csi_answer_invitation import INVITED_STATES
from ..models.dealer_csi_config import CSI_CHANNELS
from ..models.survey_user_input import NPS_CLASSES

INPUT_FIELDS = [
    "state",
    "partner_id",
    "survey_id",
    "dealer_kind",
    "dealer_visit_id",
    "dealer_visit_date",
    "dealer_invited_on",
    "dealer_company_id",
    "dealer_vehicle_id",
    "dealer_department",
    "dealer_advisor_id",
    "dealer_channel",
    "dealer_csi_state",
    "dealer_csi_score",
    "dealer_is_scored",
    "dealer_nps_class",
]


class DealerCsiReport(models.Model):
    """One row per visit survey that went out: CSI, NPS and response rate by any grouping.

    The measures are averages built so that the average is the figure:
    NPS is +100 for a promoter, 0 for a passive and -100 for a detractor,
    so its average is % promoters - % detractors; the response rate is 100
    for an answered invitation and 0 otherwise.
    """

    _name = "dealer.csi.report"
    _description = "CSI Analysis"
    _auto = False
    _order = "date desc"
    _depends = {"survey.user_input": INPUT_FIELDS}

    date = fields.Date(string="Visit Date", readonly=True)
    invited_on = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department = fields.Selection(DEPARTMENTS, readonly=True)
    advisor_id = fields.Many2one("res.users", string="Advisor / Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    vehicle_id = fields.Many2one("fleet.vehicle", string="Vehicle", readonly=True)
    visit_id = fields.Many2one("dealer.visit", string="Visit", readonly=True)
    survey_id = fields.Many2one("survey.survey", string="Survey", readonly=True)
    user_input_id = fields.Many2one("survey.user_input", string="Answer Set", readonly=True)
    channel = fields.Selection(CSI_CHANNELS, readonly=True)
    nps_class = fields.Selection(NPS_CLASSES, string="NPS Class", readonly=True)
    invitation_count = fields.Integer(string="Invitations", readonly=True)
    answered_count = fields.Integer(string="Answers", readonly=True)
    csi_score = fields.Float(string="CSI", readonly=True, aggregator="avg", digits=(5, 1))
    nps = fields.Float(string="NPS", readonly=True, aggregator="avg", digits=(5, 1))
    response_rate = fields.Float(string="Response Rate (%)", readonly=True, aggregator="avg", digits=(5, 1))
    promoter_count = fields.Integer(string="Promoters", readonly=True)
    detractor_count = fields.Integer(string="Detractors", readonly=True)

    def init(self):
        # Dropped first: CREATE OR REPLACE VIEW cannot change or remove a column on upgrade.
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT i.id, i.id AS user_input_id, i.dealer_visit_date AS date,
                           i.dealer_invited_on AS invited_on, i.dealer_company_id AS company_id,
                           i.dealer_department AS department, i.dealer_advisor_id AS advisor_id,
                           i.partner_id, i.dealer_vehicle_id AS vehicle_id, i.dealer_visit_id AS visit_id,
                           i.survey_id, i.dealer_nps_class AS nps_class, 1 AS invitation_count,
                           CASE WHEN i.state = 'done' THEN 1 ELSE 0 END AS answered_count,
                           CASE WHEN i.state = 'done' AND i.dealer_is_scored THEN i.dealer_csi_score END
                               AS csi_score,
                           CASE i.dealer_nps_class WHEN 'promoter' THEN 100.0 WHEN 'passive' THEN 0.0
                                WHEN 'detractor' THEN -100.0 END AS nps,
                           CASE WHEN i.state = 'done' THEN 100.0 ELSE 0.0 END AS response_rate,
                           CASE WHEN i.dealer_nps_class = 'promoter' THEN 1 ELSE 0 END AS promoter_count,
                           CASE WHEN i.dealer_nps_class = 'detractor' THEN 1 ELSE 0 END AS detractor_count,
                           i.dealer_channel AS channel
                      FROM survey_user_input i
                     WHERE i.dealer_kind = 'visit' AND i.dealer_csi_state IN %(states)s AND i.test_entry IS NOT TRUE
                )
                """,
                view=SQL.identifier(self._table),
                states=INVITED_STATES,
            )
        )


class DealerCsiQuestionReport(models.Model):
    """Each CSI question's answers scaled to 0-100: what customers rate high and low."""

    _name = "dealer.csi.question.report"
    _description = "CSI per Question"
    _auto = False
    _order = "date desc"
    _depends = {
        "survey.user_input": INPUT_FIELDS,
        "survey.user_input.line": ["user_input_id", "question_id", "dealer_score", "skipped"],
        "survey.question": ["dealer_csi_role"],
    }

    date = fields.Date(string="Visit Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department = fields.Selection(DEPARTMENTS, readonly=True)
    advisor_id = fields.Many2one("res.users", string="Advisor / Salesperson", readonly=True)
    survey_id = fields.Many2one("survey.survey", string="Survey", readonly=True)
    question_id = fields.Many2one("survey.question", string="Question", readonly=True)
    score = fields.Float(string="Average (0-100)", readonly=True, aggregator="avg", digits=(5, 1))
    answer_count = fields.Integer(string="Answers", readonly=True)

    def init(self):
        # Dropped first: CREATE OR REPLACE VIEW cannot change or remove a column on upgrade.
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT l.id, i.dealer_visit_date AS date, i.dealer_company_id AS company_id,
                           i.dealer_department AS department, i.dealer_advisor_id AS advisor_id,
                           i.survey_id, l.question_id, l.dealer_score AS score, 1 AS answer_count
                      FROM survey_user_input_line l
                      JOIN survey_user_input i ON i.id = l.user_input_id
                      JOIN survey_question q ON q.id = l.question_id
                     WHERE i.dealer_kind = 'visit' AND i.state = 'done' AND i.dealer_csi_state = 'answered'
                       AND i.test_entry IS NOT TRUE
                       AND q.dealer_csi_role = 'score' AND l.skipped IS NOT TRUE
                )
                """,
                view=SQL.identifier(self._table),
            )
        )


class DealerContactReport(models.Model):
    """Contacts per source and purpose, and how many prospects became customers."""

    _name = "dealer.contact.report"
    _description = "Contact Analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "dealer.contact.log": [
            "date",
            "company_id",
            "contact_type",
            "caller_status",
            "source_id",
            "campaign_id",
            "purpose",
            "gender",
            "user_id",
            "outcome",
            "partner_id",
        ],
        "dealer.visit": ["partner_id", "state", "date"],
    }

    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    contact_type = fields.Selection(CONTACT_TYPES, string="Contact", readonly=True)
    caller_status = fields.Selection(CALLER_STATUSES, readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    purpose = fields.Selection(PURPOSES, readonly=True)
    gender = fields.Selection(GENDERS, readonly=True)
    user_id = fields.Many2one("res.users", string="Handled By", readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    contact_count = fields.Integer(string="Contacts", readonly=True)
    prospect_count = fields.Integer(string="Prospect Contacts", readonly=True)
    converted_count = fields.Integer(
        string="Became Customers", readonly=True, help="Prospects with a done visit on or after the contact."
    )
    conversion_rate = fields.Float(string="Conversion (%)", readonly=True, aggregator="avg", digits=(5, 1))

    def init(self):
        # Dropped first: CREATE OR REPLACE VIEW cannot change or remove a column on upgrade.
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT c.id, c.date, c.company_id, c.contact_type, c.caller_status, c.source_id,
                           c.campaign_id, c.purpose, c.gender, c.user_id, c.outcome, c.partner_id,
                           1 AS contact_count,
                           CASE WHEN c.caller_status != 'customer' THEN 1 ELSE 0 END AS prospect_count,
                           CASE WHEN c.caller_status != 'customer' AND bought.yes THEN 1 ELSE 0 END
                               AS converted_count,
                           CASE WHEN c.caller_status = 'customer' THEN NULL
                                WHEN bought.yes THEN 100.0 ELSE 0.0 END AS conversion_rate
                      FROM dealer_contact_log c
                CROSS JOIN LATERAL (
                           SELECT EXISTS (
                                  SELECT 1 FROM dealer_visit v
                                   WHERE v.partner_id = c.partner_id AND v.state = 'done'
                                     AND v.date >= c.date::date) AS yes
                      ) bought
                )
                """,
                view=SQL.identifier(self._table),
            )
        )
