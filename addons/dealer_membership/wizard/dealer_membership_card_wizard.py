# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DealerMembershipCardWizard(models.AbstractModel):
    """A wizard opened from a membership card, about that card."""

    _name = "dealer.membership.card.wizard"
    _description = "Membership Card Wizard"

    card_id = fields.Many2one("dealer.membership.card", required=True, readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "dealer.membership.card":
            values.setdefault("card_id", self.env.context.get("active_id"))
        return values
