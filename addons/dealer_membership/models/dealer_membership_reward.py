# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DealerMembershipReward(models.Model):
    """What members can redeem their reward points for."""

    _name = "dealer.membership.reward"
    _description = "Membership Reward"
    _order = "points_cost, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    reward_type = fields.Selection(
        [("service", "Free service"), ("gift", "Gift"), ("voucher", "Voucher code")],
        required=True,
        default="gift",
    )
    points_cost = fields.Integer(string="Points", required=True)
    description = fields.Text()

    _sql_constraints = [
        ("points_cost_positive", "CHECK(points_cost > 0)", "A reward costs at least one point.")
    ]
