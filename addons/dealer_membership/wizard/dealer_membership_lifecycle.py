# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.dealer_membership_card import CARD_TYPES

# The steps only membership managers take: a level is worth as much as points.
MANAGER_ACTIONS = frozenset({"change_level"})


class DealerMembershipLifecycle(models.TransientModel):
    """One guided step of a card's life, always with a reason; the card refuses impossible ones."""

    _name = "dealer.membership.lifecycle"
    _inherit = ["dealer.membership.card.wizard"]
    _description = "Membership Card Lifecycle Step"

    partner_id = fields.Many2one(related="card_id.partner_id")
    action = fields.Selection(selection="_selection_action", required=True)
    reason = fields.Char(required=True)
    level_id = fields.Many2one("dealer.membership.level", string="New Level")
    level_until = fields.Date(
        string="Keep It Until", help="Empty: the level stays until someone changes it again."
    )
    card_type = fields.Selection(CARD_TYPES, string="New Type")
    target_card_id = fields.Many2one(
        "dealer.membership.card",
        string="Merge Into",
        domain="[('partner_id', '=', partner_id), ('id', '!=', card_id), ('state', '=', 'active')]",
    )

    @api.model
    def _selection_action(self):
        """The steps offered to the user: setting the level by hand is left out for desk staff."""
        actions = [
            ("renew", _("Renew")),
            ("change_level", _("Upgrade or downgrade")),
            ("suspend", _("Suspend")),
            ("reactivate", _("Reactivate")),
            ("swap", _("Swap card type")),
            ("replace", _("Replace a lost or damaged card")),
            ("merge", _("Merge into another card")),
            ("undo_merge", _("Undo a merge")),
            ("leave", _("Leave the programme")),
        ]
        if self.env.user.has_group("dealer_membership.dealer_membership_group_manager"):
            return actions
        return [(action, label) for action, label in actions if action not in MANAGER_ACTIONS]

    def action_apply(self):
        self.ensure_one()
        card = self.card_id
        if self.action == "change_level":
            if not self.level_id:
                raise UserError(_("Choose the new level."))
            card._dealer_change_level(self.level_id, self.reason, until=self.level_until)
        elif self.action == "swap":
            if not self.card_type:
                raise UserError(_("Choose the new card type."))
            card._dealer_swap_type(self.card_type, self.reason)
        elif self.action == "merge":
            if not self.target_card_id:
                raise UserError(_("Choose the card to merge into."))
            card._dealer_merge_into(self.target_card_id, self.reason)
        elif self.action == "replace":
            new_card = card._dealer_replace(self.reason)
            return {
                "type": "ir.actions.act_window",
                "res_model": "dealer.membership.card",
                "res_id": new_card.id,
                "view_mode": "form",
                "target": "current",
            }
        else:
            method = {
                "renew": card._dealer_renew,
                "suspend": card._dealer_suspend,
                "reactivate": card._dealer_reactivate,
                "undo_merge": card._dealer_undo_merge,
                "leave": card._dealer_leave,
            }.get(self.action)
            if not method:
                # The offered steps depend on the user (see _selection_action), so the ORM does not check them.
                raise UserError(_("Choose what to do with the card."))
            method(self.reason)
        return {"type": "ir.actions.act_window_close"}
