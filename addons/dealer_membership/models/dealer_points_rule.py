# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from odoo.addons.dealer_loyalty.models.dealer_visit_line import LINE_CATEGORIES, PAYER_TYPES

from .dealer_points import LEDGERS


class DealerPointsRule(models.Model):
    """How many points a currency unit earns, by payer and line category."""

    _name = "dealer.points.rule"
    _description = "Points Earning Rule"
    _order = "ledger, payer_type, category"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    ledger = fields.Selection(LEDGERS, required=True, default="reward")
    payer_type = fields.Selection(PAYER_TYPES, string="Paid By", required=True)
    category = fields.Selection(LINE_CATEGORIES, help="Leave empty for every category of the payer.")
    points_per_unit = fields.Float(
        string="Points per Currency Unit", required=True, digits=(16, 4), default=1.0
    )

    _sql_constraints = [
        ("points_positive", "CHECK(points_per_unit >= 0)", "A rule cannot take points away."),
        (
            "rule_unique",
            "UNIQUE NULLS NOT DISTINCT(company_id, ledger, payer_type, category)",
            "There is already a rule for this ledger, payer and category.",
        ),
    ]
