# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo.modules.migration import load_script
from odoo.tests import tagged

from .test_reminder_generation import ReminderCase
from .test_reminder_processing import ProcessingCase


@tagged("post_install", "-at_install")
class TestCorrectedBeforeTheSendDay(ProcessingCase):
    """The data changes between the day a reminder is planned and the day it goes out:
    the customer hears only what is still true of them."""

    def plan_for_tomorrow(self, program):
        """Plan the program's reminders today so that they go out tomorrow; returns them."""
        program._dealer_generate_reminders(today=self.today)
        reminders = self.mine(program)
        self.assertEqual(reminders.mapped("state"), ["planned"])
        self.assertEqual(reminders.mapped("scheduled_date"), [self.today + timedelta(days=1)])
        return reminders

    def run_tomorrow(self, program):
        """The hourly job of tomorrow: plan, then send what is due."""
        tomorrow = self.today + timedelta(days=1)
        with self.mock_mail_gateway():
            program._dealer_generate_reminders(today=tomorrow)
            self.Reminder._dealer_process_due(programs=program, today=tomorrow)

    def mails_to(self, partner):
        return self.env["mail.mail"].sudo().search([("recipient_ids", "in", partner.ids)])

    def test_a_car_sold_before_send_now_is_not_written_about_to_its_former_owner(self):
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=4)
        program = self.standard_program("insurance", lead_days=3)
        reminder = self.plan_for_tomorrow(program)
        buyer = self.env["res.partner"].create({"name": "Mari Maasikas", "email": "mari@example.com"})
        self.env["dealer.vehicle.change.owner"].create(
            {"vehicle_id": self.vehicle.id, "new_owner_id": buyer.id}
        ).action_confirm()
        with self.mock_mail_gateway():
            reminder.action_send_now()
        self.assertEqual((reminder.state, reminder.reason_code), ("cancelled", "outdated"))
        self.assertFalse(self.mails_to(self.customer))

    def test_a_call_on_the_list_about_a_car_since_sold_leaves_the_list(self):
        self.customer.dealer_preferred_channel = "phone"
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=4)
        program = self.standard_program("insurance", lead_days=3)
        reminder = self.plan_for_tomorrow(program)
        # Tomorrow's calls are on today's list.
        self.Reminder._dealer_process_due(programs=program, today=self.today)
        self.assertEqual((reminder.state, len(reminder.activity_ids)), ("to_do", 1))
        self.vehicle.dealer_owner_id = self.env["res.partner"].create({"name": "Mari Maasikas"})
        program._dealer_generate_reminders(today=self.today)
        self.assertEqual((reminder.state, reminder.reason_code), ("cancelled", "outdated"))
        self.assertFalse(reminder.activity_ids, "off the agent's call list")

    def test_an_archived_customer_gets_nothing_more(self):
        self.customer.dealer_birthday = (self.today + timedelta(days=2)).replace(year=1984)
        program = self.standard_program("birthday", lead_days=1)
        reminder = self.plan_for_tomorrow(program)
        self.customer.active = False
        self.run_tomorrow(program)
        self.assertEqual((reminder.state, reminder.reason_code), ("cancelled", "outdated"))
        self.assertFalse(self.mails_to(self.customer))

    def test_a_customer_who_came_back_gets_no_win_back(self):
        program = self.standard_program("win_back", lead_days=5)
        months = self.company.dealer_lost_after_months
        self.make_visit(self.today + timedelta(days=6) - relativedelta(months=months), odometer=1000)
        reminder = self.plan_for_tomorrow(program)
        self.make_visit(self.today, odometer=9000)
        self.run_tomorrow(program)
        self.assertEqual((reminder.state, reminder.reason_code), ("cancelled", "outdated"))
        self.assertFalse(self.mails_to(self.customer))

    def test_no_thanks_for_a_visit_the_dms_cancelled(self):
        program = self.standard_program("thank_you", lead_days=1, delay_days=2)
        visit = self.make_visit(self.today, odometer=1000)
        reminder = self.plan_for_tomorrow(program)
        visit.action_cancel()
        self.run_tomorrow(program)
        self.assertEqual((reminder.state, reminder.reason_code), ("cancelled", "outdated"))
        self.assertFalse(self.mails_to(self.customer))

    def test_the_email_speaks_the_customers_language_as_sent(self):
        """Core renders a template with its records in the customer's language; so must the batch."""
        self.env["res.lang"]._activate_lang("et_EE")
        madam = self.env.ref("base.res_partner_title_madam")
        madam.update_field_translations("shortcut", {"et_EE": "Pr."})
        self.customer.write({"name": "Anna Tamm", "title": madam.id, "lang": "et_EE"})
        self.vehicle.odometer = 42000
        template = self.env.ref("dealer_loyalty.mail_template_reminder_insurance").copy(
            {
                "body_html": '<p>Dear <t t-out="object.customer_salutation"/>: '
                '<t t-out="object.odometer_text"/> km</p>'
            }
        )
        program = self.standard_program("insurance", mail_template_id=template.id)
        with self.mock_mail_gateway():
            reminder = self.run_program(program)
        self.assertEqual(reminder.state, "done")
        body = self.mails_to(self.customer).body_html.replace("\xa0", " ")
        self.assertIn("42 000 km", body)
        self.assertIn("Dear Pr. Tamm", body)

    def test_an_email_address_that_cannot_be_used_falls_back_to_sms(self):
        """Nothing would leave for an address without @: the reminder must not say it was sent."""
        self.customer.email = "ivan.example.com"
        program = self.standard_program("insurance")
        with self.mock_mail_gateway():
            reminder = self.run_program(program)
        self.assertEqual((reminder.state, reminder.channel), ("done", "sms"))
        self.assertFalse(self.mails_to(self.customer))


@tagged("post_install", "-at_install")
class TestFirstServiceDone(ReminderCase):
    """A new car's first service, done early: no reminder of it afterwards."""

    def test_no_first_service_reminder_once_it_was_done(self):
        # Handover 10 January: the first service is due on 10 July.
        program = self.make_program("first_service", lead_days=30)
        self.make_visit(date(2026, 6, 1), odometer=1200)
        self.assertFalse(self.generate(program, date(2026, 6, 20)))

    def test_cars_serviced_before_the_upgrade_lose_their_first_service_due_date(self):
        self.make_visit(date(2026, 6, 1), odometer=1200)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE fleet_vehicle SET dealer_first_service_due = '2026-07-10' WHERE id = %s",
            [self.vehicle.id],
        )
        migration = load_script("dealer_loyalty/migrations/18.0.1.3.0/post-migrate.py", "dealer_loyalty")
        migration.migrate(self.env.cr, "18.0.1.2.0")
        self.vehicle.invalidate_recordset(["dealer_first_service_due"])
        self.assertFalse(self.vehicle.dealer_first_service_due)

    def test_a_planned_first_service_reminder_is_cancelled_by_the_visit(self):
        program = self.make_program("first_service", lead_days=30)
        reminder = self.generate(program, date(2026, 6, 15))
        self.assertEqual(reminder.due_date, date(2026, 7, 10))
        self.make_visit(date(2026, 6, 16), odometer=1200)
        self.generate(program, date(2026, 6, 17))
        self.assertEqual((reminder.state, reminder.reason_code), ("cancelled", "outdated"))


@tagged("post_install", "-at_install")
class TestMergedCustomers(ProcessingCase):
    """Duplicates of one customer merged into one (Odoo's merge wizard): one history, one of each reminder."""

    def test_merging_duplicates_keeps_the_reminders_history(self):
        program = self.standard_program("insurance")
        duplicate = self.customer.copy({"name": "Ivan Ivanov", "email": "ivan@example.com"})
        last_year = self.today - timedelta(days=365)

        def sent(partner, due_date, state="done"):
            return self.Reminder.create(
                {
                    "program_id": program.id,
                    "company_id": self.company.id,
                    "partner_id": partner.id,
                    "due_date": due_date,
                    "scheduled_date": due_date,
                    "channel": "email",
                    "state": state,
                    "sent_date": due_date if state == "done" else False,
                }
            )

        kept = sent(self.customer, self.today)
        sent(duplicate, self.today)  # the same message, sent to both duplicates
        history = sent(duplicate, last_year)
        # Sent to the duplicate, still planned for the other: the customer has it already.
        sent(self.customer, self.today + timedelta(days=30), state="planned")
        reached = sent(duplicate, self.today + timedelta(days=30))
        self.env["base.partner.merge.automatic.wizard"].create(
            {"partner_ids": [(6, 0, (self.customer | duplicate).ids)], "dst_partner_id": self.customer.id}
        ).action_merge()
        self.assertFalse(duplicate.exists())
        reminders = self.Reminder.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(reminders, kept | history | reached, "one reminder per due date, last year's kept")
        self.assertEqual(set(reminders.mapped("state")), {"done"})
