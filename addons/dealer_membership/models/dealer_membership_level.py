# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

# The card's colour, printed and on the customer's page, by its level's colour index:
# Silver grey, Gold gold, Platinum dark blue.
CARD_COLOURS = {1: "#c0392b", 2: "#e67e22", 3: "#b7950b", 4: "#2c3e50", 8: "#7f8c8d"}
DEFAULT_CARD_COLOUR = "#34495e"


class DealerMembershipLevel(models.Model):
    _name = "dealer.membership.level"
    _description = "Membership Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    qualifying_points_threshold = fields.Integer(
        help="Qualifying points earned over the rolling period needed to reach this level.",
    )
    validity_months = fields.Integer(default=12, help="How long a card of this level stays valid.")
    reward_points_multiplier = fields.Float(default=1.0, digits=(16, 2))
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, required=True
    )
    fee = fields.Monetary(
        string="Membership Fee", help="Charged when a member joins or renews at this level."
    )
    discount_labour = fields.Float(string="Labour Discount (%)", digits=(16, 2))
    discount_parts = fields.Float(string="Parts Discount (%)", digits=(16, 2))
    benefits = fields.Html(translate=True)

    _sql_constraints = [
        (
            "discounts_valid",
            "CHECK(discount_labour BETWEEN 0 AND 100 AND discount_parts BETWEEN 0 AND 100 AND fee >= 0)",
            "Discounts are between 0 and 100 %, and the fee cannot be negative.",
        ),
        (
            "threshold_positive",
            "CHECK(qualifying_points_threshold >= 0)",
            "The qualifying-points threshold cannot be negative.",
        ),
        ("validity_positive", "CHECK(validity_months > 0)", "A level must be valid for at least one month."),
        (
            "multiplier_positive",
            "CHECK(reward_points_multiplier >= 0)",
            "The points multiplier cannot be negative.",
        ),
    ]

    def _dealer_card_colour(self):
        """The background colour of a card of this level (HTML hex)."""
        return CARD_COLOURS.get(self.color, DEFAULT_CARD_COLOUR) if self else DEFAULT_CARD_COLOUR
