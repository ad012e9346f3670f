# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_points import PointsCase


class LifecycleCase(PointsCase):
    """A card with 300 reward and qualifying points, and the lifecycle wizard at hand."""

    def setUp(self):
        super().setUp()
        self.today = fields.Date.context_today(self.card)
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": self.card.id,
                    "ledger": "reward",
                    "points": 300,
                    "date": date(2026, 1, 5),
                    "expiry_date": date(2028, 1, 5),
                    "origin": "adjustment",
                    "reason": "Opening",
                },
                {
                    "card_id": self.card.id,
                    "ledger": "qualifying",
                    "points": 300,
                    "date": date(2026, 1, 5),
                    "origin": "adjustment",
                    "reason": "Opening",
                },
            ]
        )

    def step(self, action, card=None, **values):
        card = card or self.card
        wizard = (
            self.env["dealer.membership.lifecycle"]
            .with_context(active_model="dealer.membership.card", active_id=card.id)
            .create({"action": action, "reason": f"Test {action}", **values})
        )
        return wizard.action_apply()

    def events(self, card=None):
        return (card or self.card).event_ids.mapped("event_type")


@tagged("post_install", "-at_install")
class TestLifecycle(LifecycleCase):
    def test_renew_extends_from_the_later_of_today_and_expiry(self):
        expiry = self.card.expiry_date
        self.step("renew")
        self.assertEqual(self.card.expiry_date, expiry + relativedelta(months=12))
        self.assertIn("renew", self.events())
        self.gold.fee = 49.0
        self.card.level_id = self.gold
        self.step("renew")
        renewals = self.card.event_ids.filtered(lambda event: event.event_type == "renew")
        self.assertTrue(
            any("fee" in (event.reason or "") for event in renewals), "Gold renewal records its fee"
        )
        self.card.state = "closed"
        with self.assertRaisesRegex(UserError, "closed: it cannot be renewed"):
            self.step("renew")

    def test_manual_upgrade_and_downgrade(self):
        self.step("change_level", level_id=self.gold.id)
        self.step("change_level", level_id=self.silver.id)
        self.assertEqual(self.card.level_id, self.silver)
        self.assertEqual(sorted(self.events()), ["downgrade", "join", "upgrade"])

    def test_goodwill_level_until_a_date_survives_the_nightly_evaluation(self):
        Card = self.env["dealer.membership.card"]
        until = self.today + relativedelta(days=30)
        self.step("change_level", level_id=self.gold.id, level_until=until)
        Card._cron_dealer_evaluate_levels(today=self.today)
        Card._cron_dealer_evaluate_levels(today=until)
        self.assertEqual(self.card.level_id, self.gold, "kept through its last day")
        Card._cron_dealer_evaluate_levels(today=until + relativedelta(days=1))
        self.assertEqual(self.card.level_id, self.silver, "then the points decide again")
        self.assertFalse(self.card.level_manual)
        subjects = (
            self.env["mail.mail"]
            .search([("model", "=", self.card._name), ("res_id", "=", self.card.id)])
            .mapped("subject")
        )
        self.assertIn("You are now Gold", subjects, "the customer is told of the upgrade by hand")
        self.assertIn("Your card is now Silver", subjects, "and of the downgrade")

    def test_level_set_by_hand_without_a_date_stays(self):
        self.step("change_level", level_id=self.gold.id)
        self.env["dealer.membership.card"]._cron_dealer_evaluate_levels(
            today=self.today + relativedelta(years=2)
        )
        self.assertEqual(self.card.level_id, self.gold)

    def test_suspend_blocks_redemption_until_reactivated(self):
        self.step("suspend")
        with self.assertRaisesRegex(UserError, "points can only be redeemed on an active card"):
            self.card._dealer_redeem(10, "Blocked")
        with self.assertRaises(UserError):
            self.step("suspend")
        self.step("reactivate")
        self.card._dealer_redeem(10, "Fine again")
        with self.assertRaises(UserError):
            self.step("reactivate")

    def test_swap_card_type(self):
        self.step("swap", card_type="virtual")
        self.assertEqual(self.card.card_type, "virtual")
        self.assertIn("swap", self.events())

    def test_replace_carries_points_and_history_and_blocks_the_old_card(self):
        self.card._dealer_redeem(100, "Gift")
        action = self.step("replace")
        new_card = self.env["dealer.membership.card"].browse(action["res_id"])
        self.assertNotEqual(new_card.name, self.card.name)
        self.assertEqual((self.card.state, self.card.replaced_by_id), ("replaced", new_card))
        self.assertEqual(self.balances(new_card), (200, 300))
        self.assertEqual(self.balances(), (0, 0))
        carried = new_card.move_ids.filtered(lambda move: move.ledger == "reward")
        self.assertEqual(carried.expiry_date, date(2028, 1, 5), "the earning keeps its expiry date")
        self.assertEqual(
            (new_card.state, new_card.level_id, new_card.expiry_date),
            ("active", self.card.level_id, self.card.expiry_date),
        )
        with self.assertRaisesRegex(UserError, "replaced: it cannot be replaced"):
            self.step("replace")
        with self.assertRaises(UserError):
            self.card._dealer_redeem(10, "Old card")

    def test_merge_and_undo(self):
        old_card = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id, "state": "expired"}
        )
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": old_card.id,
                    "ledger": "reward",
                    "points": 80,
                    "expiry_date": date(2027, 6, 1),
                    "origin": "adjustment",
                    "reason": "Old points",
                }
            ]
        )
        self.step("merge", card=old_card, target_card_id=self.card.id)
        self.assertEqual((old_card.state, old_card.merged_into_id), ("closed", self.card))
        self.assertEqual(self.balances(), (380, 300))
        self.assertEqual(self.balances(old_card), (0, 0))
        self.step("undo_merge", card=old_card)
        self.assertEqual(self.balances(), (300, 300))
        self.assertEqual(self.balances(old_card), (80, 0))
        self.assertNotEqual(old_card.state, "closed")
        with self.assertRaises(UserError):
            self.step("undo_merge", card=old_card)
        other = self.env["res.partner"].create({"name": "Someone Else"})
        foreign = self.env["dealer.membership.card"].create(
            {"partner_id": other.id, "level_id": self.silver.id}
        )
        with self.assertRaisesRegex(UserError, "same customer"):
            old_card._dealer_merge_into(foreign, "Wrong")

    def test_undo_merge_gives_back_only_what_is_left_of_the_merged_points(self):
        old_card = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id, "state": "expired"}
        )
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": old_card.id,
                    "ledger": "reward",
                    "points": 80,
                    "date": date(2025, 1, 1),
                    "expiry_date": date(2026, 2, 1),  # expires before the opening 300
                    "origin": "adjustment",
                    "reason": "Old points",
                }
            ]
        )
        self.step("merge", card=old_card, target_card_id=self.card.id)
        self.assertEqual(self.balances(), (380, 300))
        # The merged 80 expire on the card they went to (its oldest), then the merge is undone.
        self.Move._cron_dealer_expire_points(today=date(2026, 2, 2), cards=self.card)
        self.assertEqual(self.balances(), (300, 300))
        self.step("undo_merge", card=old_card)
        self.assertEqual(self.balances(old_card), (0, 0), "expired points do not come back")
        self.assertEqual(self.balances(), (300, 300), "the card keeps its own points")
        self.assertLedgerMatchesBalances()

    def test_a_transfer_keeps_each_earning_and_its_expiry_after_a_take_back(self):
        # A later visit line was credited then taken back (a cancelled visit): the
        # take-back cancels that earning, it does not eat the oldest one.
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": self.card.id,
                    "ledger": "reward",
                    "points": 50,
                    "date": date(2026, 3, 1),
                    "expiry_date": date(2029, 3, 1),
                    "origin": "adjustment",
                    "reason": "Later points",
                }
            ]
        )
        self.card._dealer_redeem(100, "Gift")  # spends the oldest first: 200 of the 300 are left
        action = self.step("replace")
        new_card = self.env["dealer.membership.card"].browse(action["res_id"])
        carried = {
            move.expiry_date: move.points
            for move in new_card.move_ids.filtered(lambda move: move.ledger == "reward")
        }
        self.assertEqual(carried, {date(2028, 1, 5): 200, date(2029, 3, 1): 50})
        self.assertLedgerMatchesBalances()

    def test_merge_and_undo_twice_in_another_language(self):
        old_card = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id, "state": "expired"}
        )
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": old_card.id,
                    "ledger": "reward",
                    "points": 80,
                    "origin": "adjustment",
                    "reason": "Old",
                }
            ]
        )
        self.env["res.lang"]._activate_lang("et_EE")
        for lang in ("en_US", "et_EE"):
            with self.subTest(lang=lang):
                self.env = self.env(context=dict(self.env.context, lang=lang))
                self.step("merge", card=old_card, target_card_id=self.card.id)
                self.assertEqual(self.balances(), (380, 300))
                self.step("undo_merge", card=old_card)
                self.assertEqual(self.balances(), (300, 300))
                self.assertEqual(self.balances(old_card), (80, 0))
        self.assertLedgerMatchesBalances()

    def test_leave_forfeits_or_keeps_points_by_policy(self):
        self.company.dealer_leave_policy = "keep"
        self.step("leave")
        self.assertEqual((self.card.state, self.balances()[0]), ("closed", 300))
        second = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id}
        )
        second.action_activate()
        self.assertEqual(self.balances(second)[0], 300, "rejoining gives the kept points back")
        self.assertEqual(self.balances()[0], 0)
        self.Move._dealer_insert_moves(
            [{"card_id": second.id, "ledger": "reward", "points": 50, "origin": "adjustment"}]
        )
        self.company.dealer_leave_policy = "forfeit"
        self.step("leave", card=second)
        self.assertEqual(self.balances(second)[0], 0)
        with self.assertRaises(UserError):
            self.step("leave", card=second)

    def test_one_active_card_per_customer(self):
        second = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id}
        )
        with self.assertRaisesRegex(UserError, "already has the active card"):
            second.action_activate()
        self.assertEqual(second.state, "draft")
        # The database still has the last word when two desks activate at the same moment.
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            second.sudo().write({"state": "active"})
            second.flush_recordset()

    def test_nightly_expiry_of_cards(self):
        Card = self.env["dealer.membership.card"]
        Card._cron_dealer_expire_cards(today=self.card.expiry_date)
        self.assertEqual(self.card.state, "active", "valid through its expiry date")
        Card._cron_dealer_expire_cards(today=self.card.expiry_date + relativedelta(days=1))
        self.assertEqual(self.card.state, "expired")
        self.assertIn("expire", self.events())
        self.step("renew")
        self.assertEqual(self.card.state, "active")

    def test_suspended_cards_expire_too(self):
        self.step("suspend")
        self.env["dealer.membership.card"]._cron_dealer_expire_cards(
            today=self.card.expiry_date + relativedelta(days=1)
        )
        self.assertEqual(self.card.state, "expired")

    def test_jobs_speak_the_company_language_without_warnings(self):
        """A scheduled job has no user language: its texts take the company's, with no warning per card."""
        job_env = self.env(context={"lang": None})
        with self.assertNoLogs("odoo.tools.translate", "WARNING"):
            job_env["dealer.points.move"]._cron_dealer_expire_points(today=date(2028, 2, 1))
            job_env["dealer.membership.card"]._cron_dealer_expire_cards(
                today=self.card.expiry_date + relativedelta(days=1)
            )
        self.assertEqual(self.card.reward_balance, 0)
        self.assertEqual(
            self.card.event_ids.filtered(lambda e: e.event_type == "expire").reason, "Validity ended."
        )


@tagged("post_install", "-at_install")
class TestMembershipMessages(PointsCase):
    def test_welcome_and_upgrade_mails_are_queued(self):
        card = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id}
        )
        self.card.state = "closed"
        self.card.flush_recordset(["state"])
        card.action_activate()
        mails = self.env["mail.mail"].search([("model", "=", card._name), ("res_id", "=", card.id)])
        self.assertEqual(len(mails), 1)
        self.assertIn(card.name, mails.body_html)
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": card.id,
                    "ledger": "qualifying",
                    "points": 6000,
                    "origin": "adjustment",
                    "reason": "Test",
                }
            ]
        )
        self.env["dealer.membership.card"]._cron_dealer_evaluate_levels()
        mails = self.env["mail.mail"].search([("model", "=", card._name), ("res_id", "=", card.id)])
        self.assertEqual(len(mails), 2)
        self.assertIn("Gold", mails.mapped("subject")[0] + mails.mapped("subject")[1])

    def test_renewal_and_expiring_points_reminders_run_on_the_engine(self):
        renewal = self.env.ref("dealer_membership.dealer_loyalty_program_membership_renewal")
        expiring = self.env.ref("dealer_membership.dealer_loyalty_program_points_expiring")
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": self.card.id,
                    "ledger": "reward",
                    "points": 100,
                    "origin": "adjustment",
                    "expiry_date": self.card.expiry_date,
                    "reason": "Test",
                }
            ]
        )
        today = self.card.expiry_date - relativedelta(days=10)
        renewal._dealer_generate_reminders(today=today)
        expiring._dealer_generate_reminders(today=today)
        for program in (renewal, expiring):
            mine = program.reminder_ids.filtered(lambda reminder: reminder.partner_id == self.customer)
            self.assertEqual(mine.due_date, self.card.expiry_date, program.name)


@tagged("post_install", "-at_install")
class TestCardProtection(LifecycleCase):
    """A card's balances, state and number move only through its actions, whoever calls."""

    def setUp(self):
        super().setUp()
        self.desk = self.env["res.users"].create(
            {
                "name": "Membership Desk",
                "login": "membership.desk",
                "groups_id": [(6, 0, [self.env.ref("dealer_membership.dealer_membership_group_user").id])],
            }
        )
        self.manager = self.env["res.users"].create(
            {
                "name": "Membership Manager",
                "login": "membership.manager",
                "groups_id": [(6, 0, [self.env.ref("dealer_membership.dealer_membership_group_manager").id])],
            }
        )

    def test_balances_state_and_number_cannot_be_written(self):
        for user in (self.desk, self.manager):
            card = self.card.with_user(user)
            for vals in ({"reward_balance": 999999}, {"state": "closed"}, {"name": "FORGED-1"}):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaisesRegex(AccessError, "card's actions"),
                ):
                    card.write(vals)
        self.assertEqual((self.card.reward_balance, self.card.state), (300, "active"))

    def test_a_card_cannot_be_created_with_points_or_a_state(self):
        Card = self.env["dealer.membership.card"].with_user(self.desk)
        with self.assertRaisesRegex(AccessError, "card's actions"):
            Card.create({"partner_id": self.customer.id, "level_id": self.silver.id, "reward_balance": 5000})
        with self.assertRaisesRegex(AccessError, "card's actions"):
            Card.create({"partner_id": self.customer.id, "level_id": self.silver.id, "state": "active"})

    def test_ledger_moves_are_not_created_directly(self):
        with self.assertRaises(AccessError):
            self.env["dealer.points.move"].with_user(self.manager).create(
                {"card_id": self.card.id, "ledger": "reward", "points": 5000, "origin": "adjustment"}
            )
        self.assertEqual(
            sum(self.card.move_ids.filtered(lambda m: m.ledger == "reward").mapped("points")), 300
        )

    def test_desk_user_still_runs_the_lifecycle(self):
        self.env = self.env(user=self.desk)
        self.step("suspend", card=self.card.with_user(self.desk))
        self.assertEqual(self.card.state, "suspended")
        self.step("reactivate", card=self.card.with_user(self.desk))
        self.assertEqual(self.card.state, "active")


class RedeemCase(LifecycleCase):
    def redeem(self, reward, user=None):
        wizard = (
            self.env["dealer.membership.redeem"]
            .with_user(user or self.env.user)
            .with_context(active_model="dealer.membership.card", active_id=self.card.id)
            .create({"reward_id": reward.id})
        )
        return wizard.action_redeem()

    def reward(self, **values):
        return self.env["dealer.membership.reward"].create(
            {"name": "Car wash", "points_cost": 100, "reward_type": "service", **values}
        )


@tagged("post_install", "-at_install")
class TestDeskRules(RedeemCase):
    def test_desk_user_without_email_redeems(self):
        desk = self.env["res.users"].create(
            {
                "name": "Desk Without Mail",
                "login": "desk.nomail",
                "email": False,
                "groups_id": [(6, 0, [self.env.ref("dealer_membership.dealer_membership_group_user").id])],
            }
        )
        self.redeem(self.reward(), user=desk)
        self.assertEqual(self.card.reward_balance, 200)
        self.assertIn("Redeemed 100 points", self.card.message_ids[0].body)

    def test_archived_reward_is_refused(self):
        reward = self.reward(active=False)
        with self.assertRaisesRegex(UserError, "no longer offered"):
            self.redeem(reward)
        self.assertEqual(self.card.reward_balance, 300)

    def test_adjustment_needs_a_reason_and_a_card_in_use(self):
        Adjust = self.env["dealer.points.adjust"]
        with self.assertRaisesRegex(UserError, "Say why"):
            Adjust.create({"card_id": self.card.id, "points": 10, "reason": "   "}).action_adjust()
        self.step("leave")
        with self.assertRaisesRegex(UserError, "only a card in use"):
            Adjust.create({"card_id": self.card.id, "points": 10, "reason": "Goodwill"}).action_adjust()


@tagged("post_install", "-at_install")
class TestCustomerFormMembership(LifecycleCase):
    def test_the_customer_shows_card_level_balances_and_points_expiring_soon(self):
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": self.card.id,
                    "ledger": "reward",
                    "points": 40,
                    "expiry_date": self.today + relativedelta(days=30),
                    "origin": "adjustment",
                    "reason": "Expiring soon",
                }
            ]
        )
        customer = self.customer
        customer.invalidate_recordset()
        self.assertEqual(customer.dealer_card_id, self.card)
        self.assertEqual(customer.dealer_card_level_id, self.silver)
        self.assertEqual((customer.dealer_reward_points, customer.dealer_qualifying_points), (340, 300))
        self.assertEqual(customer.dealer_points_expiring, 40)
        action = customer.action_dealer_open_card()
        self.assertEqual(action["res_id"], self.card.id)
        reward = self.env["dealer.membership.reward"].create(
            {"name": "Wash", "points_cost": 10, "reward_type": "voucher", "validity_days": 30}
        )
        self.env["dealer.membership.redeem"].with_context(
            active_model="dealer.membership.card", active_id=self.card.id
        ).create({"reward_id": reward.id}).action_redeem()
        customer.invalidate_recordset()
        self.assertEqual(customer.dealer_open_voucher_count, 1)


@tagged("post_install", "-at_install")
class TestStatement(LifecycleCase):
    def test_statement_printed_from_the_period_wizard_lists_each_entry_once(self):
        visit = self.make_visit(
            self.today - relativedelta(months=2),
            odometer=1000,
            lines=[("Brake pads", "parts", "customer", 1500.0)],
        )
        wizard = (
            self.env["dealer.points.statement"]
            .with_context(active_model="dealer.membership.card", active_id=self.card.id)
            .create({"date_from": self.today - relativedelta(months=6), "date_to": self.today})
        )
        action = wizard.action_print()
        report = self.env.ref("dealer_membership.action_report_dealer_points_statement")
        # The web client sends the data without record ids, as it does for a report printed with data.
        html = report._render_qweb_html(report.report_name, None, data=action["data"])[0].decode()
        self.assertIn(self.card.name, html)
        self.assertEqual(html.count("Brake pads"), 1, "one row for the line's reward and qualifying points")
        self.assertIn(visit.display_name, html)
        self.assertIn("1,500", html, "thousand separators")
        self.assertIn("1,800", html, "qualifying points of the rolling period: 300 opening + 1,500")

    def test_card_and_statement_print_in_the_members_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["dealer_membership"], ["ru_RU"], overwrite=True)
        self.customer.lang = "ru_RU"
        Report = self.env["ir.actions.report"]
        card = Report._render_qweb_html(
            "dealer_membership.action_report_dealer_membership_card", self.card.ids
        )[0].decode()
        self.assertIn("Действует до", card)
        self.assertNotIn("Valid until", card)
        statement = Report._render_qweb_html(
            "dealer_membership.action_report_dealer_points_statement", self.card.ids
        )[0].decode()
        self.assertIn("Выписка по баллам", statement)
        self.assertNotIn("Points statement", statement)


@tagged("post_install", "-at_install")
class TestVouchers(RedeemCase):
    def test_a_voucher_is_shown_sent_and_used_once(self):
        result = None
        reward = self.reward(reward_type="voucher", validity_days=30)
        wizard = (
            self.env["dealer.membership.redeem"]
            .with_context(active_model="dealer.membership.card", active_id=self.card.id)
            .create({"reward_id": reward.id})
        )
        wizard.action_redeem()
        voucher = wizard.voucher_id
        self.assertEqual((wizard.state, len(wizard.voucher_code)), ("done", 10))
        self.assertEqual(
            (voucher.state, voucher.valid_until), ("issued", self.today + relativedelta(days=30))
        )
        mail = self.env["mail.mail"].search([("model", "=", voucher._name), ("res_id", "=", voucher.id)])
        self.assertIn(voucher.code, mail.body_html)
        Voucher = self.env["dealer.membership.voucher"]
        result = Voucher.dealer_scan(voucher.code.lower())
        self.assertEqual((result["type"], voucher.state), ("success", "used"))
        again = Voucher.dealer_scan(voucher.code)
        self.assertEqual(again["type"], "warning")
        self.assertIn("already used on", again["message"])
        self.assertEqual(Voucher.dealer_scan(self.card.name)["action"]["res_id"], self.card.id)

    def test_rewards_for_some_levels_and_limited_stock(self):
        gold_only = self.reward(level_ids=[(6, 0, self.gold.ids)])
        with self.assertRaisesRegex(UserError, "members only"):
            self.redeem(gold_only)
        last_one = self.reward(limited_stock=True, stock=1)
        self.redeem(last_one)
        self.assertEqual(last_one.stock, 0)
        with self.assertRaisesRegex(UserError, "out of stock"):
            self.redeem(last_one)
        self.assertEqual(self.card.reward_balance, 200, "only the first redemption took points")

    def test_vouchers_expire_and_cannot_be_edited(self):
        reward = self.reward(validity_days=10)
        wizard = (
            self.env["dealer.membership.redeem"]
            .with_context(active_model="dealer.membership.card", active_id=self.card.id)
            .create({"reward_id": reward.id})
        )
        wizard.action_redeem()
        voucher = wizard.voucher_id
        desk = self.env["res.users"].create(
            {
                "name": "Voucher Desk",
                "login": "voucher.desk",
                "groups_id": [(6, 0, [self.env.ref("dealer_membership.dealer_membership_group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            voucher.with_user(desk).write({"state": "issued", "valid_until": date(2030, 1, 1)})
        with self.assertRaises(AccessError):
            self.env["dealer.membership.voucher"].with_user(desk).create(
                {"code": "FREE", "card_id": self.card.id, "reward_id": reward.id}
            )
        self.env["dealer.membership.voucher"]._cron_dealer_expire_vouchers(
            today=self.today + relativedelta(days=11)
        )
        self.assertEqual(voucher.state, "expired")
        with self.assertRaisesRegex(UserError, "expired"):
            voucher.action_use()

    def test_a_member_without_email_gets_the_voucher_by_sms_and_it_prints(self):
        self.customer.write({"email": False, "mobile": "+372 5555 0101"})
        reward = self.reward(reward_type="service", validity_days=30)
        wizard = (
            self.env["dealer.membership.redeem"]
            .with_context(active_model="dealer.membership.card", active_id=self.card.id)
            .create({"reward_id": reward.id})
        )
        wizard.action_redeem()
        voucher = wizard.voucher_id
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn(voucher.code, sms.body)
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        html = report._render_qweb_html(
            "dealer_membership.action_report_dealer_membership_voucher", voucher.ids
        )[0]
        self.assertIn(voucher.code, html.decode())
        self.assertEqual(wizard.action_print_voucher()["type"], "ir.actions.report")


@tagged("post_install", "-at_install")
class TestReviewedHoles(LifecycleCase):
    def desk(self):
        return self.env["res.users"].create(
            {
                "name": "Hole Desk",
                "login": "hole.desk",
                "groups_id": [(6, 0, [self.env.ref("dealer_membership.dealer_membership_group_user").id])],
            }
        )

    def test_an_issued_card_keeps_its_member_and_level(self):
        card = self.card.with_user(self.desk())
        friend = self.env["res.partner"].create({"name": "Friend"})
        for vals in ({"partner_id": friend.id}, {"level_id": self.gold.id}, {"level_manual": True}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                card.write(vals)

    def test_added_points_pay_a_debt_first(self):
        visit = self.make_visit(self.today, odometer=1000, lines=[("Labour", "labour", "customer", 500.0)])
        self.card._dealer_redeem(800, "Trip")
        visit.state = "cancel"
        self.assertEqual((self.card.reward_balance, self.card.points_debt), (0, 500))
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": self.card.id,
                    "ledger": "reward",
                    "points": 600,
                    "origin": "adjustment",
                    "reason": "Goodwill",
                }
            ]
        )
        self.assertEqual((self.card.reward_balance, self.card.points_debt), (100, 0))

    def test_undo_of_an_unrecorded_merge_is_refused(self):
        old_card = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id, "state": "closed"}
        )
        old_card.sudo().write({"merged_into_id": self.card.id})
        with self.assertRaisesRegex(UserError, "before merges were recorded"):
            old_card._dealer_undo_merge("Oops")
        self.assertEqual(self.card.reward_balance, 300)

    def test_a_replacement_keeps_a_level_set_by_hand(self):
        self.step("change_level", level_id=self.gold.id, level_until=self.today + relativedelta(days=60))
        new_card = self.card._dealer_replace("Lost")
        self.env["dealer.membership.card"]._cron_dealer_evaluate_levels(today=self.today)
        self.assertEqual((new_card.level_id, new_card.level_manual), (self.gold, True))

    def test_points_owed_follow_the_points_to_the_next_card(self):
        visit = self.make_visit(self.today, odometer=1000, lines=[("Labour", "labour", "customer", 500.0)])
        self.card._dealer_redeem(800, "Trip")
        visit.state = "cancel"
        self.assertEqual(self.card.points_debt, 500)
        new_card = self.card._dealer_replace("Lost")
        self.assertEqual((self.card.reward_balance, self.card.points_debt), (0, 0))
        self.assertEqual((new_card.reward_balance, new_card.points_debt), (0, 500))
        self.company.dealer_leave_policy = "keep"
        new_card._dealer_leave("Moving away")
        third = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id}
        )
        third.action_activate()
        self.assertEqual(
            (third.reward_balance, third.points_debt), (0, 500), "rejoining does not forgive a debt"
        )
