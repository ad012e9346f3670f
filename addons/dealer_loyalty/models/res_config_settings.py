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

    def set_values(self):
        plan_fields = [
            "dealer_service_interval_km",
            "dealer_service_interval_months",
            "dealer_first_service_km",
            "dealer_first_service_months",
            "dealer_max_daily_km",
        ]
        segment_fields = [
            "dealer_regular_min_visits",
            "dealer_regular_period_months",
            "dealer_lost_after_months",
        ]
        company = self.company_id
        plan_changed = any(self[name] != company[name] for name in plan_fields)
        segments_changed = any(self[name] != company[name] for name in segment_fields)
        super().set_values()
        if plan_changed:
            vehicles = self.env["fleet.vehicle"].search([("company_id", "in", [company.id, False])])
            vehicles._dealer_recompute_service_plan()
        if segments_changed:
            self.env["res.partner"]._dealer_update_segments(company=company)
