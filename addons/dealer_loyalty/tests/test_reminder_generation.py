# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from datetime import date

import psycopg2.errors

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DealerLoyaltyCase


class ReminderCase(DealerLoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Program = cls.env["dealer.loyalty.program"]
        cls.Reminder = cls.env["dealer.loyalty.reminder"]
        cls.company.write(
            {
                "dealer_contact_min_gap_days": 0,
                "dealer_contact_pause_days": 0,
                "dealer_consent_required_email": True,
                "dealer_consent_required_sms": True,
            }
        )

    @classmethod
    def test_audience(cls, domain="[]"):
        """Only the customers the tests create, whatever else the database holds (demo data)."""
        return f"[('id', '>=', {cls.customer.id})] + {domain}"

    @classmethod
    def make_program(cls, program_type, partner_domain="[]", **values):
        return cls.Program.create(
            {
                "name": f"Test {program_type}",
                "program_type": program_type,
                "lead_days": 10,
                "catch_up_days": 0,
                "user_id": cls.env.user.id,
                "partner_domain": cls.test_audience(partner_domain),
                **values,
            }
        )

    def generate(self, program, today):
        program._dealer_generate_reminders(today=today)
        return program.reminder_ids.sorted(lambda reminder: (reminder.due_date, reminder.id))


@tagged("post_install", "-at_install")
class TestDueDateRules(ReminderCase):
    def test_vehicle_date_types_use_their_date_and_window(self):
        self.vehicle.write(
            {
                "dealer_warranty_end": date(2026, 3, 20),
                "dealer_inspection_due": date(2026, 3, 5),
                "dealer_insurance_due": date(2026, 4, 30),
            }
        )
        today = date(2026, 3, 10)
        warranty = self.generate(self.make_program("warranty"), today)
        self.assertEqual(warranty.mapped("due_date"), [date(2026, 3, 20)])
        self.assertEqual(
            warranty.scheduled_date, date(2026, 3, 10), "contacted lead days before the due date"
        )
        self.assertEqual((warranty.partner_id, warranty.vehicle_id), (self.customer, self.vehicle))
        self.assertFalse(self.generate(self.make_program("inspection"), today), "due date already passed")
        catching_up = self.make_program("inspection", catch_up_days=7)
        self.assertEqual(self.generate(catching_up, today).due_date, date(2026, 3, 5))
        self.assertFalse(
            self.generate(self.make_program("insurance"), today), "due date beyond the lead time"
        )

    def test_extended_warranty_offer_skips_vehicles_already_extended(self):
        self.vehicle.dealer_warranty_end = date(2026, 3, 20)
        program = self.make_program("extended_warranty", lead_days=60)
        self.vehicle.dealer_extended_warranty_end = date(2028, 3, 20)
        self.assertFalse(self.generate(program, date(2026, 2, 1)))
        self.vehicle.dealer_extended_warranty_end = False
        self.assertEqual(self.generate(program, date(2026, 2, 1)).due_date, date(2026, 3, 20))

    def test_welcome_follows_handover_by_delay(self):
        program = self.make_program("welcome", delay_days=3, lead_days=0, catch_up_days=2)
        self.assertFalse(self.generate(program, date(2026, 1, 10)), "three days after the handover")
        reminder = self.generate(program, date(2026, 1, 13))
        self.assertEqual((reminder.due_date, reminder.scheduled_date), (date(2026, 1, 13), date(2026, 1, 13)))

    def test_pre_welcome_only_before_handover(self):
        program = self.make_program("pre_welcome", delay_days=1, lead_days=0, catch_up_days=3)
        self.vehicle.dealer_order_date = date(2025, 12, 1)
        self.assertEqual(self.generate(program, date(2025, 12, 2)).due_date, date(2025, 12, 2))
        self.vehicle.write({"dealer_order_date": date(2026, 1, 8)})
        self.assertEqual(len(self.generate(program, date(2026, 1, 12))), 1, "handed over before the greeting")

    def test_service_reminders_follow_the_prediction(self):
        self.make_visit(date(2026, 3, 1), odometer=1500)
        self.assertEqual(self.vehicle.dealer_next_service_date, date(2027, 3, 1))
        program = self.make_program("service", lead_days=30)
        first_service = self.make_program("first_service", lead_days=30)
        reminders = self.generate(program, date(2027, 2, 1))
        self.assertEqual(reminders.due_date, date(2027, 3, 1))
        self.assertEqual(reminders.scheduled_date, date(2027, 2, 1))
        self.assertFalse(self.generate(first_service, date(2027, 2, 1)), "the first service was done")

    def test_first_service_for_new_vehicle_without_odometer_history(self):
        self.assertFalse(self.vehicle.dealer_odometer_ids)
        self.assertEqual(self.vehicle.dealer_first_service_due, date(2026, 7, 10))
        service = self.make_program("service", lead_days=30)
        first_service = self.make_program("first_service", lead_days=30)
        self.assertEqual(self.generate(first_service, date(2026, 6, 20)).due_date, date(2026, 7, 10))
        self.assertFalse(self.generate(service, date(2026, 6, 20)), "the first service has its own program")

    def test_used_vehicle_without_any_data_gets_no_service_reminder(self):
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": self.model.id,
                "license_plate": "NODATA1",
                "dealer_owner_id": self.customer.id,
                "dealer_condition": "used",
            }
        )
        self.assertFalse(vehicle.dealer_next_service_date)
        program = self.make_program("service", lead_days=400)
        self.assertFalse(
            self.generate(program, date(2026, 6, 20)).filtered(lambda r: r.vehicle_id == vehicle)
        )

    def test_customer_with_two_vehicles_gets_one_reminder_per_vehicle(self):
        second = self.env["fleet.vehicle"].create(
            {
                "model_id": self.model.id,
                "license_plate": "SECOND1",
                "dealer_owner_id": self.customer.id,
                "dealer_insurance_due": date(2026, 5, 3),
            }
        )
        self.vehicle.dealer_insurance_due = date(2026, 5, 3)
        reminders = self.generate(self.make_program("insurance"), date(2026, 5, 1))
        self.assertEqual(reminders.vehicle_id, self.vehicle | second)
        self.assertEqual(reminders.partner_id, self.customer)

    def test_thank_you_per_department_and_declined_work(self):
        self.make_visit(date(2026, 4, 1), odometer=1000)
        self.make_visit(
            date(2026, 4, 2),
            odometer=1100,
            department="body_shop",
            lines=[
                ("Bumper", "labour", "customer", 300.0),
                (
                    "Wipers",
                    "parts",
                    "customer",
                    30.0,
                ),
            ],
        )
        self.env["dealer.visit.line"].search([("name", "=", "Wipers")]).declined = True
        thanks = self.make_program(
            "thank_you", department="service", delay_days=1, lead_days=0, catch_up_days=3
        )
        reminders = self.generate(thanks, date(2026, 4, 3))
        self.assertEqual(reminders.mapped("due_date"), [date(2026, 4, 2)], "service visit only")
        self.assertEqual(reminders.visit_id.department, "service")
        declined = self.make_program("declined_work", delay_days=14, lead_days=0, catch_up_days=0)
        reminders = self.generate(declined, date(2026, 4, 16))
        self.assertEqual(reminders.visit_id.department, "body_shop")

    def test_birthday_on_leap_day(self):
        self.customer.write({"dealer_birthday": date(1988, 2, 29), "dealer_segment": "active"})
        program = self.make_program("birthday", lead_days=0, catch_up_days=0)
        self.assertFalse(self.generate(program, date(2027, 3, 1)))
        last_year = self.generate(program, date(2027, 2, 28))
        self.assertEqual(last_year.due_date, date(2027, 2, 28))
        last_year._dealer_mark_sent()
        leap = self.generate(program, date(2028, 2, 29))
        self.assertEqual(leap.mapped("due_date"), [date(2027, 2, 28), date(2028, 2, 29)])
        self.assertFalse(leap.vehicle_id, "birthdays are about the customer, not a vehicle")

    def test_holiday_across_the_new_year(self):
        self.customer.dealer_segment = "regular"
        program = self.make_program("holiday", holiday_month=1, holiday_day=1, lead_days=5)
        reminder = self.generate(program, date(2026, 12, 28))
        self.assertEqual((reminder.due_date, reminder.scheduled_date), (date(2027, 1, 1), date(2026, 12, 28)))
        with self.assertRaises(ValidationError):
            self.make_program("holiday", holiday_month=2, holiday_day=30)

    def test_newsletter_reaches_the_filtered_audience(self):
        self.customer.dealer_segment = "lost"
        other = self.env["res.partner"].create({"name": "Active One", "dealer_segment": "active"})
        self.env["res.partner"].create({"name": "Not a customer"})
        program = self.make_program(
            "newsletter", send_date=date(2026, 5, 5), partner_domain="[('dealer_segment', '=', 'active')]"
        )
        self.assertEqual(self.generate(program, date(2026, 5, 1)).partner_id, other)

    def test_win_back_when_the_customer_becomes_lost(self):
        self.make_visit(date(2025, 3, 1), odometer=1000)
        program = self.make_program("win_back", lead_days=0, catch_up_days=0)
        self.assertFalse(self.generate(program, date(2026, 2, 27)))
        # Planned the day before, so that a call is on the list when the day starts.
        reminder = self.generate(program, date(2026, 2, 28))
        self.assertEqual((reminder.due_date, reminder.scheduled_date), (date(2026, 3, 1), date(2026, 3, 1)))

    def test_custom_program_on_a_vehicle_date(self):
        field = self.env["ir.model.fields"]._get("fleet.vehicle", "dealer_insurance_due")
        program = self.make_program(
            "custom",
            custom_date_field_id=field.id,
            delay_days=0,
            vehicle_domain=f"[('license_plate', '=', '{self.vehicle.license_plate}')]",
        )
        self.vehicle.dealer_insurance_due = date(2026, 8, 8)
        self.assertEqual(self.generate(program, date(2026, 8, 1)).due_date, date(2026, 8, 8))
        with self.assertRaises(ValidationError):
            program.partner_domain = "[('no_such_field', '=', 1)]"

    def test_moved_due_date_re_dates_the_planned_reminder(self):
        self.vehicle.dealer_insurance_due = date(2026, 5, 3)
        program = self.make_program("insurance")
        old = self.generate(program, date(2026, 5, 1))
        self.vehicle.dealer_insurance_due = date(2026, 5, 8)
        reminders = self.generate(program, date(2026, 5, 2))
        self.assertEqual(reminders, old, "one reminder per renewal")
        self.assertEqual((old.state, old.reason_code, old.due_date), ("planned", "moved", date(2026, 5, 8)))

    def test_a_date_gone_or_far_away_cancels_the_planned_reminder(self):
        self.vehicle.dealer_insurance_due = date(2026, 5, 3)
        program = self.make_program("insurance")
        old = self.generate(program, date(2026, 5, 1))
        self.vehicle.dealer_insurance_due = False
        self.generate(program, date(2026, 5, 2))
        self.assertEqual((old.state, old.reason_code), ("cancelled", "outdated"))


@tagged("post_install", "-at_install")
class TestGenerationIdempotence(ReminderCase):
    def test_rerun_creates_nothing(self):
        self.vehicle.dealer_insurance_due = date(2026, 5, 3)
        program = self.make_program("insurance")
        self.assertEqual(program._dealer_generate_reminders(today=date(2026, 5, 1)), 1)
        self.assertEqual(program._dealer_generate_reminders(today=date(2026, 5, 1)), 0)
        self.assertEqual(program._dealer_generate_reminders(today=date(2026, 5, 2)), 0)
        self.assertEqual(len(program.reminder_ids), 1)

    def test_a_done_reminder_is_not_planned_again(self):
        self.vehicle.dealer_insurance_due = date(2026, 5, 3)
        program = self.make_program("insurance")
        program._dealer_generate_reminders(today=date(2026, 5, 1))
        program.reminder_ids._dealer_mark_sent()
        self.assertEqual(program._dealer_generate_reminders(today=date(2026, 5, 2)), 0)

    def test_a_failing_program_does_not_stop_the_others(self):
        self.vehicle.dealer_insurance_due = today = date.today()
        broken = self.make_program("insurance", lead_days=0)
        working = self.make_program("insurance", lead_days=0, name="Working")
        # A filter that became invalid after it was saved, e.g. a field removed by an uninstall.
        self.env.cr.execute(
            "UPDATE dealer_loyalty_program SET partner_domain = %s WHERE id = %s",
            ("[('gone_field', '=', 1)]", broken.id),
        )
        broken.invalidate_recordset()
        with self.assertLogs("odoo.addons.dealer_loyalty.models.dealer_loyalty_program_generation", "ERROR"):
            self.Program.search([("id", "in", (broken | working).ids)])._cron_dealer_run_programs()
        self.assertFalse(broken.reminder_ids)
        self.assertEqual(working.reminder_ids.due_date, today)


@tagged("post_install", "-at_install")
class TestConcurrentGeneration(ReminderCase):
    """Two runs at once, on two real database connections, create each reminder once."""

    def test_two_overlapping_runs(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        setup_cr = db.cursor()
        setup_env = api.Environment(setup_cr, SUPERUSER_ID, {"tracking_disable": True})
        partner = setup_env["res.partner"].create({"name": "Concurrent Customer"})
        brand = setup_env["fleet.vehicle.model.brand"].create({"name": "Racebrand"})
        model = setup_env["fleet.vehicle.model"].create({"name": "Racer", "brand_id": brand.id})
        vehicle = setup_env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "RACE001",
                "dealer_owner_id": partner.id,
                "dealer_insurance_due": date(2026, 5, 3),
            }
        )
        program = setup_env["dealer.loyalty.program"].create(
            {"name": "Race", "program_type": "insurance", "lead_days": 10, "catch_up_days": 0}
        )
        setup_cr.commit()

        def cleanup():
            setup_env["dealer.loyalty.reminder"].search([("program_id", "=", program.id)]).unlink()
            program.unlink()
            vehicle.unlink()
            model.unlink()
            brand.unlink()
            partner.unlink()
            setup_cr.commit()
            setup_cr.close()

        self.addCleanup(cleanup)
        created = {}

        def run(name, env):
            try:
                created[name] = (
                    env["dealer.loyalty.program"]
                    .browse(program.id)
                    ._dealer_generate_reminders(today=date(2026, 5, 1))
                )
            except psycopg2.errors.SerializationFailure:
                # Under Odoo's repeatable-read isolation the later run may be refused instead.
                created[name] = 0
                env.cr.rollback()

        with db.cursor() as first_cr, db.cursor() as second_cr, mute_logger("odoo.sql_db"):
            # Environments are made here: the thread must not wait for the
            # registry lock that the test runner may hold.
            first_env = api.Environment(first_cr, SUPERUSER_ID, {})
            second_env = api.Environment(second_cr, SUPERUSER_ID, {})
            run("first", first_env)  # inserted, not yet committed
            second = threading.Thread(target=run, args=("second", second_env))
            second.start()
            second.join(timeout=2)
            self.assertTrue(second.is_alive(), "the second run waits for the first one's commit")
            first_cr.commit()
            second.join(timeout=30)
            second_cr.commit()
        self.assertEqual(created, {"first": 1, "second": 0})
        setup_cr.execute("SELECT count(*) FROM dealer_loyalty_reminder WHERE program_id = %s", [program.id])
        self.assertEqual(setup_cr.fetchone()[0], 1)
