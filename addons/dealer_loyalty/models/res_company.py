# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

SEGMENT_FIELDS = ("dealer_regular_min_visits", "dealer_regular_period_months", "dealer_lost_after_months")
SERVICE_PLAN_FIELDS = (
    "dealer_service_interval_km",
    "dealer_service_interval_months",
    "dealer_first_service_km",
    "dealer_first_service_months",
    "dealer_max_daily_km",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Segment thresholds (seed 001: prospect / active / regular / lost).
    dealer_regular_min_visits = fields.Integer(
        string="Regular Customer: Visits",
        default=2,
        help="A customer with at least this many visits in the regular period is a regular customer.",
    )
    dealer_regular_period_months = fields.Integer(string="Regular Customer: Period (months)", default=12)
    dealer_lost_after_months = fields.Integer(
        string="Lost Customer After (months)",
        default=12,
        help="A customer whose last visit is older than this is lost.",
    )
    # Service plan defaults, overridden per vehicle model and per vehicle.
    dealer_service_interval_km = fields.Integer(string="Service Every (km)", default=15000)
    dealer_service_interval_months = fields.Integer(string="Service Every (months)", default=12)
    dealer_first_service_km = fields.Integer(string="First Service After (km)", default=1500)
    dealer_first_service_months = fields.Integer(string="First Service After (months)", default=6)
    dealer_max_daily_km = fields.Integer(
        string="Plausible Daily Mileage (km)",
        default=600,
        help="Odometer readings implying more kilometres per day than this are ignored when the "
        "average daily mileage is estimated.",
    )

    _sql_constraints = [
        (
            "dealer_thresholds_positive",
            "CHECK(dealer_regular_min_visits >= 1 AND dealer_regular_period_months >= 1 "
            "AND dealer_lost_after_months >= 1)",
            "Segment thresholds must be at least 1.",
        ),
        (
            "dealer_service_plan_positive",
            "CHECK(dealer_service_interval_km >= 0 AND dealer_service_interval_months >= 0 "
            "AND dealer_first_service_km >= 0 AND dealer_first_service_months >= 0 AND dealer_max_daily_km > 0)",
            "Service plan values cannot be negative.",
        ),
    ]

    def write(self, vals):
        changed_segments = self._dealer_changing(vals, SEGMENT_FIELDS)
        changed_plans = self._dealer_changing(vals, SERVICE_PLAN_FIELDS)
        res = super().write(vals)
        for company in changed_segments:
            self.env["res.partner"]._dealer_update_segments(company=company)
        if changed_plans:
            vehicles = (
                self.env["fleet.vehicle"]
                .with_context(active_test=False)
                .search([("company_id", "in", changed_plans.ids + [False])])
            )
            vehicles._dealer_recompute_service_plan()
        return res

    def _dealer_changing(self, vals, fnames):
        """The companies of ``self`` for which ``vals`` changes one of ``fnames``."""
        relevant = [name for name in fnames if name in vals]
        return self.filtered(lambda company: any(company[name] != vals[name] for name in relevant))
