# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dealer_csi_complaint_threshold = fields.Float(
        string="Complaint Below CSI",
        default=60.0,
        help="A survey answered with a CSI score below this opens a complaint for the department " "manager.",
    )
    dealer_csi_resurvey_days = fields.Integer(
        string="Re-survey After (days)",
        default=7,
        help="Days after a complaint is resolved that the customer gets the short re-survey.",
    )
    dealer_csi_recovery_survey_id = fields.Many2one(
        "survey.survey",
        string="Re-survey",
        domain=[("survey_type", "=", "dealer_csi")],
        help="The short survey sent after a complaint is resolved. Empty: no re-survey.",
    )
    dealer_csi_call_expiry_days = fields.Integer(
        string="Survey Calls Expire After (days)",
        default=5,
        help="A survey follow-up call nobody made within this many days is dropped.",
    )
    dealer_csi_answer_days = fields.Integer(
        string="Answer Within (days)",
        default=30,
        help="Days a customer can answer a survey after it went out; afterwards its link shows a "
        "closed page and the invitation expires.",
    )
    dealer_csi_detractor_action = fields.Selection(
        [
            ("complaint", "Open a complaint"),
            ("activity", "Schedule a follow-up call"),
            ("none", "Nothing"),
        ],
        string="Detractors",
        default="complaint",
        required=True,
        help="What happens when a customer would not recommend us (0-6), even when the CSI score is "
        "above the complaint threshold.",
    )
    dealer_csi_call_max_attempts = fields.Integer(
        string="Survey Call Attempts",
        default=3,
        help="Times an agent tries to reach the customer before the survey call fails.",
    )
    dealer_csi_call_retry_hours = fields.Integer(
        string="Call Again After (hours)",
        default=4,
        help="When the customer was not reached, the next attempt is this many hours later.",
    )
    dealer_complaint_days_low = fields.Integer(string="Low Severity (days)", default=14)
    dealer_complaint_days_medium = fields.Integer(string="Medium Severity (days)", default=7)
    dealer_complaint_days_high = fields.Integer(string="High Severity (days)", default=3)
    dealer_complaint_days_critical = fields.Integer(string="Critical Severity (days)", default=1)

    _sql_constraints = [
        (
            "dealer_csi_settings_valid",
            "CHECK(dealer_csi_complaint_threshold BETWEEN 0 AND 100 AND dealer_csi_resurvey_days >= 0 "
            "AND dealer_csi_call_expiry_days >= 1 AND dealer_csi_answer_days >= 1 "
            "AND dealer_csi_call_max_attempts >= 1 AND dealer_csi_call_retry_hours >= 0 AND dealer_complaint_days_low >= 0 "
            "AND dealer_complaint_days_medium >= 0 AND dealer_complaint_days_high >= 0 "
            "AND dealer_complaint_days_critical >= 0)",
            "The complaint threshold is a CSI score from 0 to 100; call expiry and the answer window "
            "are at least a day, calls get at least one attempt, and no delay can be negative.",
        ),
    ]

    def _dealer_csi_month_closes_on(self, month_start):
        """The day a month's CSI becomes final for this company.

        An answer counts in the month of its visit. The last invitations of a
        month go out at most the longest survey delay plus catch-up after the
        month ends, and can be answered for the answer window: from the day
        after, no answer can reach the month any more, and nothing changes it.
        """
        self.ensure_one()
        longest = self.env["dealer.csi.config"]._dealer_longest_wait(self.id)
        month_end = month_start + relativedelta(months=1) - timedelta(days=1)
        return month_end + timedelta(days=longest + self.dealer_csi_answer_days + 1)
