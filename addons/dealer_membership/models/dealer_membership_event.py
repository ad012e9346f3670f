# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

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

    def write(self, vals):
        if vals:
            raise UserError(_("The card history cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("The card history cannot be deleted."))
