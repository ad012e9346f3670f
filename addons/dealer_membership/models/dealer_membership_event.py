# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

EVENT_TYPES = [
    ("join", "Joined"),
    ("renew", "Renewed"),
    ("upgrade", "Upgraded"),
    ("downgrade", "Downgraded"),
    ("replace", "Replaced"),
    ("swap", "Card type swapped"),
    ("merge", "Merged"),
    ("suspend", "Suspended"),
    ("reactivate", "Reactivated"),
    ("leave", "Left"),
    ("expire", "Expired"),
]


class DealerMembershipEvent(models.Model):
    """One step in a card's life, kept as history: who did what, when and why."""

    _name = "dealer.membership.event"
    _description = "Membership Card Event"
    _order = "date desc, id desc"

    card_id = fields.Many2one("dealer.membership.card", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    event_type = fields.Selection(EVENT_TYPES, string="Event", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    old_level_id = fields.Many2one("dealer.membership.level", string="From Level")
    new_level_id = fields.Many2one("dealer.membership.level", string="To Level")
    reason = fields.Char()
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                _(
                    "The card history is written by the card's actions (activate, renew, swap, suspend, "
                    "replace, merge, leave), never by hand."
                )
            )
        return super().create(vals_list)

    @api.model
    def _dealer_record(self, vals_list):
        """Add steps to the card history: its only write path, for the card's actions and nightly jobs.

        The callers have checked what the step does (the card's actions write its
        protected values through ``_dealer_write_protected``); the history is
        written as superuser because create() refuses it to everyone else. The
        steps keep who acted (``user_id`` defaults to the real user).
        """
        # sudo: create() refuses the history to users, see above; sudo keeps the acting user.
        return self.sudo().create(vals_list).sudo(False)

    def write(self, vals):
        if vals:
            raise UserError(_("The card history cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("The card history cannot be deleted."))
