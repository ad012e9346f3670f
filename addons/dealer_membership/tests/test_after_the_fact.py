# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .test_lifecycle import LifecycleCase, RedeemCase


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

    def _merge_partners(self, partners, dst, user=None):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user or self.env.user)
            .create({"partner_ids": [(6, 0, partners.ids)], "dst_partner_id": dst.id})
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

    def test_points_a_merged_customer_kept_on_leaving_go_to_the_active_card(self):
        twin, twin_card = self._second_customer_with_card(120)
        self.company.dealer_leave_policy = "keep"
        self.step("leave", card=twin_card)
        self._merge_partners(self.customer | twin, self.customer)
        self.assertEqual(self.balances(), (420, 420), "the kept points are the customer's")
        self.assertEqual(self.balances(twin_card), (0, 0))

    def test_a_contact_manager_without_membership_rights_merges_members(self):
        twin, twin_card = self._second_customer_with_card(50)
        voucher_reward = self.env["dealer.membership.reward"].create(
            {"name": "Wash", "points_cost": 10, "reward_type": "voucher"}
        )
        voucher = self.env["dealer.membership.voucher"]._dealer_issue(twin_card, voucher_reward)
        contacts = new_test_user(
            self.env, login="contacts.manager", groups="base.group_user,base.group_partner_manager"
        )
        self._merge_partners(self.customer | twin, self.customer, user=contacts)
        self.assertEqual((twin_card.state, twin_card.merged_into_id), ("closed", self.card))
        self.assertEqual(self.balances(), (350, 350))
        self.assertEqual(voucher.partner_id, self.customer, "the voucher follows its member")
        self.assertEqual(self.customer.dealer_open_voucher_count, 1)


@tagged("post_install", "-at_install")
class TestCardsChangedAfterAMerge(LifecycleCase):
    """A merge undone after the card it went to was itself replaced or merged further."""

    def _old_card_merged(self, points=80):
        old_card = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id, "state": "expired"}
        )
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": old_card.id,
                    "ledger": ledger,
                    "points": points,
                    "date": date(2026, 2, 1),
                    "expiry_date": date(2027, 6, 1) if ledger == "reward" else None,
                    "origin": "adjustment",
                    "reason": "Old points",
                }
                for ledger in ("reward", "qualifying")
            ]
        )
        self.step("merge", card=old_card, target_card_id=self.card.id)
        return old_card

    def test_undo_after_the_target_was_replaced_takes_the_points_from_the_new_card(self):
        old_card = self._old_card_merged()
        new_card = self.env["dealer.membership.card"].browse(self.step("replace")["res_id"])
        self.assertEqual(self.balances(new_card), (380, 380))
        self.step("undo_merge", card=old_card)
        self.assertEqual(self.balances(old_card), (80, 80), "the merged points come back")
        self.assertEqual(self.balances(new_card), (300, 300), "from the card that holds them now")
        self.assertEqual(self.balances(), (0, 0), "the replaced card stays empty")

    def test_undo_after_the_target_was_merged_further_asks_to_undo_that_first(self):
        old_card = self._old_card_merged()
        self.step("suspend")
        newest = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id}
        )
        newest.action_activate()
        self.step("merge", target_card_id=newest.id)
        with self.assertRaisesRegex(UserError, "undo that merge first"):
            self.step("undo_merge", card=old_card)
        self.assertEqual(self.balances(old_card), (0, 0), "nothing moved")
        self.assertEqual(old_card.state, "closed")
        self.step("undo_merge")
        self.assertEqual(self.balances(), (380, 380))
        self.assertEqual(self.balances(newest), (0, 0))


@tagged("post_install", "-at_install")
class TestVouchersAfterwards(RedeemCase):
    def _voucher(self, **values):
        wizard = (
            self.env["dealer.membership.redeem"]
            .with_context(active_model="dealer.membership.card", active_id=self.card.id)
            .create({"reward_id": self.reward(reward_type="voucher", **values).id})
        )
        wizard.action_redeem()
        return wizard.voucher_id

    def test_a_voucher_prints_in_the_members_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["dealer_membership"], ["ru_RU"], overwrite=True)
        self.customer.lang = "ru_RU"
        voucher = self._voucher(validity_days=30)
        html = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_html("dealer_membership.action_report_dealer_membership_voucher", voucher.ids)[0]
            .decode()
        )
        self.assertIn(voucher.code, html)
        self.assertIn("Действует до", html)
        self.assertNotIn("Valid until", html)

    def test_a_voucher_paid_for_stays_usable_once_after_its_reward_and_card_changed(self):
        voucher = self._voucher(validity_days=30, limited_stock=True, stock=1)
        cancelled = self._voucher(validity_days=30)
        voucher.reward_id.write({"active": False, "stock": 0})
        self.step("replace")
        Voucher = self.env["dealer.membership.voucher"]
        self.assertEqual(Voucher.dealer_scan(voucher.code)["type"], "success")
        self.assertIn("already used on", Voucher.dealer_scan(voucher.code)["message"])
        cancelled.action_cancel()
        self.assertIn("is cancelled and cannot be used", Voucher.dealer_scan(cancelled.code)["message"])

    def test_a_voucher_is_valid_to_the_end_of_its_last_day_at_the_dealership(self):
        self.env.company.dealer_timezone = "America/New_York"
        Voucher = self.env["dealer.membership.voucher"].with_context(tz="UTC")  # the job's user has no zone
        with freeze_time("2027-01-01 12:00:00"):
            voucher = self._voucher(validity_days=9)
        self.assertEqual(str(voucher.valid_until), "2027-01-10")
        with freeze_time("2027-01-11 02:00:00"):  # 21:00 on 10 January in New York
            Voucher._cron_dealer_expire_vouchers()
            self.assertEqual(voucher.state, "issued", "its last day is not over at the dealership")
            self.assertTrue(voucher.with_context(tz="UTC").action_use())
        with freeze_time("2027-01-01 12:00:00"):
            late = self._voucher(validity_days=9)
        with freeze_time("2027-01-11 05:30:00"):  # 00:30 on 11 January in New York
            Voucher._cron_dealer_expire_vouchers()
            self.assertEqual(late.state, "expired")


@tagged("post_install", "-at_install")
class TestVisitsCorrectedAfterTheCardClosed(LifecycleCase):
    def test_a_visit_cancelled_after_its_points_were_forfeited_owes_nothing(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 100.0)]
        )
        self.assertEqual(self.balances(), (400, 400))
        self.company.dealer_leave_policy = "forfeit"
        self.step("leave")
        self.assertEqual(self.balances(), (0, 400))
        visit.state = "cancel"  # the DMS cancels a work order of the old membership
        self.assertEqual(self.card.points_debt, 0, "forfeited points were not spent: nothing is owed")
        rejoined = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id}
        )
        rejoined.action_activate()
        self.assertEqual((rejoined.reward_balance, rejoined.points_debt), (0, 0))

    def test_a_visit_cancelled_after_leaving_with_points_kept_takes_them_from_the_kept_points(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 100.0)]
        )
        self.company.dealer_leave_policy = "keep"
        self.step("leave")
        visit.state = "cancel"
        self.assertEqual(self.balances(), (300, 300))
        rejoined = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id}
        )
        rejoined.action_activate()
        self.assertEqual(self.balances(rejoined), (300, 300))
        visit.state = "done"  # and the DMS restores it: the points land on the card of today
        self.assertEqual(self.balances(rejoined), (400, 400))
        self.assertEqual(self.balances(), (0, 0))

    def test_undoing_a_merge_of_old_qualifying_points_keeps_the_level_of_the_period(self):
        self.gold.qualifying_points_threshold = 300
        Card = self.env["dealer.membership.card"]
        Card._cron_dealer_evaluate_levels()
        self.assertEqual(self.card.level_id, self.gold, "300 qualifying points in the period")
        old_card = Card.create(
            {"partner_id": self.customer.id, "level_id": self.silver.id, "state": "expired"}
        )
        long_ago = self.today - relativedelta(years=2)
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": old_card.id,
                    "ledger": "qualifying",
                    "points": 80,
                    "date": long_ago,
                    "origin": "adjustment",
                    "reason": "Old points",
                }
            ]
        )
        self.step("merge", card=old_card, target_card_id=self.card.id)
        self.step("undo_merge", card=old_card)
        Card._cron_dealer_evaluate_levels()
        self.assertEqual(self.card.level_id, self.gold, "points earned two years ago never counted")

    def test_a_visit_cancelled_after_the_replacement_card_left_takes_from_the_kept_points(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 100.0)]
        )
        new_card = self.env["dealer.membership.card"].browse(self.step("replace")["res_id"])
        self.company.dealer_leave_policy = "keep"
        self.step("leave", card=new_card)
        self.assertEqual(self.balances(new_card), (400, 400))
        visit.state = "cancel"
        self.assertEqual(self.balances(new_card), (300, 300), "taken from the points kept")
        self.assertEqual(
            (self.balances(), self.card.points_debt), ((0, 0), 0), "the blocked card owes nothing"
        )

    def test_a_visit_cancelled_after_rejoining_having_forfeited_is_accepted(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 100.0)]
        )
        self.company.dealer_leave_policy = "forfeit"
        self.step("leave")
        rejoined = self.env["dealer.membership.card"].create(
            {"partner_id": self.customer.id, "level_id": self.silver.id}
        )
        rejoined.action_activate()
        self.assertEqual(self.balances(rejoined), (0, 400), "qualifying points are not forfeited")
        visit.state = "cancel"
        self.assertEqual(visit.state, "cancel")
        self.assertEqual(rejoined.qualifying_balance, 300)

    def test_a_refused_take_back_names_the_ledger_that_is_short_in_whole_points(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 100.0)]
        )
        self.Move._dealer_insert_moves(
            [{"card_id": self.card.id, "ledger": "qualifying", "points": -350, "origin": "adjustment"}]
        )
        self.card._dealer_redeem(400, "Gift")  # and every reward point is spent
        with self.assertRaises(UserError) as refusal:
            visit.state = "cancel"
        message = str(refusal.exception)
        self.assertIn("50 qualifying points: the 100 points", message)
        self.assertNotIn("reward points", message)


@tagged("post_install", "-at_install")
class TestCardsExpireOnTheDealershipsDay(LifecycleCase):
    def test_a_card_is_valid_to_the_end_of_its_last_day_at_the_dealership(self):
        self.env.company.dealer_timezone = "America/New_York"
        Card = self.env["dealer.membership.card"].with_context(tz="UTC")  # the job's user has no zone
        last_day = self.card.expiry_date
        evening = f"{last_day + relativedelta(days=1)} 02:00:00"  # 21:00 on its last day in New York
        with freeze_time(evening):
            Card._cron_dealer_expire_cards()
        self.assertEqual(self.card.state, "active")
        with freeze_time(f"{last_day + relativedelta(days=1)} 05:30:00"):  # 00:30 the day after
            Card._cron_dealer_expire_cards()
        self.assertEqual(self.card.state, "expired")
