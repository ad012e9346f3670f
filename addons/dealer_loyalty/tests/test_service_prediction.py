# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.dealer_vehicle_service_prediction import daily_mileage, plausible_readings, predict_next_service
from .common import DealerLoyaltyCase

PLAN = {"interval_km": 15000, "interval_months": 12, "first_km": 1500, "first_months": 6}


@tagged("post_install", "-at_install")
class TestPredictionRules(DealerLoyaltyCase):
    """The pure rules, with hand-worked numbers."""

    def test_time_decides_for_a_low_mileage_car(self):
        readings = [(date(2025, 1, 1), 10000), (date(2026, 1, 1), 13650)]  # 10 km a day
        due, due_km, rule = predict_next_service(PLAN, (date(2026, 1, 1), 13650), readings, 10.0, None, False)
        # 15,000 km at 10 km a day is 1,500 days away: the 12-month limit comes first.
        self.assertEqual((due, due_km, rule), (date(2027, 1, 1), 28650, "time"))

    def test_mileage_follows_recent_driving(self):
        # Four years at 40 km a day, then a year at 100 km a day (a new job, a long commute).
        readings = [(date(2021, 1, 1), 0), (date(2025, 1, 1), 58440), (date(2026, 1, 1), 94940)]
        self.assertEqual(daily_mileage(readings), 100.0)
        # Nothing recent enough to compare: the whole history.
        sparse = [(date(2021, 1, 1), 0), (date(2026, 1, 1), 73040)]
        self.assertEqual(daily_mileage(sparse), 40.0)

    def test_mileage_decides_for_a_high_mileage_car(self):
        readings = [(date(2025, 6, 1), 20000), (date(2026, 3, 1), 47300)]  # 100 km a day over 273 days
        daily = daily_mileage(readings)
        self.assertEqual(daily, 100.0)
        due, due_km, rule = predict_next_service(
            PLAN, (date(2026, 3, 1), 47300), readings, daily, None, False
        )
        # 62,300 km due, 15,000 km away from the last reading at 100 km/day: 150 days.
        self.assertEqual((due, due_km, rule), (date(2026, 3, 1) + timedelta(days=150), 62300, "mileage"))

    def test_mileage_counts_from_the_latest_reading(self):
        readings = [(date(2026, 1, 1), 10000), (date(2026, 2, 1), 13100)]  # 100 km/day
        due, _due_km, rule = predict_next_service(
            PLAN, (date(2026, 1, 1), 10000), readings, 100.0, None, False
        )
        # 25,000 km due; 11,900 km left after the 1 Feb reading: 119 days.
        self.assertEqual((due, rule), (date(2026, 2, 1) + timedelta(days=119), "mileage"))

    def test_first_service_for_a_new_car(self):
        due, due_km, rule = predict_next_service(PLAN, None, [], 0.0, date(2026, 1, 10), True)
        self.assertEqual((due, due_km, rule), (date(2026, 7, 10), 1500, "first_time"))
        readings = [(date(2026, 1, 10), 0), (date(2026, 1, 30), 1000)]  # 50 km/day
        due, _km, rule = predict_next_service(PLAN, None, readings, 50.0, date(2026, 1, 10), True)
        self.assertEqual((due, rule), (date(2026, 2, 9), "first_mileage"))

    def test_used_car_without_history_counts_from_handover(self):
        due, _km, rule = predict_next_service(PLAN, None, [], 0.0, date(2026, 1, 10), False)
        self.assertEqual((due, rule), (date(2027, 1, 10), "handover"))

    def test_no_history_and_no_handover_predicts_nothing(self):
        self.assertEqual(predict_next_service(PLAN, None, [], 0.0, None, False), (False, 0, "none"))

    def test_implausible_readings_are_ignored(self):
        readings = [
            (date(2026, 1, 1), 10000),
            (date(2026, 2, 1), 450000),  # typo: 14,000 km a day
            (date(2026, 3, 1), 14000),
            (date(2026, 3, 15), 9000),  # goes backwards
            (date(2026, 4, 1), 17000),
        ]
        kept = plausible_readings(readings, 600)
        self.assertEqual(
            kept, [(date(2026, 1, 1), 10000), (date(2026, 3, 1), 14000), (date(2026, 4, 1), 17000)]
        )
        self.assertEqual(daily_mileage(kept), round(7000 / 90, 2))

    def test_an_outlier_first_reading_is_dropped(self):
        readings = [(date(2026, 1, 1), 900000), (date(2026, 2, 1), 12000), (date(2026, 3, 3), 15000)]
        self.assertEqual(
            plausible_readings(readings, 600), [(date(2026, 2, 1), 12000), (date(2026, 3, 3), 15000)]
        )

    def test_short_span_gives_no_mileage(self):
        self.assertEqual(daily_mileage([(date(2026, 1, 1), 100), (date(2026, 1, 5), 900)]), 0.0)


@tagged("post_install", "-at_install")
class TestVehiclePrediction(DealerLoyaltyCase):
    """The rules applied on vehicles as visits arrive."""

    def test_new_vehicle_without_visits_has_first_service_due(self):
        self.assertEqual(self.vehicle.dealer_next_service_rule, "first_time")
        self.assertEqual(self.vehicle.dealer_next_service_date, date(2026, 7, 10))
        self.assertEqual(self.vehicle.dealer_first_service_due, date(2026, 7, 10))
        self.assertIn("First service", self.vehicle.dealer_next_service_explanation)

    @freeze_time("2026-11-01")
    def test_service_visit_resets_the_clock_and_feeds_the_odometer(self):
        self.make_visit(date(2026, 7, 1), odometer=9000)
        self.assertEqual(self.vehicle.dealer_last_service_date, date(2026, 7, 1))
        self.assertEqual(self.vehicle.dealer_last_service_odometer, 9000)
        # Handover at 0 km on 10 Jan, 9,000 km on 1 Jul (172 days).
        self.assertAlmostEqual(self.vehicle.dealer_daily_mileage, round(9000 / 172, 2), places=1)
        self.assertEqual(self.vehicle.dealer_next_service_rule, "mileage")
        self.assertEqual(self.vehicle.dealer_next_service_km, 24000)
        readings = self.env["fleet.vehicle.odometer"].search([("vehicle_id", "=", self.vehicle.id)])
        self.assertEqual(readings.mapped("value"), [9000.0])

    @freeze_time("2026-11-01")
    def test_body_shop_visit_does_not_reset_the_service_clock(self):
        self.make_visit(date(2026, 5, 1), odometer=5000)
        self.make_visit(date(2026, 9, 1), odometer=8000, department="body_shop")
        self.assertEqual(self.vehicle.dealer_last_service_date, date(2026, 5, 1))
        # ... but its odometer reading still improves the mileage estimate.
        self.assertEqual(len(self.vehicle.dealer_odometer_ids), 2)

    @freeze_time("2026-11-01")
    def test_cancelling_a_visit_withdraws_its_reading_and_service(self):
        visit = self.make_visit(date(2026, 6, 1), odometer=7000)
        visit.action_cancel()
        self.assertFalse(self.vehicle.dealer_last_service_date)
        self.assertFalse(self.vehicle.dealer_odometer_ids)
        self.assertEqual(self.vehicle.dealer_next_service_rule, "first_time")

    @freeze_time("2026-11-01")
    def test_vehicle_and_model_override_the_company_plan(self):
        self.make_visit(date(2026, 3, 1), odometer=2000)
        self.model.dealer_service_interval_months = 6
        self.assertEqual(self.vehicle.dealer_next_service_date, date(2026, 9, 1))
        self.vehicle.dealer_service_interval_months = 3
        self.assertEqual(self.vehicle.dealer_next_service_date, date(2026, 6, 1))

    @freeze_time("2026-11-01")
    def test_settings_change_recomputes_predictions(self):
        self.make_visit(date(2026, 3, 1), odometer=2000)
        settings = self.env["res.config.settings"].create({"dealer_service_interval_months": 9})
        settings.execute()
        self.assertEqual(self.vehicle.dealer_next_service_date, date(2026, 12, 1))

    def test_vin_must_have_17_characters(self):
        with self.assertRaisesRegex(ValidationError, "17"):
            self.vehicle.vin_sn = "SHORTVIN"


@tagged("post_install", "-at_install")
class TestOwnership(DealerLoyaltyCase):
    def test_selling_the_vehicle_on_keeps_history_and_changes_the_owner(self):
        buyer = self.env["res.partner"].create({"name": "Olga Petrova"})
        self.vehicle.with_context(dealer_loyalty_ownership_end_reason="sold").dealer_owner_id = buyer
        history = self.vehicle.dealer_ownership_ids.sorted("id")
        self.assertEqual(history.partner_id, self.customer | buyer)
        self.assertEqual(history[0].end_reason, "sold")
        self.assertTrue(history[0].date_end)
        self.assertTrue(history[1].is_current)
        self.assertFalse(self.customer.dealer_vehicle_ids)
        self.assertEqual(buyer.dealer_vehicle_ids, self.vehicle)

    def test_change_owner_wizard_records_reason_and_date(self):
        with Form(
            self.env["dealer.vehicle.change.owner"].with_context(default_vehicle_id=self.vehicle.id)
        ) as wizard:
            self.assertEqual(wizard.end_reason, "no_longer_owns")
            wizard.date = date(2026, 9, 1)
        wizard.record.action_confirm()
        self.assertFalse(self.vehicle.dealer_owner_id)
        ended = self.vehicle.dealer_ownership_ids
        self.assertEqual(
            (ended.partner_id, ended.date_end, ended.end_reason),
            (self.customer, date(2026, 9, 1), "no_longer_owns"),
        )

    def test_change_owner_to_the_same_customer_is_refused(self):
        wizard = self.env["dealer.vehicle.change.owner"].create(
            {"vehicle_id": self.vehicle.id, "new_owner_id": self.customer.id}
        )
        with self.assertRaisesRegex(UserError, "current owner"):
            wizard.action_confirm()
