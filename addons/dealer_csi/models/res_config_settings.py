# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dealer_csi_complaint_threshold = fields.Float(
        related="company_id.dealer_csi_complaint_threshold", readonly=False
    )
    dealer_csi_resurvey_days = fields.Integer(related="company_id.dealer_csi_resurvey_days", readonly=False)
    dealer_csi_recovery_survey_id = fields.Many2one(
        related="company_id.dealer_csi_recovery_survey_id", readonly=False
    )
    dealer_csi_call_expiry_days = fields.Integer(
        related="company_id.dealer_csi_call_expiry_days", readonly=False
    )
    dealer_csi_answer_days = fields.Integer(related="company_id.dealer_csi_answer_days", readonly=False)
    dealer_csi_detractor_action = fields.Selection(
        related="company_id.dealer_csi_detractor_action", readonly=False
    )
    dealer_csi_call_max_attempts = fields.Integer(
        related="company_id.dealer_csi_call_max_attempts", readonly=False
    )
    dealer_csi_call_retry_hours = fields.Integer(
        related="company_id.dealer_csi_call_retry_hours", readonly=False
    )
    dealer_complaint_days_low = fields.Integer(related="company_id.dealer_complaint_days_low", readonly=False)
    dealer_complaint_days_medium = fields.Integer(
        related="company_id.dealer_complaint_days_medium", readonly=False
    )
    dealer_complaint_days_high = fields.Integer(
        related="company_id.dealer_complaint_days_high", readonly=False
    )
    dealer_complaint_days_critical = fields.Integer(
        related="company_id.dealer_complaint_days_critical", readonly=False
    )
