# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.dealer_points import LEDGERS


class DealerPointsAdjust(models.TransientModel):
    """A manager's correction of a card's points, with the reason, as a new move."""

    _name = "dealer.points.adjust"
    _inherit = ["dealer.membership.card.wizard"]
    _description = "Adjust Points"

    ledger = fields.Selection(LEDGERS, required=True, default="reward")
    points = fields.Integer(required=True, help="Positive to add, negative to take away.")
    reason = fields.Char(required=True)

    def action_adjust(self):
        self.ensure_one()
        if not self.env.user.has_group("dealer_membership.dealer_membership_group_manager"):
            raise AccessError(_("Only membership managers can adjust points."))
        if not self.points:
            raise UserError(_("Enter the number of points to add or take away."))
        if not (self.reason or "").strip():
            raise UserError(_("Say why the points are adjusted: the reason stays in the card's history."))
        if self.card_id.state not in ("active", "suspended", "expired"):
            raise UserError(
                _(
                    "Card %(card)s is %(state)s: only a card in use can have its points adjusted.",
                    card=self.card_id.name,
                    state=self.card_id._fields["state"]
                    .convert_to_export(self.card_id.state, self.card_id)
                    .lower(),
                )
            )
        self.env["dealer.points.move"]._dealer_insert_moves(
            [
                {
                    "card_id": self.card_id.id,
                    "ledger": self.ledger,
                    "points": self.points,
                    "origin": "adjustment",
                    "reason": self.reason,
                }
            ]
        )
        return {"type": "ir.actions.act_window_close"}
