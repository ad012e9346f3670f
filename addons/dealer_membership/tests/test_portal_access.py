# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common_portal import PortalMembersMixin


@tagged("post_install", "-at_install")
class TestPortalAccess(PortalMembersMixin, TransactionCase):
    """What a portal customer may read and change of the membership: their own, read only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_members()

    def test_portal_customer_finds_only_their_own_card_moves_and_vouchers(self):
        env_b = self.env(user=self.user_b)
        self.assertEqual(env_b["dealer.membership.card"].search([]), self.card_b.with_env(env_b))
        self.assertEqual(env_b["dealer.points.move"].search([]).card_id, self.card_b)
        self.assertEqual(env_b["dealer.membership.voucher"].search([]).mapped("code"), [self.voucher_b.code])
        # Searching for the other customer's records by their values finds nothing either.
        self.assertFalse(env_b["dealer.membership.card"].search([("name", "=", self.card_a.name)]))
        self.assertFalse(env_b["dealer.membership.voucher"].search([("code", "=", self.voucher_a.code)]))
        self.assertFalse(env_b["dealer.points.move"].search([("partner_id", "=", self.user_a.partner_id.id)]))

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_portal_customer_cannot_read_another_customers_card_moves_or_vouchers(self):
        env_b = self.env(user=self.user_b)
        for record in (self.card_a, self.card_a.move_ids[:1], self.voucher_a):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_env(env_b).read(["display_name"])
        # Their own, they read: the figures the portal page shows.
        card = self.card_b.with_env(env_b)
        self.assertEqual(
            card.read(["reward_balance", "qualifying_balance", "level_id"])[0]["reward_balance"], 1200
        )
        self.assertEqual(card.level_id.name, self.level.name)

    def test_portal_customer_cannot_write_any_balance(self):
        card = self.card_b.with_user(self.user_b)
        for values in (
            {"reward_balance": 99999},
            {"qualifying_balance": 99999},
            {"points_debt": 0},
            {"level_id": self.env.ref("dealer_membership.dealer_membership_level_platinum").id},
            {"expiry_date": self.today + relativedelta(years=10)},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                card.write(values)
        with self.assertRaises(AccessError):
            self.card_a.with_user(self.user_b).write({"reward_balance": 0})
        with self.assertRaises(AccessError):
            self.env["dealer.points.move"].with_user(self.user_b).create(
                {
                    "card_id": self.card_b.id,
                    "company_id": self.card_b.company_id.id,
                    "ledger": "reward",
                    "points": 5000,
                    "origin": "adjustment",
                }
            )
        with self.assertRaises(AccessError):
            self.voucher_b.with_user(self.user_b).write({"state": "issued", "points": 1})
        with self.assertRaises(AccessError):
            self.env["dealer.membership.card"].with_user(self.user_b).create(
                {"partner_id": self.user_b.partner_id.id, "level_id": self.level.id}
            )
        with self.assertRaises(AccessError):
            self.env["dealer.points.adjust"].with_user(self.user_b).create({})
        self.card_b.invalidate_recordset()
        self.assertEqual((self.card_b.reward_balance, self.card_b.qualifying_balance), (1200, 900))

    def test_portal_customer_cannot_use_a_voucher_through_the_desk_scanner(self):
        """The scanner's public method: a customer's own voucher stays issued, another's is not found."""
        Voucher = self.env["dealer.membership.voucher"].with_user(self.user_b)
        self.assertEqual(Voucher.dealer_scan(self.voucher_b.code)["type"], "warning")
        self.assertIn(self.voucher_a.code, Voucher.dealer_scan(self.voucher_a.code)["message"])
        self.assertEqual((self.voucher_a.state, self.voucher_b.state), ("issued", "issued"))

    def test_company_contact_sees_the_company_card_not_a_colleagues(self):
        company = self.env["res.partner"].create({"name": "Fleet Customer Ltd", "is_company": True})
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": company.id})
        user = new_test_user(
            self.env,
            "portal_fleet",
            groups="base.group_portal",
            name="Fleet Manager",
            email="fleet@example.com",
            parent_id=company.id,
        )
        company_card = self._issue_card(company, "PORTALC01")
        own_card = self._issue_card(user.partner_id, "PORTALC02")
        self._issue_card(colleague, "PORTALC03")
        self.assertEqual(
            self.env["dealer.membership.card"].with_user(user).search([]), company_card | own_card
        )

    def test_next_expiry_follows_the_consumption_rule(self):
        """Spending takes the first points to expire first; the next expiry is what is left of them."""
        card = self._issue_card(self.env["res.partner"].create({"name": "Expiry Member"}), "PORTALE01")
        Move = self.env["dealer.points.move"]
        self.assertFalse(Move._dealer_next_expiry(card, self.today))
        first, second = self.today + relativedelta(days=10), self.today + relativedelta(days=200)
        Move._dealer_insert_moves(
            [
                {
                    "card_id": card.id,
                    "ledger": "reward",
                    "points": 100,
                    "origin": "adjustment",
                    "expiry_date": first,
                },
                {
                    "card_id": card.id,
                    "ledger": "reward",
                    "points": 200,
                    "origin": "adjustment",
                    "expiry_date": second,
                },
                {"card_id": card.id, "ledger": "reward", "points": 50, "origin": "adjustment"},
            ]
        )
        self.assertEqual(Move._dealer_next_expiry(card, self.today), {card.id: (first, 100)})
        card._dealer_redeem(150, "Test")
        self.assertEqual(Move._dealer_next_expiry(card, self.today), {card.id: (second, 150)})
        # Seen from a day after the earning's date (the nightly job has not run yet): it expires today.
        later = second + relativedelta(days=3)
        self.assertEqual(Move._dealer_next_expiry(card, later), {card.id: (later, 150)})
        card._dealer_redeem(180, "Test")
        self.assertFalse(Move._dealer_next_expiry(card, self.today), "the 20 points left never expire")
