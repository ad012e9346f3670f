# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .test_reminder_generation import ReminderCase
from .test_reminder_processing import ProcessingCase


@tagged("post_install", "-at_install")
class TestWhatStaffMayChange(ProcessingCase):
    """What the external API lets each user do to a reminder: only what its buttons do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, login="api_call_agent", groups="dealer_loyalty.dealer_loyalty_group_user"
        )
        cls.customer.dealer_preferred_channel = "phone"
        cls.program = cls.standard_program("insurance")

    def test_staff_log_calls_through_the_buttons_only(self):
        call = self.run_program(self.program)
        self.assertEqual((call.state, call.channel), ("to_do", "phone"))
        other_visit = self.make_visit(self.today - timedelta(days=3), odometer=800)
        as_agent = call.with_user(self.agent)
        for forged in (
            {"call_outcome": "reached"},
            {"attempt_count": 0},
            {"visit_id": other_visit.id},
            {"program_type": "welcome"},
            {"is_productive": True},
            {"is_booked": True},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                as_agent.write(forged)
        self.assertFalse(call.is_productive)
        # The buttons still do it for the agent.
        as_agent.action_call_no_answer()
        self.assertEqual((call.state, call.attempt_count, call.call_outcome), ("to_do", 1, "no_answer"))
        self.assertEqual(call.call_date, self.today + timedelta(days=self.company.dealer_call_retry_days))
        as_agent.action_call_reached()
        self.assertEqual((call.state, call.attempt_count, call.is_productive), ("done", 2, True))

    def test_users_outside_the_app_reach_no_reminder(self):
        call = self.run_program(self.program)
        employee = new_test_user(self.env, login="api_plain_employee", groups="base.group_user")
        portal = new_test_user(self.env, login="api_portal_customer", groups="base.group_portal")
        for user in (employee, portal):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    call.with_user(user).read(["state"])
                with self.assertRaises(AccessError):
                    call.with_user(user).action_call_reached()
                with self.assertRaises(AccessError):
                    self.Reminder.with_user(user).create(
                        {
                            "program_id": self.program.id,
                            "company_id": self.company.id,
                            "partner_id": self.customer.id,
                            "due_date": self.today,
                            "scheduled_date": self.today,
                            "channel": "email",
                        }
                    )
        self.assertEqual(call.state, "to_do")

    def test_a_manager_plans_nothing_for_another_companys_customer(self):
        other = self.env["res.company"].create({"name": "Other Motors"})
        stranger = self.env["res.partner"].create(
            {"name": "Other Customer", "email": "other@example.com", "company_id": other.id}
        )
        manager = new_test_user(
            self.env,
            login="api_manager_one_company",
            groups="dealer_loyalty.dealer_loyalty_group_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        with self.assertRaises(UserError):
            self.Reminder.with_user(manager).create(
                {
                    "program_id": self.program.id,
                    "company_id": self.company.id,
                    "partner_id": stranger.id,
                    "due_date": self.today,
                    "scheduled_date": self.today,
                    "channel": "email",
                }
            )

    def test_a_handed_over_reminder_is_not_planned_or_cancelled_again(self):
        """The mailing house contacts the customer: Odoo must not contact them a second time."""
        self.customer.dealer_preferred_channel = "email"
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=11)
        self.program._dealer_generate_reminders(today=self.today)
        reminder = self.mine(self.program)
        self.assertEqual(reminder._dealer_hand_over("email"), reminder)
        self.assertEqual(reminder.state, "exported")
        with self.assertRaises(UserError):
            reminder.action_replan()
        with self.assertRaises(UserError):
            reminder.action_cancel()
        self.assertEqual(reminder.state, "exported")

    def test_only_managers_hand_reminders_over(self):
        """Exporting a list hands its reminders over: Odoo stops sending them, so it is sending."""
        self.customer.dealer_preferred_channel = "email"
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=11)
        self.program._dealer_generate_reminders(today=self.today)
        reminder = self.mine(self.program)
        wizard = (
            self.env["dealer.loyalty.channel.export"]
            .with_user(self.agent)
            .create(
                {
                    "channel": "email",
                    "program_ids": [(6, 0, self.program.ids)],
                    "date_from": self.today,
                    "date_to": self.today + timedelta(days=1),
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_export()
        self.assertEqual(reminder.state, "planned")

    def test_a_call_on_the_list_is_not_planned_again(self):
        call = self.run_program(self.program)
        with self.assertRaises(UserError):
            call.action_replan()
        self.Reminder._dealer_process_due(programs=self.program, today=self.today)
        self.assertEqual((call.state, len(call.activity_ids)), ("to_do", 1), "one call task, not two")


@tagged("post_install", "-at_install")
class TestProgramSettingLimits(ReminderCase):
    """Absurd days on a program are refused when saved, not discovered by the overview or the job."""

    def test_days_beyond_ten_years_are_refused(self):
        program = self.make_program("insurance")
        for fname in ("lead_days", "delay_days", "catch_up_days"):
            with (
                self.subTest(fname=fname),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.env.cr.savepoint(),
            ):
                program.write({fname: 10_000_000})
                program.flush_recordset()

    def test_a_custom_program_is_due_on_a_date_of_the_customer_or_the_vehicle_only(self):
        """The field list offers only those; over the API any field could be given, and the overview
        of every program then failed on a column the customers do not have."""
        Fields = self.env["ir.model.fields"]
        for model, fname in (("mail.activity", "date_deadline"), ("res.partner", "name")):
            with self.subTest(field=fname), self.assertRaises(ValidationError):
                self.make_program("custom", custom_date_field_id=Fields._get(model, fname).id)
        program = self.make_program(
            "custom", custom_date_field_id=Fields._get("res.partner", "dealer_birthday").id
        )
        self.assertIsInstance(program.reminder_due_this_month, int)

    def test_long_but_real_settings_work_everywhere(self):
        self.vehicle.dealer_insurance_due = date(2026, 5, 3)
        program = self.make_program("insurance", lead_days=3650, delay_days=3650, catch_up_days=3650)
        self.assertEqual(len(self.generate(program, date(2026, 5, 1))), 1)
        self.assertIsInstance(program.reminder_due_this_month, int)
        self.assertTrue(program.next_contact_date)

    def test_company_days_beyond_ten_years_are_refused(self):
        """One absurd setting would stop the hourly job of every company (dates off the calendar)."""
        for fname in (
            "dealer_reminder_lead_days",
            "dealer_contact_min_gap_days",
            "dealer_contact_pause_days",
            "dealer_contact_max_postpone_days",
            "dealer_call_retry_days",
            "dealer_call_expiry_days",
            "dealer_booking_link_days",
            "dealer_booking_horizon_days",
        ):
            with (
                self.subTest(fname=fname),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.env.cr.savepoint(),
            ):
                self.company.write({fname: 1_000_000})
                self.company.flush_recordset()

    def test_company_months_beyond_a_century_are_refused_in_words(self):
        """Segments and service dates are worked out as soon as these are saved: a date thousands of
        years away failed there with Python's own overflow, before any check could say why."""
        before = (self.company.dealer_lost_after_months, self.company.dealer_service_interval_months)
        for fname in (
            "dealer_regular_period_months",
            "dealer_lost_after_months",
            "dealer_service_interval_months",
            "dealer_first_service_months",
        ):
            with (
                self.subTest(fname=fname),
                self.assertRaisesRegex(ValidationError, "periods in months go up to 1200"),
                self.env.cr.savepoint(),
            ):
                self.company.write({fname: 10_000_000})
        self.assertEqual(
            (self.company.dealer_lost_after_months, self.company.dealer_service_interval_months), before
        )
        self.company.dealer_lost_after_months = 1200
        self.assertEqual(self.company.dealer_lost_after_months, 1200)


@tagged("post_install", "-at_install")
class TestRemindersMadeByHand(ReminderCase):
    def test_a_second_reminder_of_the_same_touch_is_refused_in_words(self):
        """The unique index keeps runs from reminding twice; a manager making the same reminder by
        hand over the API got the database's text, with the index name and the key values."""
        manager = new_test_user(
            self.env, login="hand_manager", groups="dealer_loyalty.dealer_loyalty_group_manager"
        )
        self.vehicle.dealer_insurance_due = date(2026, 5, 3)
        program = self.make_program("insurance")
        planned = self.generate(program, date(2026, 5, 1))
        self.assertEqual(len(planned), 1)
        Reminder = self.env["dealer.loyalty.reminder"].with_user(manager)
        same = {
            "program_id": program.id,
            "partner_id": planned.partner_id.id,
            "vehicle_id": planned.vehicle_id.id,
            "due_date": planned.due_date,
            "scheduled_date": planned.scheduled_date,
            "channel": planned.channel,
            "company_id": planned.company_id.id,
        }
        with self.assertRaisesRegex(UserError, "already has a reminder of this program"):
            Reminder.create(same)
        other = Reminder.create({**same, "due_date": planned.due_date + timedelta(days=30)})
        with self.assertRaisesRegex(UserError, "already has a reminder of this program"):
            other.write({"due_date": planned.due_date})
        self.assertEqual(other.due_date, planned.due_date + timedelta(days=30))
        self.assertEqual(len(program.reminder_ids), 2)
