# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

# What a redemption produced: set by redeeming alone, so a finished wizard cannot be run again.
REDEMPTION_RESULT = frozenset({"state", "voucher_id"})


class DealerMembershipRedeem(models.TransientModel):
    _name = "dealer.membership.redeem"
    _inherit = ["dealer.membership.card.wizard"]
    _description = "Redeem a Reward"

    reward_balance = fields.Integer(related="card_id.reward_balance")
    card_level_id = fields.Many2one(related="card_id.level_id")
    reward_id = fields.Many2one(
        "dealer.membership.reward",
        required=True,
        domain="[('points_cost', '<=', reward_balance), '|', ('level_ids', '=', False), ('level_ids', 'in', card_level_id),"
        " '|', ('limited_stock', '=', False), ('stock', '>', 0)]",
    )
    points = fields.Integer(related="reward_id.points_cost")
    state = fields.Selection([("choose", "Choose"), ("done", "Done")], default="choose")
    voucher_id = fields.Many2one("dealer.membership.voucher", readonly=True)
    voucher_code = fields.Char(related="voucher_id.code")
    voucher_valid_until = fields.Date(related="voucher_id.valid_until")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("state", "choose") != "choose" or vals.get("voucher_id") for vals in vals_list
        ):
            raise AccessError(_("A redemption is done and its voucher issued only by redeeming the reward."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._dealer_check_not_done()
            if REDEMPTION_RESULT & set(vals):
                raise AccessError(
                    _("A redemption is done and its voucher issued only by redeeming the reward.")
                )
        return super().write(vals)

    def _dealer_check_not_done(self):
        if any(wizard.state == "done" for wizard in self):
            raise UserError(
                _("This reward is already redeemed: to redeem another one, start again from the card.")
            )

    def action_redeem(self):
        """Take the points, and for a service or voucher reward issue the voucher and send it to the member."""
        self.ensure_one()
        self._dealer_check_not_done()
        reward, card = self.reward_id, self.card_id
        reward._dealer_check_redeemable_by(card)
        reward._dealer_take_one()
        reason = reward.name
        voucher = self.env["dealer.membership.voucher"]
        if reward.reward_type in ("voucher", "service"):
            voucher = voucher._dealer_issue(card, reward)
            reason = _("%(reward)s – voucher %(code)s", reward=reason, code=voucher.code)
        card._dealer_redeem(self.points, reason)
        # Desk staff often have no e-mail address, and a chatter note needs an author who has one.
        author = self.env["res.partner"]._dealer_note_author()
        card.message_post(
            body=_("Redeemed %(points)s points: %(reason)s", points=self.points, reason=reason),
            author_id=author.id,
            subtype_xmlid="mail.mt_note",
        )
        if voucher:
            voucher._dealer_send()
        # sudo: the result is written by redeeming alone (see write()).
        self.sudo().write({"state": "done", "voucher_id": voucher.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": _("Reward Redeemed"),
        }

    def action_close(self):
        return {"type": "ir.actions.act_window_close"}

    def action_print_voucher(self):
        self.ensure_one()
        return self.env.ref("dealer_membership.action_report_dealer_membership_voucher").report_action(
            self.voucher_id, config=False
        )
