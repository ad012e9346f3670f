# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from datetime import date

import psycopg2.errors
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.dealer_loyalty.tests.common import DealerLoyaltyCase, run_as_two_requests

FOUR_PAYERS = [
    ("Labour", "labour", "customer", 100.0),
    ("Bodywork", "labour", "insurance", 100.0),
    ("Recall", "labour", "warranty", 100.0),
    ("Courtesy wash", "labour", "internal", 100.0),
]


class PointsCase(DealerLoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.silver = cls.env.ref("dealer_membership.dealer_membership_level_silver")
        cls.gold = cls.env.ref("dealer_membership.dealer_membership_level_gold")
        cls.card = cls.env["dealer.membership.card"].create(
            {"partner_id": cls.customer.id, "level_id": cls.silver.id}
        )
        cls.card.action_activate()
        cls.Move = cls.env["dealer.points.move"]

    def assertLedgerMatchesBalances(self):
        """Every card's balances are the sum of its moves (reward points less the points owed)."""
        Card = self.env["dealer.membership.card"].with_context(active_test=False)
        Card.flush_model()
        self.env.cr.execute(
            """
            SELECT card.name, card.reward_balance - card.points_debt, card.qualifying_balance,
                   COALESCE(SUM(move.points) FILTER (WHERE move.ledger = 'reward'), 0),
                   COALESCE(SUM(move.points) FILTER (WHERE move.ledger = 'qualifying'), 0)
              FROM dealer_membership_card card
         LEFT JOIN dealer_points_move move ON move.card_id = card.id
          GROUP BY card.id
            HAVING card.reward_balance - card.points_debt != COALESCE(SUM(move.points) FILTER (WHERE move.ledger = 'reward'), 0)
                OR card.qualifying_balance != COALESCE(SUM(move.points) FILTER (WHERE move.ledger = 'qualifying'), 0)
            """
        )
        self.assertEqual(self.env.cr.fetchall(), [], "cards whose balance is not the sum of their moves")

    def tearDown(self):
        # After every scenario, whatever it did: a balance is only ever the sum of the ledger.
        self.assertLedgerMatchesBalances()
        super().tearDown()

    def balances(self, card=None):
        card = card or self.card
        card.invalidate_recordset(["reward_balance", "qualifying_balance"])
        return card.reward_balance, card.qualifying_balance


@tagged("post_install", "-at_install")
class TestEarning(PointsCase):
    def test_earning_by_payer_type(self):
        self.make_visit(date(2026, 3, 1), odometer=1000, lines=FOUR_PAYERS)
        # Reward: customer 1, insurance 0.5, warranty 0.1, internal nothing; qualifying: customer and insurance 1.
        self.assertEqual(self.balances(), (160, 200))
        moves = self.card.move_ids
        self.assertEqual(set(moves.mapped("origin")), {"visit_line"})
        self.assertEqual(
            moves.filtered(lambda m: m.ledger == "reward" and m.points == 100).expiry_date, date(2028, 3, 1)
        )

    def test_level_multiplier_applies_to_reward_points_only(self):
        self.card.level_id = self.gold  # x 1.25
        self.make_visit(date(2026, 3, 1), odometer=1000, lines=FOUR_PAYERS)
        self.assertEqual(self.balances(), (125 + 62 + 12, 200), "each line rounds down")

    def test_no_card_no_points_and_declined_work_earns_nothing(self):
        stranger = self.env["res.partner"].create({"name": "No Card"})
        self.make_visit(date(2026, 3, 1), partner=stranger, vehicle=self.env["fleet.vehicle"])
        self.assertFalse(self.Move.search([("partner_id", "=", stranger.id)]))
        visit = self.make_visit(
            date(2026, 3, 2), odometer=1000, lines=[("Tyres", "parts", "customer", 400.0)]
        )
        visit.line_ids.declined = True
        self.assertEqual(self.balances(), (0, 0))

    def test_reposting_edits_and_cancellation_post_only_differences(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 100.0)]
        )
        self.assertEqual(self.Move._dealer_post_visit_points(visit), 0, "a second run posts nothing")
        visit.line_ids.amount = 150.0
        self.assertEqual(self.balances(), (150, 150))
        self.assertEqual(sorted(self.card.move_ids.mapped("points")), [50, 50, 100, 100])
        visit.state = "cancel"
        self.assertEqual(self.balances(), (0, 0), "a cancelled visit takes its points back")
        visit.state = "done"
        self.assertEqual(self.balances(), (150, 150))

    def test_reimport_does_not_post_twice(self):
        row = {
            "document_number": "WO-PTS-1",
            "date": "2026-03-01",
            "customer_code": self.customer.dealer_customer_code,
            "vin": self.vehicle.vin_sn,
            "odometer": "1000",
            "line_number": "1",
            "description": "Labour",
            "category": "labour",
            "payer_type": "customer",
            "amount": "200",
        }
        self.env["dealer.visit"].import_dms_rows([row])
        self.env["dealer.visit"].import_dms_rows([row])
        self.assertEqual(self.balances(), (200, 200))
        self.env["dealer.visit"].import_dms_rows([dict(row, amount="260")])
        self.assertEqual(self.balances(), (260, 260), "a corrected re-import posts the difference")

    def test_posting_costs_the_same_statements_for_one_visit_or_many(self):
        """Set-based posting: no query per visit, line or card (its speed is measured in the benchmark)."""

        def post(days):
            visits = self.env["dealer.visit"].browse()
            for day in days:
                visits |= self.make_visit(day, vehicle=self.env["fleet.vehicle"], state="draft")
            self.env.flush_all()
            self.env.cr.execute("UPDATE dealer_visit SET state = 'done' WHERE id = ANY(%s)", [visits.ids])
            visits.invalidate_recordset(["state"])
            before = self.env.cr.sql_log_count
            posted = self.Move._dealer_post_visit_points(visits)
            return posted, self.env.cr.sql_log_count - before

        post([date(2026, 3, 1), date(2020, 1, 1)])  # warm the caches
        # Each time, one visit long past its validity: its points expire at once.
        few_posted, few_queries = post([date(2026, 3, 2), date(2020, 1, 2)])
        many_posted, many_queries = post([date(2026, 3, 3)] * 9 + [date(2020, 1, 3)])
        self.assertEqual((few_posted, many_posted), (4, 20))
        self.assertEqual(many_queries, few_queries)
        self.assertEqual(self.balances(), (1100, 1400), "the three visits of 2020 expired at once")

    def test_points_beyond_what_a_card_can_hold_are_refused_in_words(self):
        # A line within the amount limit at a generous rate: floor(amount x rate) leaves the
        # ledger's integer range. The visit is refused in the user's terms, nothing is posted.
        rule = self.env["dealer.points.rule"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("ledger", "=", "reward"),
                ("payer_type", "=", "customer"),
            ],
            limit=1,
        )
        rule.points_per_unit = 50
        with self.assertRaisesRegex(UserError, "more points than a card can hold") as caught:
            self.make_visit(
                date(2026, 3, 1), odometer=1000, lines=[("Fleet deal", "vehicle", "customer", 90_000_000.0)]
            )
        self.assertNotIn("integer", str(caught.exception))
        self.assertEqual(self.balances(), (0, 0))

    def test_ledger_is_append_only(self):
        self.make_visit(date(2026, 3, 1), odometer=1000)
        move = self.card.move_ids[:1]
        with self.assertRaises(UserError):
            move.points = 1000
        with self.assertRaises(UserError):
            move.unlink()
        with self.assertRaises(UserError):
            self.card.unlink()

    def test_only_managers_adjust_points(self):
        user = new_test_user(
            self.env, login="points_user", groups="dealer_membership.dealer_membership_group_user"
        )
        with self.assertRaises(AccessError):
            self.Move.with_user(user).create(
                {
                    "card_id": self.card.id,
                    "company_id": self.company.id,
                    "ledger": "reward",
                    "points": 500,
                    "origin": "adjustment",
                }
            )


@tagged("post_install", "-at_install")
class TestRedemptionAndExpiry(PointsCase):
    def test_redemption_checks_balance_and_card_state(self):
        self.make_visit(date(2026, 3, 1), odometer=1000)  # 100 points
        self.card._dealer_redeem(60, "Free car wash")
        self.assertEqual(self.balances()[0], 40)
        with self.assertRaises(UserError) as refused:
            self.card._dealer_redeem(50, "Too much")
        self.assertIn("has 40 reward points", str(refused.exception))
        self.card.state = "suspended"
        with self.assertRaises(UserError):
            self.card._dealer_redeem(10, "Suspended")

    def test_credited_work_order_after_its_points_were_spent(self):
        """The credit is always accepted: what was spent becomes points owed, paid by the next earnings."""
        visit = self.make_visit(date(2026, 3, 1), odometer=1000)
        self.card._dealer_redeem(80, "Gift")
        visit.state = "cancel"
        self.assertEqual(visit.state, "cancel")
        self.assertEqual((self.card.reward_balance, self.card.points_debt), (0, 80))
        with self.assertRaises(UserError):
            self.card._dealer_redeem(1, "Nothing left")
        self.make_visit(date(2026, 4, 1), odometer=2000, lines=[("Labour", "labour", "customer", 50.0)])
        self.assertEqual(
            (self.card.reward_balance, self.card.points_debt), (0, 30), "earnings pay the debt first"
        )
        self.make_visit(date(2026, 5, 1), odometer=3000, lines=[("Labour", "labour", "customer", 100.0)])
        self.assertEqual((self.card.reward_balance, self.card.points_debt), (70, 0))

    def test_credited_work_order_imported_from_the_dms(self):
        row = {
            "document_number": "WO-CREDIT",
            "date": "2026-03-01",
            "customer_code": self.customer.dealer_customer_code,
            "vin": self.vehicle.vin_sn,
            "odometer": "1000",
            "line_number": "1",
            "description": "Labour",
            "payer_type": "customer",
            "amount": "700",
        }
        self.env["dealer.visit"].import_dms_rows([row])
        self.card._dealer_redeem(500, "Trip")
        report = self.env["dealer.visit"].import_dms_rows([dict(row, status="credited")])
        self.assertEqual((report["updated"], report["errors"]), (1, []))
        self.assertEqual((self.card.reward_balance, self.card.points_debt), (0, 500))

    @freeze_time("2026-01-05")
    def test_expiry_takes_the_oldest_earnings_first(self):
        self.make_visit(date(2024, 1, 10), vehicle=self.env["fleet.vehicle"])  # 100, expires 2026-01-10
        self.make_visit(
            date(2025, 12, 1),
            vehicle=self.env["fleet.vehicle"],
            lines=[("Labour", "labour", "customer", 50.0)],
        )
        self.card._dealer_redeem(30, "Coffee mugs")  # taken from the oldest 100
        self.assertEqual(self.Move._cron_dealer_expire_points(today=date(2026, 1, 9)), 0)
        self.assertEqual(self.Move._cron_dealer_expire_points(today=date(2026, 3, 1)), 1)
        self.assertEqual(self.balances()[0], 50, "70 of the first 100 expired, the recent 50 stay")
        self.assertEqual(
            self.Move._cron_dealer_expire_points(today=date(2026, 3, 2)), 0, "nothing expires twice"
        )

    @freeze_time("2026-01-05")
    def test_a_take_back_cancels_its_own_earning_not_older_ones(self):
        self.make_visit(date(2024, 1, 10), vehicle=self.env["fleet.vehicle"])  # 100, expires 2026-01-10
        later = self.make_visit(
            date(2025, 12, 1),
            vehicle=self.env["fleet.vehicle"],
            lines=[("Labour", "labour", "customer", 50.0)],
        )
        later.state = "cancel"  # takes back its own 50
        self.Move._cron_dealer_expire_points(today=date(2026, 1, 11))
        self.assertEqual(self.balances()[0], 0, "the old 100 expire whole: nothing of them was spent")

    @freeze_time("2026-11-22")
    def test_an_earning_imported_past_its_validity_is_never_redeemable(self):
        self.make_visit(date(2024, 3, 1), vehicle=self.env["fleet.vehicle"])  # expired 2026-03-01
        self.assertEqual(self.balances(), (0, 100), "the reward points expired at once, the history stays")
        with self.assertRaises(UserError):
            self.card._dealer_redeem(50, "Too late")


@tagged("post_install", "-at_install")
class TestConcurrentRedemption(PointsCase):
    """Two redemptions at once, on two real connections: one goes through, one is refused."""

    def test_two_redemptions_cannot_overdraw(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        setup_cr = db.cursor()
        setup_env = api.Environment(setup_cr, SUPERUSER_ID, {"tracking_disable": True})
        partner = setup_env["res.partner"].create({"name": "Race Member"})
        card = setup_env["dealer.membership.card"].create(
            {"partner_id": partner.id, "level_id": self.silver.id}
        )
        card.action_activate()
        setup_env["dealer.points.move"]._dealer_insert_moves(
            [
                {
                    "card_id": card.id,
                    "ledger": "reward",
                    "points": 100,
                    "origin": "adjustment",
                    "reason": "Opening",
                }
            ]
        )
        setup_cr.commit()

        def cleanup():
            setup_cr.execute("DELETE FROM dealer_points_move WHERE card_id = %s", [card.id])
            setup_cr.execute("DELETE FROM dealer_membership_card WHERE id = %s", [card.id])
            partner.unlink()
            setup_cr.commit()
            setup_cr.close()

        self.addCleanup(cleanup)
        outcome = {}

        def redeem(name, env):
            try:
                env["dealer.membership.card"].browse(card.id)._dealer_redeem(60, name)
                outcome[name] = "redeemed"
            except (UserError, psycopg2.errors.SerializationFailure):
                outcome[name] = "refused"
                env.cr.rollback()

        with db.cursor() as first_cr, db.cursor() as second_cr, mute_logger("odoo.sql_db"):
            first_env = api.Environment(first_cr, SUPERUSER_ID, {})
            second_env = api.Environment(second_cr, SUPERUSER_ID, {})
            redeem("first", first_env)  # balance row locked until commit
            second = threading.Thread(target=redeem, args=("second", second_env))
            second.start()
            second.join(timeout=2)
            self.assertTrue(second.is_alive(), "the second redemption waits for the first one")
            first_cr.commit()
            second.join(timeout=30)
            second_cr.commit()
        self.assertEqual(outcome, {"first": "redeemed", "second": "refused"})
        setup_cr.execute("SELECT reward_balance FROM dealer_membership_card WHERE id = %s", [card.id])
        self.assertEqual(setup_cr.fetchone()[0], 40)


@tagged("post_install", "-at_install")
class TestLevels(PointsCase):
    def earn_qualifying(self, points, on):
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": self.card.id,
                    "ledger": "qualifying",
                    "points": points,
                    "date": on,
                    "origin": "adjustment",
                    "reason": "Test",
                }
            ]
        )

    def test_level_up_at_the_threshold_and_down_when_the_period_passes(self):
        Card = self.env["dealer.membership.card"]
        self.earn_qualifying(4999, date(2026, 3, 1))
        Card._cron_dealer_evaluate_levels(today=date(2026, 3, 2))
        self.assertEqual(self.card.level_id, self.silver, "one point short of Gold")
        self.earn_qualifying(1, date(2026, 3, 2))
        Card._cron_dealer_evaluate_levels(today=date(2026, 3, 2))
        self.assertEqual(self.card.level_id, self.gold, "exactly at the 5,000 threshold")
        upgrade = self.card.event_ids.filtered(lambda event: event.event_type == "upgrade")
        self.assertEqual((upgrade.old_level_id, upgrade.new_level_id), (self.silver, self.gold))
        Card._cron_dealer_evaluate_levels(today=date(2026, 3, 3))
        self.assertEqual(len(self.card.event_ids.filtered(lambda event: event.event_type == "upgrade")), 1)
        # Twelve months later the March points have left the rolling period.
        Card._cron_dealer_evaluate_levels(today=date(2027, 3, 2))
        self.assertEqual(self.card.level_id, self.silver)
        downgrade = self.card.event_ids.filtered(lambda event: event.event_type == "downgrade")
        self.assertEqual((downgrade.old_level_id, downgrade.new_level_id), (self.gold, self.silver))
        self.assertEqual(sorted(self.card.event_ids.mapped("event_type")), ["downgrade", "join", "upgrade"])
        with self.assertRaises(UserError):
            downgrade.unlink()


@tagged("post_install", "-at_install")
class TestRewardWizards(PointsCase):
    def test_redeem_a_voucher_from_the_catalogue(self):
        self.Move._dealer_insert_moves(
            [
                {
                    "card_id": self.card.id,
                    "ledger": "reward",
                    "points": 3000,
                    "origin": "adjustment",
                    "reason": "Start",
                }
            ]
        )
        voucher = self.env.ref("dealer_membership.dealer_membership_reward_voucher")
        wizard = (
            self.env["dealer.membership.redeem"]
            .with_context(active_model="dealer.membership.card", active_id=self.card.id)
            .create({"reward_id": voucher.id})
        )
        wizard.action_redeem()
        self.assertEqual(self.balances()[0], 500)
        self.assertEqual(len(wizard.voucher_code), 10)
        redemption = self.card.move_ids.filtered(lambda move: move.origin == "redemption")
        self.assertIn(wizard.voucher_code, redemption.reason)

    def test_adjustments_need_the_manager_group_and_a_balance(self):
        user = new_test_user(
            self.env, login="adjust_user", groups="dealer_membership.dealer_membership_group_user"
        )
        with self.assertRaises(AccessError):
            self.env["dealer.points.adjust"].with_user(user).create(
                {"card_id": self.card.id, "points": 100, "reason": "Mine"}
            )
        adjust = self.env["dealer.points.adjust"].create(
            {"card_id": self.card.id, "points": 100, "reason": "Goodwill"}
        )
        adjust.action_adjust()
        self.assertEqual(self.balances()[0], 100)
        overdraw = self.env["dealer.points.adjust"].create(
            {"card_id": self.card.id, "points": -101, "reason": "Oops"}
        )
        with self.assertRaises(UserError):
            overdraw.action_adjust()


@tagged("post_install", "-at_install")
class TestPointsFollowTheCustomer(PointsCase):
    """Corrections after the fact: at the rate a line earned, on the customer's card of today."""

    def reward_rule(self):
        return self.env["dealer.points.rule"].search(
            [("ledger", "=", "reward"), ("payer_type", "=", "customer"), ("category", "=", False)]
        )

    def test_a_new_line_earns_at_todays_level_the_others_keep_theirs(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 500.0)]
        )
        self.assertEqual(self.balances(), (500, 500))
        self.card.level_id = self.gold  # x 1.25 from now on
        visit.write({"line_ids": [(0, 0, {"name": "Wipers", "category": "parts", "amount": 10.0})]})
        self.assertEqual(self.balances(), (512, 510), "+12 for the new line, nothing re-priced")

    def test_a_correction_posts_the_difference_at_the_original_rate(self):
        visit = self.make_visit(
            date(2026, 3, 1),
            odometer=1000,
            lines=[("Labour", "labour", "customer", 100.0), ("Oil", "parts", "customer", 100.0)],
        )
        self.reward_rule().points_per_unit = 3.0
        visit.line_ids[0].amount = 110.0
        self.assertEqual(self.balances()[0], 210, "+10 at the rate it earned, the other line untouched")

    def test_earnings_posted_before_rates_were_kept_get_theirs_back(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 1234.56)]
        )
        earning = self.card.move_ids.filtered(lambda move: move.ledger == "reward" and move.points > 0)
        self.assertEqual(earning.points, 1234)
        # As a database of the previous release has it: no rate on the move.
        self.env.cr.execute("UPDATE dealer_points_move SET earn_rate = NULL WHERE id = %s", [earning.id])
        self.Move.invalidate_model(["earn_rate"])
        self.assertEqual(self.Move._dealer_backfill_earn_rates(), 1)
        self.reward_rule().points_per_unit = 3.0  # today's rule no longer prices it
        visit.line_ids.amount = 1234.56  # an unchanged correction from the DMS
        self.assertEqual(self.balances()[0], 1234, "re-priced at the rate it earned: nothing moves")
        visit.line_ids.amount = 2469.12
        # About 1 point a unit as earned (the exact old rate is unknowable to the point), not 3.
        self.assertAlmostEqual(self.balances()[0], 2469, delta=1)

    def test_corrections_land_on_the_replacement_card(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 700.0)]
        )
        new_card = self.card._dealer_replace("Lost")
        visit.line_ids.amount = 900.0
        self.assertEqual(self.balances(new_card), (900, 900))
        self.assertEqual(self.balances(), (0, 0), "nothing on the dead card")
        visit.state = "cancel"
        self.assertEqual((visit.state, self.balances(new_card)), ("cancel", (0, 0)))

    def test_a_corrected_customer_moves_the_points(self):
        visit = self.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Labour", "labour", "customer", 100.0)]
        )
        other = self.env["res.partner"].create({"name": "Real Customer"})
        other_card = self.env["dealer.membership.card"].create(
            {"partner_id": other.id, "level_id": self.silver.id}
        )
        other_card.action_activate()
        visit.partner_id = other  # as a DMS correction writes it
        self.assertEqual(self.balances(), (0, 0))
        self.assertEqual(self.balances(other_card), (100, 100))


@tagged("post_install", "-at_install")
class TestRacesOnTheLedger(PointsCase):
    """Two desks, or a desk and the DMS, on the same card at the same moment: two real connections.

    Each side runs as Odoo runs a request: inside ``retrying``, which runs it
    again after a serialization failure.
    """

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        self.setup_cr = self.db.cursor()
        env = api.Environment(self.setup_cr, SUPERUSER_ID, {"tracking_disable": True})
        self.member = env["res.partner"].create({"name": "Race Ledger Member"})
        self.race_card = env["dealer.membership.card"].create(
            {"partner_id": self.member.id, "level_id": self.silver.id}
        )
        self.race_card.action_activate()
        self.race_visit = env["dealer.visit"].create(
            {
                "partner_id": self.member.id,
                "date": "2026-03-01",
                "state": "done",
                "line_ids": [
                    (
                        0,
                        0,
                        {"name": "Labour", "category": "labour", "payer_type": "customer", "amount": 100.0},
                    )
                ],
            }
        )
        self.setup_cr.commit()
        self.addCleanup(self.cleanup)

    def cleanup(self):
        setup_cr = self.setup_cr
        setup_cr.rollback()
        setup_cr.execute("DELETE FROM dealer_points_move WHERE card_id = %s", [self.race_card.id])
        setup_cr.execute("DELETE FROM dealer_visit WHERE id = %s", [self.race_visit.id])
        setup_cr.execute("DELETE FROM dealer_membership_event WHERE card_id = %s", [self.race_card.id])
        setup_cr.execute("DELETE FROM dealer_membership_card WHERE id = %s", [self.race_card.id])
        setup_cr.execute("DELETE FROM res_partner WHERE id = %s", [self.member.id])
        setup_cr.commit()
        setup_cr.close()

    def race(self, first, second):
        results = run_as_two_requests(self.env.cr.dbname, first, second)
        for result in results.values():
            if isinstance(result, Exception) and not isinstance(result, UserError):
                raise result
        outcome = {
            name: "refused" if isinstance(result, UserError) else "done" for name, result in results.items()
        }
        self.setup_cr.execute(
            """
            SELECT card.reward_balance, card.points_debt, COALESCE(SUM(move.points), 0)
              FROM dealer_membership_card card
         LEFT JOIN dealer_points_move move ON move.card_id = card.id AND move.ledger = 'reward'
             WHERE card.id = %s GROUP BY card.id
            """,
            [self.race_card.id],
        )
        balance, debt, ledger = self.setup_cr.fetchone()
        self.assertEqual(balance - debt, ledger, "the card's balance is its ledger")
        return outcome, balance, debt

    def test_redemption_against_an_adjustment(self):
        def redeem(env):
            env["dealer.membership.card"].browse(self.race_card.id)._dealer_redeem(60, "Desk one")

        def deduct(env):
            env["dealer.points.adjust"].with_context(
                active_model="dealer.membership.card", active_id=self.race_card.id
            ).create({"points": -60, "reason": "Desk two"}).action_adjust()

        outcome, balance, _debt = self.race(redeem, deduct)
        self.assertEqual(sorted(outcome.values()), ["done", "refused"])
        self.assertEqual(balance, 40)

    def test_a_credited_work_order_while_the_points_are_redeemed(self):
        def redeem(env):
            env["dealer.membership.card"].browse(self.race_card.id)._dealer_redeem(80, "Desk")

        def credit(env):
            env["dealer.visit"].browse(self.race_visit.id).write({"state": "cancel"})

        outcome, balance, debt = self.race(redeem, credit)
        self.setup_cr.execute("SELECT state FROM dealer_visit WHERE id = %s", [self.race_visit.id])
        self.assertEqual(self.setup_cr.fetchone()[0], "cancel", "the credit is always accepted")
        self.assertIn((outcome["first"], balance, debt), {("done", 0, 80), ("refused", 0, 0)})

    def test_one_redemption_run_from_two_desks_at_once(self):
        """A client sending "Redeem" twice for the same wizard: one voucher, the points taken once."""
        env = api.Environment(self.setup_cr, SUPERUSER_ID, {})
        reward = env["dealer.membership.reward"].create(
            {"name": "Race car wash", "points_cost": 30, "reward_type": "service"}
        )
        wizard = env["dealer.membership.redeem"].create(
            {"card_id": self.race_card.id, "reward_id": reward.id}
        )
        self.setup_cr.commit()

        def remove_redemption():
            self.setup_cr.rollback()
            self.setup_cr.execute("DELETE FROM dealer_membership_redeem WHERE id = %s", [wizard.id])
            self.setup_cr.execute(
                "DELETE FROM dealer_membership_voucher WHERE card_id = %s", [self.race_card.id]
            )
            self.setup_cr.execute("DELETE FROM dealer_membership_reward WHERE id = %s", [reward.id])
            self.setup_cr.commit()

        self.addCleanup(remove_redemption)

        def redeem(env):
            env["dealer.membership.redeem"].browse(wizard.id).action_redeem()

        outcome, balance, _debt = self.race(redeem, redeem)
        self.assertEqual(sorted(outcome.values()), ["done", "refused"])
        self.assertEqual(balance, 70)
        self.setup_cr.execute(
            "SELECT count(*) FROM dealer_membership_voucher WHERE card_id = %s", [self.race_card.id]
        )
        self.assertEqual(self.setup_cr.fetchone()[0], 1)
