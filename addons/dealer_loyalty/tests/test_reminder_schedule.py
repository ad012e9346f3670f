# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_reminder_processing import ProcessingCase


@tagged("post_install", "-at_install")
class TestCallsADayAheadAndCompanyClocks(ProcessingCase):
    """Calls are on the agent's list the day before; messages leave on the dealership's clock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "dealer_contact_min_gap_days": 0,
                "dealer_timezone": "Europe/Tallinn",
                "dealer_send_from": 9.0,
                "dealer_send_until": 20.0,
            }
        )
        # The job serves every company; only the test's own programs may run.
        cls.env["dealer.loyalty.program"].search([]).active = False

    def insurance_program(self, channel):
        self.customer.dealer_preferred_channel = channel
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=11)
        return self.standard_program("insurance", lead_days=10)

    def test_tomorrows_call_is_on_todays_list_with_tomorrows_date(self):
        program = self.insurance_program("phone")
        program._dealer_generate_reminders(today=self.today)
        reminder = self.mine(program)
        self.assertEqual(reminder.scheduled_date, self.today + timedelta(days=1))
        self.Reminder._dealer_process_due(programs=program, today=self.today)
        tomorrow = self.today + timedelta(days=1)
        self.assertEqual((reminder.state, reminder.call_date), ("to_do", tomorrow))
        self.assertEqual(reminder.activity_ids.date_deadline, tomorrow)
        calls = self.env["dealer.loyalty.reminder"].search(
            [("channel", "=", "phone"), ("state", "=", "to_do"), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(calls, reminder, "the agent sees tomorrow's call on the list today")

    def test_tomorrows_email_waits_for_its_day(self):
        program = self.insurance_program("email")
        program._dealer_generate_reminders(today=self.today)
        self.Reminder._dealer_process_due(programs=program, today=self.today)
        self.assertEqual(self.mine(program).state, "planned")

    def test_emails_wait_outside_sending_hours_and_leave_at_nine_local_time(self):
        program = self.insurance_program("email")
        job = self.env["dealer.loyalty.program"]
        # 06:30 UTC is 08:30 in Tallinn in winter: before the dealership's sending hours.
        with freeze_time(datetime(2026, 12, 2, 6, 30)):
            self.vehicle.dealer_insurance_due = datetime(2026, 12, 12).date()
            job._cron_dealer_run_programs()
            reminder = self.mine(program)
            self.assertEqual((reminder.state, str(reminder.scheduled_date)), ("planned", "2026-12-02"))
        with freeze_time(datetime(2026, 12, 2, 7, 5)):  # 09:05 in Tallinn
            job._cron_dealer_run_programs()
            self.assertEqual((reminder.state, str(reminder.sent_date)), ("done", "2026-12-02"))
        with freeze_time(datetime(2026, 12, 2, 18, 30)):  # 20:30 in Tallinn: quiet again
            self.vehicle.dealer_inspection_due = datetime(2026, 12, 12).date()
            inspection = self.standard_program("inspection", lead_days=10)
            job._cron_dealer_run_programs()
            self.assertEqual(self.mine(inspection).state, "planned")

    def test_run_now_in_quiet_hours_plans_and_leaves_the_messages_for_the_morning(self):
        """A manager working late runs a program: the customers' phones stay quiet until nine."""
        program = self.insurance_program("sms")
        with freeze_time(datetime(2026, 12, 2, 20, 30)):  # 22:30 in Tallinn
            self.vehicle.dealer_insurance_due = datetime(2026, 12, 12).date()
            program.action_run_now()
            reminder = self.mine(program)
            self.assertEqual((reminder.state, str(reminder.scheduled_date)), ("planned", "2026-12-02"))
        self.assertFalse(self.env["sms.sms"].sudo().search([("partner_id", "=", self.customer.id)]))
        with freeze_time(datetime(2026, 12, 2, 22, 30)):  # 00:30 on 3 December in Tallinn
            self.vehicle.dealer_inspection_due = datetime(2026, 12, 13).date()
            inspection = self.standard_program("inspection", lead_days=10)
            inspection.action_run_now()
            self.assertEqual(str(self.mine(inspection).scheduled_date), "2026-12-03", "the dealership's day")

    def test_a_message_is_sent_on_the_dealerships_day(self):
        """17:00 in Vancouver is already tomorrow in UTC: the reminder says it left today."""
        self.company.dealer_timezone = "America/Vancouver"
        program = self.insurance_program("email")
        with freeze_time(datetime(2026, 12, 3, 1, 0)):  # 17:00 on 2 December in Vancouver
            self.vehicle.dealer_insurance_due = datetime(2026, 12, 12).date()
            self.env["dealer.loyalty.program"]._cron_dealer_run_programs()
        self.assertEqual(
            (self.mine(program).state, str(self.mine(program).sent_date)), ("done", "2026-12-02")
        )

    def test_a_call_due_today_goes_on_the_list_even_in_quiet_hours(self):
        program = self.insurance_program("phone")
        with freeze_time(datetime(2026, 12, 2, 3, 0)):  # 05:00 in Tallinn
            self.vehicle.dealer_insurance_due = datetime(2026, 12, 12).date()
            self.env["dealer.loyalty.program"]._cron_dealer_run_programs()
            reminder = self.mine(program)
            self.assertEqual((reminder.state, str(reminder.call_date)), ("to_do", "2026-12-02"))

    def test_the_dealerships_day_is_its_own_not_utcs(self):
        self.company.dealer_timezone = "Asia/Shanghai"
        # 23:30 UTC on 1 December is 07:30 on 2 December in Shanghai.
        with freeze_time(datetime(2026, 12, 1, 23, 30)):
            local = self.company._dealer_local_now()
            self.assertEqual((local.date().day, local.hour), (2, 7))
            self.assertFalse(self.company._dealer_within_sending_hours(local))
        with freeze_time(datetime(2026, 12, 2, 1, 0)):  # 09:00 in Shanghai
            self.assertTrue(self.company._dealer_within_sending_hours(self.company._dealer_local_now()))

    def test_sending_hours_must_make_sense(self):
        with self.assertRaisesRegex(ValidationError, "Sending hours run"):
            self.company.write({"dealer_send_from": 21.0, "dealer_send_until": 8.0})


@tagged("post_install", "-at_install")
class TestOverviewForecast(ProcessingCase):
    """The overview counts what is coming, not only what is already planned."""

    @freeze_time("2026-12-10 10:00")
    def test_a_due_date_next_month_counts_before_it_is_planned(self):
        program = self.standard_program("inspection", lead_days=10)
        self.vehicle.dealer_inspection_due = date(2027, 1, 11)
        self.assertFalse(self.mine(program))
        self.assertEqual(
            (program.reminder_due_this_month, program.reminder_due_next_month, program.next_contact_date),
            (0, 1, date(2027, 1, 1)),
        )
        program._dealer_generate_reminders(today=date(2026, 12, 31))
        self.assertTrue(self.mine(program))
        program.invalidate_recordset()
        self.assertEqual(program.reminder_due_next_month, 1, "planned, it is counted once")

    def test_contacted_and_came_back_this_month(self):
        program = self.standard_program("insurance", lead_days=10)
        with freeze_time("2026-12-02 10:00"):
            self.vehicle.dealer_insurance_due = date(2026, 12, 12)
            program._dealer_generate_reminders(today=date(2026, 12, 2))
            self.Reminder._dealer_process_due(programs=program, today=date(2026, 12, 2))
            reminder = self.mine(program)
            self.assertEqual((reminder.state, reminder.sent_date), ("done", date(2026, 12, 2)))
        with freeze_time("2026-12-20 10:00"):
            self.make_visit(date(2026, 12, 15), odometer=5000)
            self.env.flush_all()
            program.invalidate_recordset()
            self.assertEqual((program.sent_this_month, program.came_back_this_month), (1, 1))
            self.assertIn("1 contacted, 1 came back", program.trend_html)
