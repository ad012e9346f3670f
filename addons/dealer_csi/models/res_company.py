# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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
    dealer_complaint_days_low = fields.Integer(string="Low Severity (days)", default=14)
    dealer_complaint_days_medium = fields.Integer(string="Medium Severity (days)", default=7)
    dealer_complaint_days_high = fields.Integer(string="High Severity (days)", default=3)
    dealer_complaint_days_critical = fields.Integer(string="Critical Severity (days)", default=1)

    _sql_constraints = [
        (
            "dealer_csi_settings_valid",
            "CHECK(dealer_csi_complaint_threshold BETWEEN 0 AND 100 AND dealer_csi_resurvey_days >= 0 "
            "AND dealer_csi_call_expiry_days >= 1 AND dealer_complaint_days_low >= 0 "
            "AND dealer_complaint_days_medium >= 0 AND dealer_complaint_days_high >= 0 "
            "AND dealer_complaint_days_critical >= 0)",
            "The complaint threshold is a CSI score from 0 to 100, call expiry is at least a day and "
            "no number of days can be negative.",
        ),
    ]
