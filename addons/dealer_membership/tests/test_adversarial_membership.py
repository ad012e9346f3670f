# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import xmlrpc.client
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .test_lifecycle import RedeemCase


@tagged("post_install", "-at_install")
class TestMembershipAdversary(RedeemCase):
    """What a plain Membership user (or a Loyalty-only one) gets by calling the API directly, as XML-RPC does."""

    def setUp(self):
        super().setUp()
        self.desk = new_test_user(
            self.env, login="adv.desk", groups="dealer_membership.dealer_membership_group_user"
        )
        self.manager = new_test_user(
            self.env, login="adv.manager", groups="dealer_membership.dealer_membership_group_manager"
        )
        self.loyalty_user = new_test_user(
            self.env, login="adv.loyalty", groups="dealer_loyalty.dealer_loyalty_group_user"
        )

    def step_as(self, user, action, card=None, **values):
        wizard = (
            self.env["dealer.membership.lifecycle"]
            .with_user(user)
            .create(
                {"card_id": (card or self.card).id, "action": action, "reason": f"Test {action}", **values}
            )
        )
        return wizard.action_apply()

    def card_validity(self):
        self.card.invalidate_recordset()
        return self.card.read(["join_date", "expiry_date", "card_type"])[0]

    # ------------------------------------------------------------
    # VALIDITY AND HISTORY
    # ------------------------------------------------------------

    def test_card_validity_and_type_change_only_through_the_actions(self):
        before = self.card_validity()
        for user in (self.desk, self.manager):
            card = self.card.with_user(user)
            for vals in (
                {"expiry_date": date(2099, 12, 31)},
                {"join_date": date(1990, 1, 1)},
                {"card_type": "key_tag"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaisesRegex(AccessError, "card's actions"),
                ):
                    card.write(vals)
        self.assertEqual(self.card_validity(), before)
        with self.assertRaisesRegex(AccessError, "card's actions"):
            self.env["dealer.membership.card"].with_user(self.desk).create(
                {"partner_id": self.customer.id, "level_id": self.silver.id, "expiry_date": date(2099, 1, 1)}
            )
        # The actions still change them, for the same user.
        self.step_as(self.desk, "renew")
        self.step_as(self.desk, "swap", card_type="key_tag")
        after = self.card_validity()
        self.assertGreater(after["expiry_date"], before["expiry_date"])
        self.assertEqual(after["card_type"], "key_tag")
        self.assertEqual(self.events()[:2], ["swap", "renew"])
        # A card not issued yet takes the type the member chooses.
        draft = (
            self.env["dealer.membership.card"]
            .with_user(self.desk)
            .create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "New Member"}).id,
                    "level_id": self.silver.id,
                    "card_type": "virtual",
                }
            )
        )
        draft.write({"card_type": "key_tag"})
        self.assertEqual(draft.card_type, "key_tag")

    def test_card_history_is_written_only_by_the_actions(self):
        forged = {
            "card_id": self.card.id,
            "event_type": "upgrade",
            "old_level_id": self.silver.id,
            "new_level_id": self.gold.id,
            "reason": "Forged",
            "user_id": self.env.ref("base.user_admin").id,
            "date": "2020-01-01",
        }
        for user in (self.desk, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "card's actions"):
                self.env["dealer.membership.event"].with_user(user).create(forged)
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "card's actions"):
                self.card.with_user(user).write(
                    {"event_ids": [Command.create({"event_type": "leave", "reason": "Forged"})]}
                )
        self.assertEqual(self.events(), ["join"])
        # The actions write it, in the name of who acted, and the staff read it.
        self.step_as(self.desk, "suspend")
        self.card.invalidate_recordset(["event_ids"])
        history = self.card.with_user(self.desk).event_ids
        self.assertEqual(history.mapped("event_type"), ["suspend", "join"])
        self.assertEqual(history[0].user_id, self.desk)
        with self.assertRaises(UserError):
            history[0].write({"reason": "Rewritten"})

    # ------------------------------------------------------------
    # LEVEL SET BY HAND
    # ------------------------------------------------------------

    def test_only_managers_set_a_level_by_hand(self):
        with self.assertRaisesRegex(AccessError, "membership managers"):
            self.step_as(self.desk, "change_level", level_id=self.gold.id)
        self.assertEqual((self.card.level_id, self.card.level_manual), (self.silver, False))
        self.assertEqual(self.events(), ["join"])
        # The wizard does not offer it to them.
        Lifecycle = self.env["dealer.membership.lifecycle"]
        offered = {
            user: [
                value
                for value, _label in Lifecycle.with_user(user).fields_get(["action"])["action"]["selection"]
            ]
            for user in (self.desk, self.manager)
        }
        self.assertNotIn("change_level", offered[self.desk])
        self.assertIn("renew", offered[self.desk])
        self.assertIn("change_level", offered[self.manager])
        # A manager does, with the reason in the history.
        self.step_as(self.manager, "change_level", level_id=self.gold.id)
        self.assertEqual((self.card.level_id, self.card.level_manual), (self.gold, True))
        self.card.invalidate_recordset(["event_ids"])
        self.assertEqual(self.events()[0], "upgrade")

    def test_an_unknown_step_is_refused_in_words(self):
        with self.assertRaisesRegex(UserError, "Choose what to do"):
            self.step_as(self.desk, "hack")
        self.assertEqual(self.events(), ["join"])

    # ------------------------------------------------------------
    # THE LEDGER'S REFUSAL
    # ------------------------------------------------------------

    @mute_logger("odoo.sql_db")
    def test_loyalty_user_correcting_a_line_gets_the_plain_refusal(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 100.0)]
        )
        self.assertEqual(self.balances(), (400, 400))
        # Qualifying points taken down by a manager: a smaller line cannot take back its 90 points.
        self.Move._dealer_insert_moves(
            [{"card_id": self.card.id, "ledger": "qualifying", "points": -390, "origin": "adjustment"}]
        )
        line = visit.line_ids.with_user(self.loyalty_user)
        with self.assertRaisesRegex(UserError, "has 10 qualifying points") as refused:
            line.write({"amount": 10.0})
        self.assertNotIsInstance(refused.exception, AccessError)
        self.assertEqual(self.balances(), (400, 10))

    # ------------------------------------------------------------
    # REDEMPTION WIZARD
    # ------------------------------------------------------------

    def test_a_finished_redemption_cannot_be_run_again(self):
        reward = self.reward()
        dearer = self.reward(name="Oil change", points_cost=150)
        wizard = (
            self.env["dealer.membership.redeem"]
            .with_user(self.desk)
            .create({"card_id": self.card.id, "reward_id": reward.id})
        )
        wizard.action_redeem()
        self.assertEqual(self.card.reward_balance, 200)
        with self.assertRaisesRegex(UserError, "already redeemed"):
            wizard.action_redeem()
        for vals in ({"reward_id": dearer.id}, {"state": "choose"}, {"voucher_id": False}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                wizard.write(vals)
        with self.assertRaisesRegex(UserError, "already redeemed"):
            wizard.action_redeem()
        # Nor can a wizard be created already done, with another voucher.
        with self.assertRaises(UserError):
            self.env["dealer.membership.redeem"].with_user(self.desk).create(
                {"card_id": self.card.id, "reward_id": reward.id, "voucher_id": wizard.voucher_id.id}
            )
        self.assertEqual(self.card.reward_balance, 200)
        self.assertEqual(
            len(self.env["dealer.membership.voucher"].search([("card_id", "=", self.card.id)])), 1
        )

    # ------------------------------------------------------------
    # SCANNER AND RPC ANSWERS
    # ------------------------------------------------------------

    def test_the_scanner_matches_whole_numbers_only(self):
        Voucher = self.env["dealer.membership.voucher"].with_user(self.desk)
        for code in ("%", "MC%", "_" * len(self.card.name), self.card.name[:-1] + "_"):
            with self.subTest(code=code):
                result = Voucher.dealer_scan(code)
                self.assertEqual(result.get("type"), "warning")
                self.assertNotIn("action", result)
        # The whole number opens the card, however it is typed.
        self.assertEqual(Voucher.dealer_scan(f" {self.card.name.lower()} ")["action"]["res_id"], self.card.id)
        # A number sent as a number is read as text.
        result = Voucher.dealer_scan(12345)
        self.assertEqual(result["type"], "warning")
        self.assertIn("12345", result["message"])
        with self.assertRaisesRegex(UserError, "card or voucher number"):
            Voucher.dealer_scan({"code": "x"})

    def test_public_actions_answer_over_xmlrpc(self):
        card = (
            self.env["dealer.membership.card"]
            .with_user(self.desk)
            .create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "New Member"}).id,
                    "level_id": self.silver.id,
                }
            )
        )
        answer = card.action_activate()
        self.assertEqual(card.state, "active")
        # What the XML-RPC server does with the answer: None cannot be sent.
        xmlrpc.client.dumps((answer,), methodresponse=True)
        self.redeem(self.reward(), user=self.desk)
        voucher = self.env["dealer.membership.voucher"].search([("card_id", "=", self.card.id)])
        xmlrpc.client.dumps((voucher.with_user(self.desk).action_use(),), methodresponse=True)
