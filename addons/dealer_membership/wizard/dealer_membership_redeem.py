# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets

from odoo import _, fields, models
from odoo.exceptions import UserError


class DealerMembershipRedeem(models.TransientModel):
    _name = "dealer.membership.redeem"
    _inherit = ["dealer.membership.card.wizard"]
    _description = "Redeem a Reward"

    reward_balance = fields.Integer(related="card_id.reward_balance")
    reward_id = fields.Many2one(
        "dealer.membership.reward", required=True, domain="[('points_cost', '<=', reward_balance)]"
    )
    points = fields.Integer(related="reward_id.points_cost")
    voucher_code = fields.Char(readonly=True)

    def action_redeem(self):
        self.ensure_one()
        if not self.reward_id.active:
            raise UserError(_("The reward %(reward)s is no longer offered.", reward=self.reward_id.name))
        reason = self.reward_id.name
        if self.reward_id.reward_type == "voucher":
            self.voucher_code = secrets.token_hex(4).upper()
            reason = _("%(reward)s – voucher %(code)s", reward=reason, code=self.voucher_code)
        self.card_id._dealer_redeem(self.points, reason)
        # Desk staff often have no e-mail address, and a chatter note needs an author who has one.
        author = self.env.user.partner_id if self.env.user.email else self.env.ref("base.partner_root")
        self.card_id.message_post(
            body=_("Redeemed %(points)s points: %(reason)s", points=self.points, reason=reason),
            author_id=author.id,
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
