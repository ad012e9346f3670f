# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models

# The customer form warns of the points that expire within this many days.
EXPIRY_WARNING_DAYS = 90
MEMBERSHIP_USER = "dealer_membership.dealer_membership_group_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    dealer_card_id = fields.Many2one(
        "dealer.membership.card",
        string="Membership Card",
        compute="_compute_dealer_card",
        groups=MEMBERSHIP_USER,
    )
    dealer_card_level_id = fields.Many2one(
        "dealer.membership.level",
        string="Membership Level",
        compute="_compute_dealer_card",
        groups=MEMBERSHIP_USER,
    )
    dealer_reward_points = fields.Integer(
        string="Reward Points", compute="_compute_dealer_card", groups=MEMBERSHIP_USER
    )
    dealer_qualifying_points = fields.Integer(
        string="Qualifying Points", compute="_compute_dealer_card", groups=MEMBERSHIP_USER
    )
    dealer_points_expiring = fields.Integer(
        string="Expiring in 90 Days",
        compute="_compute_dealer_card",
        groups=MEMBERSHIP_USER,
        help="Reward points that expire within the next 90 days unless redeemed.",
    )

    dealer_open_voucher_count = fields.Integer(
        string="Open Vouchers", compute="_compute_dealer_card", groups=MEMBERSHIP_USER
    )

    def _compute_dealer_card(self):
        cards = self.env["dealer.membership.card"].search(
            [("partner_id", "in", self.ids), ("state", "=", "active")]
        )
        by_partner = {card.partner_id.id: card for card in cards}
        expiring = {}
        if cards:
            horizon = fields.Date.context_today(self) + relativedelta(days=EXPIRY_WARNING_DAYS)
            expiring = self.env["dealer.points.move"]._dealer_expiring_points(horizon, cards)
        open_vouchers = dict(
            self.env["dealer.membership.voucher"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "issued")], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.dealer_open_voucher_count = open_vouchers.get(partner, 0)
            card = by_partner.get(partner.id, cards.browse())
            partner.dealer_card_id = card
            partner.dealer_card_level_id = card.level_id
            partner.dealer_reward_points = card.reward_balance
            partner.dealer_qualifying_points = card.qualifying_balance
            partner.dealer_points_expiring = expiring.get(card.id, 0)

    def action_dealer_open_card(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_membership.dealer_membership_card_action"
        )
        if self.dealer_card_id:
            action.update(res_id=self.dealer_card_id.id, view_mode="form", views=[(False, "form")])
        else:
            action.update(
                domain=[("partner_id", "=", self.id)],
                context={"default_partner_id": self.id},
            )
        return action

    def action_dealer_open_vouchers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_membership.dealer_membership_voucher_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        return action
