# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError


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
    validity_days = fields.Integer(
        string="Voucher Valid (days)",
        default=90,
        help="How long the voucher of a service or voucher reward is valid.",
    )
    stock = fields.Integer(
        string="In Stock", help="How many are left to give; empty for no limit. Each redemption takes one."
    )
    limited_stock = fields.Boolean()
    level_ids = fields.Many2many(
        "dealer.membership.level", string="Only for Levels", help="Empty: every member may redeem it."
    )

    _sql_constraints = [
        ("points_cost_positive", "CHECK(points_cost > 0)", "A reward costs at least one point."),
        (
            "stock_positive",
            "CHECK(stock IS NULL OR stock >= 0)",
            "The stock of a reward cannot go below zero.",
        ),
    ]

    def _dealer_check_redeemable_by(self, card):
        """Refuse, in the desk's words, a reward the card cannot have now."""
        self.ensure_one()
        if not self.active:
            raise UserError(_("The reward %(reward)s is no longer offered.", reward=self.name))
        if self.level_ids and card.level_id not in self.level_ids:
            raise UserError(
                _(
                    "%(reward)s is for %(levels)s members only.",
                    reward=self.name,
                    levels=", ".join(self.level_ids.mapped("name")),
                )
            )

    def _dealer_take_one(self):
        """Take one from the stock; two desks at the same moment cannot take the last one twice."""
        self.ensure_one()
        if not self.limited_stock:
            return
        self.env.cr.execute(
            "UPDATE dealer_membership_reward SET stock = stock - 1 WHERE id = %s AND stock > 0", [self.id]
        )
        self.invalidate_recordset(["stock"])
        if not self.env.cr.rowcount:
            raise UserError(_("%(reward)s is out of stock.", reward=self.name))
