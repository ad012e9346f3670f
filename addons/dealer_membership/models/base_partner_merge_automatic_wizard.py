# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Merged customers keep one active card per company: the others are merged into it.

        Odoo moves the merged contacts' records to the kept one in SQL; two
        active cards would meet the one-active-card index there, and Odoo would
        then try to delete the cards. Each extra active card is suspended
        first, then merged (undoably) into the kept customer's card once it
        belongs to the same customer, so its points and history are kept.
        Points a merged customer kept on leaving go to the active card.
        """
        # sudo: merging contacts moves all their records whatever the user's rights; the cards must
        # follow through their own actions, which membership rights would otherwise guard.
        cards = (
            self.env["dealer.membership.card"]
            .sudo()
            .search([("partner_id", "in", (src_partners | dst_partner).ids), ("state", "=", "active")])
            .sorted(lambda card: (card.partner_id != dst_partner, card.id))
        )
        kept = {}
        extra = cards.browse()
        for card in cards:
            if kept.setdefault(card.company_id, card) != card:
                extra |= card
        reasons = {
            card: _(
                "Customer %(customer)s merged into %(kept)s",
                customer=card.partner_id.display_name,
                kept=dst_partner.display_name,
            )
            for card in extra
        }
        for card in extra:
            card._dealer_suspend(reasons[card])
        result = super()._update_foreign_keys(src_partners, dst_partner)
        for card in extra:
            card._dealer_merge_into(kept[card.company_id], reasons[card])
        # Points kept on leaving come back on rejoining, which a customer with an active card never
        # does: they go to the active card now, as they would have.
        left = cards._dealer_left_with_points(dst_partner)
        for card in left.filtered(lambda card: card.company_id in kept):
            card._dealer_transfer_points(
                kept[card.company_id],
                _("Points kept on leaving card %(card)s, to the card of the merged customer", card=card.name),
            )
        return result
