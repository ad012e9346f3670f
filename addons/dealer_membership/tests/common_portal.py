# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import new_test_user


class PortalMembersMixin:
    """Two customers with a portal account each, their cards, points and vouchers.

    A: card PORTALA01, 1,500 reward points earned (expiring in 30 days) and
    900 qualifying points; 600 reward points redeemed for two vouchers,
    PORTALV001 still usable and PORTALU001 used: 900 reward points left.
    B: card PORTALB01, the same points, one voucher PORTALV002: 1,200 left.
    """

    @classmethod
    def _setup_portal_members(cls):
        env = cls.env
        cls.today = fields.Date.context_today(env.user)
        cls.level = env.ref("dealer_membership.dealer_membership_level_gold")
        cls.reward = env.ref("dealer_membership.dealer_membership_reward_wash")
        cls.user_a = new_test_user(
            env, "portal_a", groups="base.group_portal", name="Portal Member A", email="a@example.com"
        )
        cls.user_b = new_test_user(
            env, "portal_b", groups="base.group_portal", name="Portal Member B", email="b@example.com"
        )
        cls.card_a = cls._issue_card(cls.user_a.partner_id, "PORTALA01")
        cls.card_b = cls._issue_card(cls.user_b.partner_id, "PORTALB01")
        env["dealer.points.move"]._dealer_insert_moves(
            [
                {
                    "card_id": card.id,
                    "ledger": ledger,
                    "points": points,
                    "origin": "adjustment",
                    "reason": "Portal test",
                    "expiry_date": cls.today + relativedelta(days=30) if ledger == "reward" else False,
                }
                for card in (cls.card_a, cls.card_b)
                for ledger, points in (("reward", 1500), ("qualifying", 900))
            ]
        )
        cls.voucher_a = cls._issue_voucher(cls.card_a, "PORTALV001")
        cls.used_voucher_a = cls._issue_voucher(cls.card_a, "PORTALU001")
        cls.used_voucher_a.action_use()
        cls.voucher_b = cls._issue_voucher(cls.card_b, "PORTALV002")

    @classmethod
    def _issue_card(cls, partner, number):
        card = cls.env["dealer.membership.card"].create(
            {"name": number, "partner_id": partner.id, "level_id": cls.level.id}
        )
        card.action_activate()
        return card

    @classmethod
    def _issue_voucher(cls, card, code):
        """A voucher with a known code, for its points, as a redemption issues it."""
        card._dealer_redeem(cls.reward.points_cost, f"{cls.reward.name} – voucher {code}")
        return cls.env["dealer.membership.voucher"].create(
            {
                "code": code,
                "card_id": card.id,
                "reward_id": cls.reward.id,
                "description": cls.reward.name,
                "points": cls.reward.points_cost,
                "valid_until": cls.today + relativedelta(days=cls.reward.validity_days),
            }
        )
