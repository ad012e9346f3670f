# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date, timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.mail.tests.common import MailCase
from odoo.addons.sms.tests.common import SMSCase

from .test_reminder_generation import ReminderCase


class ProcessingCase(ReminderCase, MailCase, SMSCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.Reminder)
        cls.customer.write(
            {
                "dealer_segment": "active",
                "mobile": "+32456001122",
                "dealer_consent_email": True,
                "dealer_consent_sms": True,
                "dealer_preferred_channel": "email",
            }
        )
        cls.vehicle.dealer_insurance_due = cls.today + timedelta(days=5)
        # The demo data's reminders would be processed along with the tests' ones.
        cls.Reminder.search([]).unlink()

    @classmethod
    def standard_program(cls, key, **values):
        """One of the shipped programs, running, with test-friendly windows."""
        program = cls.env.ref(f"dealer_loyalty.dealer_loyalty_program_{key}")
        program.write(
            {
                "active": True,
                "user_id": cls.env.user.id,
                "lead_days": 10,
                "catch_up_days": 0,
                "partner_domain": cls.test_audience(),
                **values,
            }
        )
        return program

    def run_program(self, program):
        program._dealer_generate_reminders(today=self.today)
        self.Reminder._dealer_process_due(programs=program, today=self.today)
        return self.mine(program)

    def mine(self, program):
        """The program's reminders for the test's customers (not the demo data's)."""
        return program.reminder_ids.filtered(lambda reminder: reminder.partner_id.id >= self.customer.id)


@tagged("post_install", "-at_install")
class TestChannels(ProcessingCase):
    def test_email_is_queued_and_sent_with_placeholders(self):
        program = self.standard_program("insurance")
        with self.mock_mail_gateway():
            reminder = self.run_program(program)
            self.assertEqual(
                (reminder.state, reminder.channel, reminder.sent_date), ("done", "email", self.today)
            )
            mail = self.env["mail.mail"].search(
                [("model", "=", reminder._name), ("res_id", "=", reminder.id)]
            )
            self.assertEqual(mail.recipient_ids, self.customer)
            self.assertEqual(mail.state, "outgoing", "queued for Odoo's mail queue")
            mail.send()
        sent = next(mail for mail in self._mails if "ivan@example.com" in mail["email_to"][0])
        self.assertIn("ivan@example.com", sent["email_to"][0])
        self.assertIn("Dear Ivan Ivanov", sent["body"])
        self.assertIn("123ABC", sent["body"])
        self.assertEqual(reminder.sent_message_id, mail.mail_message_id)

    def test_sms_is_queued_and_sent_through_the_gateway(self):
        self.customer.dealer_preferred_channel = "sms"
        program = self.standard_program("insurance")
        reminder = self.run_program(program)
        self.assertEqual((reminder.state, reminder.channel), ("done", "sms"))
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sms.state, "outgoing")
        self.assertIn("123ABC", sms.body)
        self.assertEqual(reminder.sent_message_id.message_type, "sms")
        with self.mockSMSGateway():
            sms._send()
        self.assertSMSIapSent(["+32456001122"], content="123ABC")

    def test_sms_to_a_number_that_cannot_be_dialled_fails_with_the_reason(self):
        """Odoo's mass SMS checks the number; the reminder says why nothing went out."""
        self.customer.write({"dealer_preferred_channel": "sms", "mobile": "12", "phone": False})
        reminder = self.run_program(self.standard_program("insurance"))
        self.assertEqual((reminder.state, reminder.reason_code), ("failed", "send_error"))
        self.assertEqual(reminder.reason, "Wrong Number Format")
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.customer.id)])
        self.assertEqual((sms.state, sms.failure_type), ("canceled", "sms_number_format"))

    def test_marketing_needs_consent_and_blacklists_always_win(self):
        program = self.standard_program("birthday", lead_days=0)
        no_consent = self.env["res.partner"].create(
            {
                "name": "No Consent",
                "email": "nc@example.com",
                "dealer_segment": "active",
                "dealer_birthday": self.today.replace(year=1984),
                "dealer_preferred_channel": "email",
            }
        )
        blacklisted = no_consent.copy(
            {
                "name": "Blacklisted",
                "email": "bl@example.com",
                "dealer_consent_email": True,
                "dealer_segment": "active",
            }
        )
        blacklisted.write(
            {"dealer_birthday": no_consent.dealer_birthday, "dealer_preferred_channel": "email"}
        )
        self.env["mail.blacklist"].sudo()._add("bl@example.com")
        reminders = self.run_program(program)
        by_partner = {reminder.partner_id: reminder for reminder in reminders}
        self.assertEqual(by_partner[no_consent].state, "skipped")
        self.assertEqual(by_partner[no_consent].reason_code, "no_consent")
        self.assertEqual(by_partner[no_consent].reason, "No marketing consent for E-mail.")
        self.assertEqual(by_partner[blacklisted].reason_code, "blacklisted")
        self.assertEqual(by_partner[blacklisted].channel, "email", "no way round the customer's own no")

    def test_missing_address_falls_back_to_the_next_channel(self):
        self.customer.email = False
        program = self.standard_program("insurance")
        reminder = self.run_program(program)
        self.assertEqual((reminder.state, reminder.channel), ("done", "sms"))

    def test_no_usable_channel_is_skipped_with_the_reason(self):
        self.customer.write({"email": False, "mobile": False, "phone": False})
        program = self.standard_program("insurance")
        reminder = self.run_program(program)
        self.assertEqual((reminder.state, reminder.reason_code), ("skipped", "no_address"))
        self.assertEqual(reminder.reason, "No contact data for E-mail, SMS, Letter, Phone.")
        # The customer's card shows it: nobody has to wonder why the customer got nothing.
        self.assertEqual(self.customer.dealer_reminder_count, 1)
        action = self.customer.action_dealer_open_reminders()
        self.assertEqual(self.Reminder.search(action["domain"]), reminder)

    def test_a_failing_template_does_not_stop_the_batch(self):
        template = self.env.ref("dealer_loyalty.mail_template_reminder_insurance").copy(
            {
                "body_html": "<p>Hello <t t-out=\"1 / 0 if object.partner_id.name == 'Broken' else 'you'\"/></p>"
            }
        )
        program = self.standard_program("insurance", mail_template_id=template.id)
        broken = self.customer.copy({"name": "Broken", "email": "broken@example.com"})
        self.vehicle.copy(
            {
                "license_plate": "BRK001",
                "vin_sn": False,
                "dealer_owner_id": broken.id,
                "dealer_insurance_due": self.vehicle.dealer_insurance_due,
            }
        )
        reminders = self.run_program(program)
        failed = reminders.filtered(lambda reminder: reminder.partner_id == broken)
        self.assertEqual((failed.state, failed.reason_code), ("failed", "send_error"))
        self.assertIn("Could not be sent", failed.reason)
        self.assertEqual((reminders - failed).mapped("state"), ["done"])

    def test_letters_print_as_one_pdf_with_the_address(self):
        self.customer.write(
            {"dealer_preferred_channel": "letter", "street": "Narva mnt 5", "zip": "10117", "city": "Tallinn"}
        )
        program = self.standard_program("insurance")
        reminder = self.run_program(program)
        self.assertEqual((reminder.state, reminder.channel), ("to_do", "letter"))
        self.assertEqual(program.letter_to_print_count, 1)
        action = program.action_print_letters()
        self.assertEqual(action["report_name"], "dealer_loyalty.report_reminder_letter")
        self.assertEqual(reminder.state, "done", "printed letters count as sent")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("dealer_loyalty.action_report_dealer_reminder_letter", reminder.ids)[0]
            .decode()
        )
        for expected in ("Ivan Ivanov", "Narva mnt 5", "Tallinn", "123ABC", "Dear Ivan Ivanov"):
            self.assertIn(expected, html)
        with self.assertRaises(UserError):
            program.action_print_letters()

    def test_channel_list_exports_to_excel(self):
        self.customer.write(
            {"dealer_preferred_channel": "letter", "street": "Narva mnt 5", "city": "Tallinn"}
        )
        program = self.standard_program("insurance")
        self.run_program(program)
        wizard = self.env["dealer.loyalty.channel.export"].create(
            {
                "channel": "letter",
                "program_ids": [(6, 0, program.ids)],
                "date_from": self.today,
                "date_to": self.today,
            }
        )
        self.assertEqual(wizard.reminder_count, 1)
        wizard.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("Program", "Contact On", "Title", "Customer"))
        self.assertIn("Street", rows[0])
        self.assertEqual(rows[1][3], "Ivan Ivanov")
        self.assertIn("Narva mnt 5", rows[1])
        self.assertEqual(rows[2][:1] + rows[2][3:4], ("Total", 1))
        empty = wizard.copy({"channel": "sms"})
        with self.assertRaises(UserError):
            empty.action_export()


@tagged("post_install", "-at_install")
class TestContactPressure(ProcessingCase):
    def test_minimum_gap_postpones_then_skips(self):
        self.company.dealer_contact_min_gap_days = 7
        welcome = self.standard_program("insurance")
        earlier = self.Reminder.create(
            {
                "program_id": welcome.id,
                "company_id": self.company.id,
                "partner_id": self.customer.id,
                "due_date": self.today - timedelta(days=30),
                "scheduled_date": self.today - timedelta(days=2),
                "channel": "email",
                "state": "done",
                "sent_date": self.today - timedelta(days=2),
            }
        )
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=8)
        reminder = self.run_program(welcome) - earlier
        self.assertEqual((reminder.state, reminder.reason_code), ("planned", "contact_gap"))
        self.assertEqual(reminder.scheduled_date, self.today + timedelta(days=5))
        self.assertEqual(reminder.reason, "The customer had a message less than 7 days ago.")
        reminder.write({"due_date": self.today + timedelta(days=3), "scheduled_date": self.today})
        self.Reminder._dealer_process_due(today=self.today)
        self.assertEqual(reminder.state, "skipped", "waiting would pass the due date")

    def test_higher_priority_program_goes_first(self):
        self.company.dealer_contact_min_gap_days = 7
        insurance = self.standard_program("insurance", sequence=1)
        self.vehicle.dealer_inspection_due = self.today + timedelta(days=9)
        inspection = self.standard_program("inspection", sequence=2)
        insurance._dealer_generate_reminders(today=self.today)
        inspection._dealer_generate_reminders(today=self.today)
        self.Reminder._dealer_process_due(today=self.today)
        self.assertEqual(self.mine(insurance).state, "done")
        held = self.mine(inspection)
        self.assertEqual((held.state, held.reason_code), ("planned", "priority"))
        self.assertEqual(held.reason, "“Insurance renewal” contacts the customer first.")
        self.assertEqual(held.scheduled_date, self.today + timedelta(days=7))

    def test_pause_after_a_visit_holds_marketing_only(self):
        self.company.dealer_contact_pause_days = 3
        self.make_visit(self.today - timedelta(days=1), odometer=2000)
        self.customer.dealer_birthday = self.today.replace(year=1984)
        birthday = self.standard_program("birthday", lead_days=0)
        insurance = self.standard_program("insurance")
        self.run_program(insurance)
        self.assertEqual(self.mine(insurance).state, "done", "service messages are not marketing")
        reminder = self.run_program(birthday)
        # A greeting is held back, not dropped (at most the days of Settings).
        self.assertEqual((reminder.state, reminder.reason_code), ("planned", "recent_contact"))
        self.assertEqual(reminder.scheduled_date, self.today + timedelta(days=2))


@tagged("post_install", "-at_install")
class TestCalls(ProcessingCase):
    def setUp(self):
        super().setUp()
        self.customer.dealer_preferred_channel = "phone"
        self.company.write(
            {"dealer_call_retry_days": 2, "dealer_call_max_attempts": 3, "dealer_call_expiry_days": 14}
        )
        self.program = self.standard_program("insurance")
        self.call = self.run_program(self.program)

    def test_call_lands_on_the_responsible_call_list(self):
        self.assertEqual(
            (self.call.state, self.call.channel, self.call.call_date), ("to_do", "phone", self.today)
        )
        activity = self.call.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual((activity.user_id, activity.date_deadline), (self.env.user, self.today))
        self.assertIn("Ivan Ivanov", str(activity.note))

    def test_the_call_script_speaks_as_the_caller_not_the_job(self):
        agent = self.env["res.users"].create(
            {
                "name": "Kati Kask",
                "login": "kati.call.agent",
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        self.customer.dealer_preferred_channel = "phone"
        self.vehicle.dealer_warranty_end = self.today + timedelta(days=5)
        program = self.standard_program("warranty", user_id=agent.id)
        program = program.with_user(self.env.ref("base.user_root"))
        call = self.run_program(program)
        self.assertEqual(call.activity_ids.user_id, agent)
        self.assertIn("this is Kati Kask", str(call.activity_ids.note))

    def test_no_answer_retries_then_fails(self):
        self.call.action_call_no_answer()
        self.assertEqual((self.call.state, self.call.attempt_count), ("to_do", 1))
        self.assertEqual(self.call.call_date, self.today + timedelta(days=2))
        self.assertEqual(self.call.activity_ids.date_deadline, self.today + timedelta(days=2))
        self.call.action_call_no_answer()
        self.call.action_call_no_answer()
        self.assertEqual((self.call.state, self.call.reason_code), ("failed", "no_answer"))
        self.assertEqual(self.call.reason, "No answer after 3 calls.")
        self.assertFalse(self.call.activity_ids)
        self.assertFalse(self.call.is_productive)

    def test_appointment_creates_a_calendar_event(self):
        action = self.call.action_call_appointment()
        event = self.call.calendar_event_id
        self.assertEqual(action["res_id"], event.id)
        self.assertIn(self.customer, event.partner_ids)
        self.assertEqual(event.start.date(), self.today + timedelta(days=1))
        self.assertEqual((self.call.state, self.call.call_outcome), ("done", "appointment"))
        self.assertTrue(self.call.is_productive)
        with self.assertRaises(UserError):
            self.call.action_call_reached()

    def test_wrong_number_fails(self):
        self.call.action_call_wrong_number()
        self.assertEqual((self.call.state, self.call.reason_code), ("failed", "wrong_number"))
        self.assertEqual(self.call.reason, "The number is wrong.")

    def test_refusal_closes_the_call_unproductive(self):
        self.call.action_call_refused()
        self.assertEqual((self.call.state, self.call.call_outcome), ("done", "refused"))
        self.assertFalse(self.call.is_productive)
        self.assertEqual(self.call.sent_date, self.today, "a call counts as a contact for the minimum gap")

    def test_calls_nobody_made_expire(self):
        self.Reminder._dealer_expire_calls(today=self.today + timedelta(days=14))
        self.assertEqual(self.call.state, "to_do")
        self.Reminder._dealer_expire_calls(today=self.today + timedelta(days=15))
        self.assertEqual((self.call.state, self.call.reason_code), ("cancelled", "expired"))
        self.assertFalse(self.call.activity_ids, "gone from the responsible's day")


@tagged("post_install", "-at_install")
class TestLetterPdf(HttpCase):
    """The letters through wkhtmltopdf, which fetches the report's styles from the running server."""

    def test_letter_renders_as_pdf(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Mari Maasikas",
                "street": "Pikk 12",
                "zip": "10123",
                "city": "Tallinn",
                "dealer_segment": "active",
                "dealer_preferred_channel": "letter",
            }
        )
        program = self.env.ref("dealer_loyalty.dealer_loyalty_program_birthday")
        reminder = self.env["dealer.loyalty.reminder"].create(
            [
                {
                    "program_id": program.id,
                    "company_id": program.company_id.id,
                    "partner_id": partner.id,
                    "due_date": date(2026, 5, 5),
                    "scheduled_date": date(2026, 5, 5),
                    "channel": "letter",
                }
                for partner in (customer, customer.copy({"name": "Jaan Tamm", "dealer_segment": "active"}))
            ]
        )
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("dealer_loyalty.action_report_dealer_reminder_letter", reminder.ids)
        )
        self.assertEqual(kind, "pdf")
        # wkhtmltopdf draws the web fonts as shapes, so the words cannot be read back;
        # the letter's text is checked on the HTML rendering above.
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 2, "a page per letter, in one PDF")
