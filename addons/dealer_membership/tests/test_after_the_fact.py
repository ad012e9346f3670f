# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import tagged

from .test_lifecycle import LifecycleCase


@tagged("post_install", "-at_install")
class TestCustomersMergedAfterwards(LifecycleCase):
    """Customers merged with Odoo's own merge wizard after both had cards."""

    def _second_customer_with_card(self, points):
        twin = self.env["res.partner"].create({"name": "Twin record", "email": self.customer.email})
        card = self.env["dealer.membership.card"].create({"partner_id": twin.id, "level_id": self.silver.id})
        card.action_activate()
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": card.id,
                    "ledger": ledger,
                    "points": points,
                    "date": date(2026, 2, 1),
                    "expiry_date": date(2028, 2, 1) if ledger == "reward" else None,
                    "origin": "adjustment",
                    "reason": "Opening",
                }
                for ledger in ("reward", "qualifying")
            ]
        )
        return twin, card

    def _merge_partners(self, partners, dst):
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {"partner_ids": [(6, 0, partners.ids)], "dst_partner_id": dst.id}
        )
        wizard.action_merge()

    def test_merging_two_members_keeps_one_active_card_with_both_ledgers(self):
        twin, twin_card = self._second_customer_with_card(120)
        moves = (self.card | twin_card).move_ids
        self._merge_partners(self.customer | twin, self.customer)
        self.assertFalse(twin.exists())
        self.assertTrue(twin_card.exists(), "a card with points is never deleted")
        self.assertEqual(twin_card.partner_id, self.customer)
        self.assertTrue(moves.exists() == moves, "no ledger move is lost")
        active = self.env["dealer.membership.card"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "active")]
        )
        self.assertEqual(active, self.card, "the customer kept has one active card")
        self.assertEqual(twin_card.state, "closed")
        self.assertEqual(twin_card.merged_into_id, self.card)
        self.assertEqual(self.balances(), (420, 420), "both cards' points on the active card")
        self.assertEqual(self.customer.dealer_reward_points, 420)
        # Undoable like any merge of two cards.
        self.step("undo_merge", card=twin_card)
        self.assertEqual(self.balances(twin_card), (120, 120))
        self.assertEqual(twin_card.state, "suspended")
