# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

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


@tagged("post_install", "-at_install")
class TestFirstServiceDone(ReminderCase):
    """A new car's first service, done early: no reminder of it afterwards."""
