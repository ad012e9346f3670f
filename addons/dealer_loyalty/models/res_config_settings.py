# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dealer_regular_min_visits = fields.Integer(related="company_id.dealer_regular_min_visits", readonly=False)
    dealer_regular_period_months = fields.Integer(
        related="company_id.dealer_regular_period_months", readonly=False
    )
    dealer_lost_after_months = fields.Integer(related="company_id.dealer_lost_after_months", readonly=False)
    dealer_service_interval_km = fields.Integer(
        related="company_id.dealer_service_interval_km", readonly=False
    )
    dealer_service_interval_months = fields.Integer(
        related="company_id.dealer_service_interval_months", readonly=False
    )
    dealer_first_service_km = fields.Integer(related="company_id.dealer_first_service_km", readonly=False)
    dealer_first_service_months = fields.Integer(
        related="company_id.dealer_first_service_months", readonly=False
    )
    dealer_max_daily_km = fields.Integer(related="company_id.dealer_max_daily_km", readonly=False)
    dealer_reminder_lead_days = fields.Integer(related="company_id.dealer_reminder_lead_days", readonly=False)
    dealer_reminder_signature = fields.Html(related="company_id.dealer_reminder_signature", readonly=False)
    dealer_consent_required_email = fields.Boolean(
        related="company_id.dealer_consent_required_email", readonly=False
    )
    dealer_consent_required_sms = fields.Boolean(
        related="company_id.dealer_consent_required_sms", readonly=False
    )
    dealer_consent_required_letter = fields.Boolean(
        related="company_id.dealer_consent_required_letter", readonly=False
    )
    dealer_consent_required_phone = fields.Boolean(
        related="company_id.dealer_consent_required_phone", readonly=False
    )
    dealer_contact_min_gap_days = fields.Integer(
        related="company_id.dealer_contact_min_gap_days", readonly=False
    )
    dealer_contact_pause_days = fields.Integer(related="company_id.dealer_contact_pause_days", readonly=False)
    dealer_call_retry_days = fields.Integer(related="company_id.dealer_call_retry_days", readonly=False)
    dealer_call_max_attempts = fields.Integer(related="company_id.dealer_call_max_attempts", readonly=False)
    dealer_contact_max_postpone_days = fields.Integer(
        related="company_id.dealer_contact_max_postpone_days", readonly=False
    )
    dealer_call_expiry_days = fields.Integer(related="company_id.dealer_call_expiry_days", readonly=False)
    dealer_abc_class_a = fields.Float(related="company_id.dealer_abc_class_a", readonly=False)
    dealer_abc_class_b = fields.Float(related="company_id.dealer_abc_class_b", readonly=False)
    dealer_slipping_after_months = fields.Integer(
        related="company_id.dealer_slipping_after_months", readonly=False
    )
    dealer_attribution_days = fields.Integer(related="company_id.dealer_attribution_days", readonly=False)
    dealer_timezone = fields.Selection(related="company_id.dealer_timezone", readonly=False)
    dealer_send_from = fields.Float(related="company_id.dealer_send_from", readonly=False)
    dealer_send_until = fields.Float(related="company_id.dealer_send_until", readonly=False)
    dealer_booking_slots_morning = fields.Integer(
        related="company_id.dealer_booking_slots_morning", readonly=False
    )
    dealer_booking_slots_afternoon = fields.Integer(
        related="company_id.dealer_booking_slots_afternoon", readonly=False
    )
    dealer_booking_saturday = fields.Boolean(related="company_id.dealer_booking_saturday", readonly=False)
    dealer_booking_horizon_days = fields.Integer(
        related="company_id.dealer_booking_horizon_days", readonly=False
    )
    dealer_booking_link_days = fields.Integer(related="company_id.dealer_booking_link_days", readonly=False)
    dealer_booking_user_id = fields.Many2one(related="company_id.dealer_booking_user_id", readonly=False)
