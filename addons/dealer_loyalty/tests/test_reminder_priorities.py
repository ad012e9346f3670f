# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_reminder_processing import ProcessingCase


@tagged("post_install", "-at_install")
class TestMessagesThatMatterAreNeverDropped(ProcessingCase):
    """The daily job run day by day: relationship messages yield at most a few days, never all the way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"dealer_contact_min_gap_days": 7, "dealer_contact_max_postpone_days": 2})

    def run_days(self, programs, days, start=0):
        """The daily job, day after day, with the clock on each day."""
        for offset in range(start, start + days):
            day = self.today + timedelta(days=offset)
            with freeze_time(datetime.combine(day, time(5, 0))):
                for program in programs:
                    program._dealer_generate_reminders(today=day)
                self.Reminder._dealer_process_due(programs=programs, today=day)

    def test_stock_car_gets_the_pre_welcome_and_the_welcome(self):
        self.vehicle.write(
            {
                "dealer_order_date": self.today + timedelta(days=1),
                "dealer_handover_date": self.today + timedelta(days=3),
            }
        )
        pre_welcome = self.standard_program("pre_welcome", lead_days=0, delay_days=0)
        welcome = self.standard_program("welcome", lead_days=0, delay_days=0)
        self.run_days(pre_welcome | welcome, 8)
        sent_pre, sent_welcome = self.mine(pre_welcome), self.mine(welcome)
        self.assertEqual((sent_pre.state, sent_pre.sent_date), ("done", self.today + timedelta(days=1)))
        self.assertEqual(sent_welcome.state, "done")
        # Held back for the gap, but at most the two days of Settings.
        self.assertEqual(sent_welcome.sent_date, self.today + timedelta(days=5))

    def test_birthday_on_the_day_of_a_service_message(self):
        self.customer.dealer_birthday = self.today.replace(year=1984)
        birthday = self.standard_program("birthday", lead_days=0, sequence=50)
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=10)
        insurance = self.standard_program("insurance", lead_days=10, sequence=1)
        self.run_days(birthday | insurance, 1)
        self.assertEqual(self.mine(birthday).state, "done", "a birthday is not dropped for a service message")
        held = self.mine(insurance)
        self.assertEqual((held.state, held.reason_code), ("planned", "priority"))

    def test_pause_after_a_visit_postpones_a_greeting_a_little_then_sends_it(self):
        self.company.dealer_contact_pause_days = 5
        self.make_visit(self.today - timedelta(days=1), odometer=2000)
        self.customer.dealer_birthday = self.today.replace(year=1984)
        birthday = self.standard_program("birthday", lead_days=0)
        self.run_days(birthday, 1)
        reminder = self.mine(birthday)
        self.assertEqual((reminder.state, reminder.reason_code), ("planned", "recent_contact"))
        self.assertEqual(reminder.scheduled_date, self.today + timedelta(days=2))
        self.assertIn("visit or a call", reminder.reason)
        self.run_days(birthday, 3, start=1)
        self.assertEqual((reminder.state, reminder.sent_date), ("done", self.today + timedelta(days=2)))


@tagged("post_install", "-at_install")
class TestOneReminderPerOccurrence(ProcessingCase):
    def test_a_moved_date_re_dates_the_open_reminder(self):
        self.vehicle.dealer_inspection_due = self.today + timedelta(days=9)
        inspection = self.standard_program("inspection", lead_days=10)
        inspection._dealer_generate_reminders(today=self.today)
        planned = self.mine(inspection)
        self.assertEqual(planned.due_date, self.today + timedelta(days=9))
        self.vehicle.dealer_inspection_due = self.today + timedelta(days=12)
        inspection._dealer_generate_reminders(today=self.today)
        self.assertEqual(self.mine(inspection), planned, "the same reminder, re-dated")
        self.assertEqual(planned.state, "planned")
        self.assertEqual(planned.due_date, self.today + timedelta(days=12))
        self.assertEqual(planned.scheduled_date, self.today + timedelta(days=2))

    def test_a_moved_date_after_sending_sends_nothing_more(self):
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=5)
        insurance = self.standard_program("insurance")
        sent = self.run_program(insurance)
        self.assertEqual(sent.state, "done")
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=8)
        self.assertEqual(self.run_program(insurance), sent, "no second message for the same renewal")
        # Next year's renewal is a new occurrence.
        next_year = self.today + timedelta(days=370)
        self.vehicle.dealer_insurance_due = next_year
        insurance._dealer_generate_reminders(today=next_year - timedelta(days=5))
        self.assertEqual(len(self.mine(insurance)), 2)


@tagged("post_install", "-at_install")
class TestOnlyManagersSend(ProcessingCase):
    def test_plain_user_cannot_run_or_plan(self):
        user = self.env["res.users"].create(
            {
                "name": "Paula Plain",
                "login": "plain_dealer_user",
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        insurance = self.standard_program("insurance")
        with self.assertRaises(AccessError):
            insurance.with_user(user).action_run_now()
        insurance._dealer_generate_reminders(today=self.today)
        reminder = self.mine(insurance)
        reminder.write({"state": "skipped"})
        with self.assertRaises(AccessError):
            reminder.with_user(user).action_replan()
        with self.assertRaises(AccessError):
            reminder.with_user(user).write({"state": "planned", "scheduled_date": self.today})
        self.assertEqual(reminder.state, "skipped")


@tagged("post_install", "-at_install")
class TestQuietCallList(ProcessingCase):
    def test_planned_calls_send_no_assignment_mail(self):
        agent = self.env["res.users"].create(
            {
                "name": "Anton Agent",
                "login": "quiet_call_agent",
                "email": "anton@example.com",
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        self.customer.dealer_preferred_channel = "phone"
        self.customer.phone = "+32 470 11 22 33"
        insurance = self.standard_program("insurance", channel="phone", user_id=agent.id)
        reminder = self.run_program(insurance)
        self.assertEqual((reminder.state, reminder.channel), ("to_do", "phone"))
        self.assertEqual(reminder.activity_ids.user_id, agent)
        notified = self.env["mail.message"].search(
            [
                ("model", "=", reminder._name),
                ("res_id", "=", reminder.id),
                ("partner_ids", "in", agent.partner_id.ids),
            ]
        )
        self.assertFalse(notified, "the agent works the call list; no e-mail per call")


@tagged("post_install", "-at_install")
class TestExportsAreAChannel(ProcessingCase):
    def _export(self, program, day):
        wizard = self.env["dealer.loyalty.channel.export"].create(
            {"channel": "email", "program_ids": [(6, 0, program.ids)], "date_from": day, "date_to": day}
        )
        wizard.action_export()
        return wizard

    def test_exported_reminders_are_handed_over_and_never_sent_by_odoo(self):
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=12)
        program = self.standard_program("insurance", lead_days=12)
        blacklisted = self.customer.copy({"name": "Bea Blacklisted", "email": "bea@example.com"})
        self.vehicle.copy({"license_plate": "BEA001", "dealer_owner_id": blacklisted.id})
        self.env["mail.blacklist"].sudo()._add("bea@example.com")
        program._dealer_generate_reminders(today=self.today)
        due_day = self.today
        planned = self.mine(program)
        self.assertEqual(len(planned), 2)
        self.assertEqual(set(planned.mapped("scheduled_date")), {due_day})
        # Exported in the morning: the mailing house sends them.
        wizard = self._export(program, due_day)
        handed, refused = (
            planned.filtered(lambda r: r.partner_id == self.customer),
            planned - planned.filtered(lambda r: r.partner_id == self.customer),
        )
        self.assertEqual((handed.state, handed.exported_date), ("exported", self.today))
        self.assertEqual((refused.state, refused.reason_code), ("skipped", "blacklisted"))
        self.assertIn("1 left out", wizard.export_summary)
        # Their day comes: Odoo sends nothing.
        with self.mock_mail_gateway():
            self.Reminder._dealer_process_due(programs=program, today=due_day)
        self.assertEqual(handed.state, "exported")
        self.assertFalse(
            self.env["mail.mail"].search([("model", "=", handed._name), ("res_id", "=", handed.id)])
        )

    def test_the_control_group_is_not_handed_over(self):
        """The mailing house contacts only whom Odoo would: the control group gets nothing from it either."""
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=12)
        program = self.standard_program("insurance", lead_days=12, holdout_percent=50)
        for index in range(10):
            customer = self.customer.copy({"name": f"Export {index}", "email": f"export{index}@example.com"})
            self.vehicle.copy({"license_plate": f"EXP{index:03d}", "dealer_owner_id": customer.id})
        program._dealer_generate_reminders(today=self.today)
        planned = self.mine(program)
        self._export(program, self.today)
        held = planned.filtered(lambda reminder: reminder.state == "held_out")
        self.assertTrue(held, "about half of the customers are in the control group")
        handed = planned.filtered(lambda reminder: reminder.state == "exported")
        self.assertEqual(handed | held, planned)
        self.assertFalse(handed._dealer_hold_out(), "no one of the control group on the list")


@tagged("post_install", "-at_install")
class TestWorkingListsRespectConsent(ProcessingCase):
    def test_call_list_from_an_analysis_applies_phone_consent(self):
        agreed = self.customer
        agreed.write({"phone": "+32 470 00 00 01", "dealer_consent_phone": True})
        refused = self.customer.copy(
            {"name": "Rolf Refuser", "phone": "+32 470 00 00 02", "dealer_consent_phone": False}
        )
        self.company.dealer_consent_required_phone = True
        program = self.env["dealer.loyalty.program"]._dealer_create_working_list(
            agreed | refused, "Lost customers"
        )
        reminders = program.reminder_ids
        self.assertEqual(reminders.filtered(lambda r: r.partner_id == agreed).state, "to_do")
        self.assertEqual(reminders.filtered(lambda r: r.partner_id == refused).reason_code, "no_consent")
        self.assertIn("1 left out", program._dealer_left_out_summary())
        self.assertIn("No consent", program._dealer_left_out_summary())


@tagged("post_install", "-at_install")
class TestControlGroup(ProcessingCase):
    def test_a_share_of_the_audience_is_held_out_the_same_way_every_run(self):
        program = self.standard_program("insurance", lead_days=10, holdout_percent=50)
        customers = self.env["res.partner"]
        for index in range(40):
            customer = self.customer.copy(
                {"name": f"Holdout {index}", "email": f"holdout{index}@example.com"}
            )
            self.vehicle.copy(
                {
                    "license_plate": f"HO{index:03d}",
                    "dealer_owner_id": customer.id,
                    "dealer_insurance_due": self.today + timedelta(days=5),
                }
            )
            customers |= customer
        with self.mock_mail_gateway():
            reminders = self.run_program(program).filtered(lambda r: r.partner_id in customers)
        held = reminders.filtered(lambda r: r.state == "held_out")
        self.assertTrue(8 <= len(held) <= 32, f"about half of 40 held out, got {len(held)}")
        self.assertEqual(set((reminders - held).mapped("state")), {"done"})
        self.assertEqual(set(held.mapped("reason_code")), {"held_out"})
        # The draw depends on program and customer only: the same customers again.
        drawn = held.partner_id
        self.assertEqual(reminders._dealer_hold_out().partner_id, drawn)


@tagged("post_install", "-at_install")
class TestMessagesWrittenForTheCustomer(ProcessingCase):
    def _reminder(self, program_key, **values):
        program = self.standard_program(program_key, **values)
        program._dealer_generate_reminders(today=self.today)
        return self.mine(program)

    def test_salutation_vehicle_and_numbers(self):
        self.env["res.lang"]._activate_lang("et_EE")
        madam = self.env.ref("base.res_partner_title_madam")
        self.customer.write({"name": "Anna Tamm", "title": madam.id, "lang": "et_EE"})
        self.vehicle.odometer = 42000
        reminder = self._reminder("insurance")
        self.assertEqual(reminder.customer_salutation, f"{madam.shortcut or madam.name} Tamm")
        self.assertEqual(
            reminder.vehicle_description,
            f"{self.vehicle.model_id.brand_id.name} {self.vehicle.model_id.name}",
        )
        self.assertNotIn("/", reminder.vehicle_description)
        estonian = reminder.with_context(lang="et_EE")
        self.assertEqual(estonian.odometer_text.replace("\xa0", " "), "42 000")
        self.assertEqual(reminder.with_context(lang="en_US").odometer_text, "42,000")
        self.customer.title = False
        reminder.invalidate_recordset(["customer_salutation"])
        self.assertEqual(reminder.customer_salutation, "Anna Tamm")

    def test_welcome_names_the_advisor_only_when_there_is_one(self):
        self.vehicle.dealer_handover_date = self.today
        reminder = self._reminder("welcome", lead_days=0, delay_days=0)
        template = reminder.program_id.mail_template_id
        body = template._render_field("body_html", reminder.ids)[reminder.id]
        self.assertNotIn("Your service advisor is", body)
        self.assertNotIn(reminder.company_id.name + ";", body)

    def test_declined_work_is_named(self):
        program = self.standard_program("declined_work", lead_days=0, delay_days=14)
        visit = self.make_visit(
            self.today - timedelta(days=14),
            odometer=5000,
            lines=[
                ("Oil change", "labour", "customer", 120.0),
                ("Front brake pads", "parts", "customer", 80.0),
            ],
        )
        visit.line_ids.filtered(lambda line: line.name == "Front brake pads").declined = True
        program._dealer_generate_reminders(today=self.today)
        reminder = self.mine(program)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.declined_work_text, "Front brake pads")
        body = program.mail_template_id._render_field("body_html", reminder.ids)[reminder.id]
        self.assertIn("Front brake pads", body)
        self.assertNotIn("some work", body)


@tagged("post_install", "-at_install")
class TestUnsubscribe(ProcessingCase):
    def test_marketing_email_carries_an_unsubscribe_link_and_header(self):
        self.customer.dealer_birthday = self.today.replace(year=1984)
        birthday = self.standard_program("birthday", lead_days=0)
        with self.mock_mail_gateway():
            reminder = self.run_program(birthday)
        self.assertEqual(reminder.state, "done")
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", reminder._name), ("res_id", "=", reminder.id)])
        )
        url = self.customer._dealer_preferences_url()
        self.assertIn("/dealer/preferences/", url)
        self.assertIn(url, mail.body_html)
        self.assertIn("List-Unsubscribe", mail.headers)
        self.assertIn(url, mail.headers)

    def test_service_email_has_no_unsubscribe(self):
        insurance = self.standard_program("insurance")
        with self.mock_mail_gateway():
            reminder = self.run_program(insurance)
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", reminder._name), ("res_id", "=", reminder.id)])
        )
        self.assertNotIn("List-Unsubscribe", mail.headers or "")

    def test_marketing_sms_ends_with_an_opt_out(self):
        self.customer.write(
            {"dealer_preferred_channel": "sms", "dealer_birthday": self.today.replace(year=1984)}
        )
        birthday = self.standard_program("birthday", lead_days=0)
        self.run_program(birthday)
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.customer.id)])
        self.assertTrue(sms.body.rstrip().endswith(self.customer._dealer_preferences_url()))


@tagged("post_install", "-at_install")
class TestMovableFeasts(ProcessingCase):
    def test_lunar_and_easter_greetings_are_computed_for_every_year(self):
        from ..tools.holidays import holiday_date

        self.assertEqual(holiday_date("chinese_new_year", 2027).isoformat(), "2027-02-06")
        self.assertEqual(holiday_date("mid_autumn", 2026).isoformat(), "2026-09-25")
        self.assertEqual(holiday_date("orthodox_easter", 2027).isoformat(), "2027-05-02")
        self.assertEqual(holiday_date("last_sunday_october", 2026).isoformat(), "2026-10-25")
        spring = self.env.ref("dealer_loyalty.dealer_loyalty_program_holiday_chinese_new_year")
        self.assertFalse(spring.active, "shipped paused")
        spring.write({"active": True, "partner_domain": self.test_audience(), "lead_days": 3})
        spring._dealer_generate_reminders(today=holiday_date("chinese_new_year", 2027) - timedelta(days=3))
        reminder = self.mine(spring)
        self.assertEqual(reminder.due_date, holiday_date("chinese_new_year", 2027))


@tagged("post_install", "-at_install")
class TestReminderButtons(ProcessingCase):
    def test_send_now_and_print_letter(self):
        self.vehicle.dealer_insurance_due = self.today + timedelta(days=10)
        program = self.standard_program("insurance", lead_days=5)
        program._dealer_generate_reminders(today=self.today - timedelta(days=1) + timedelta(days=6))
        reminder = self.mine(program)
        self.assertEqual(reminder.state, "planned")
        self.assertGreater(reminder.scheduled_date, self.today)
        with self.mock_mail_gateway():
            reminder.action_send_now()
        self.assertEqual((reminder.state, reminder.sent_date), ("done", self.today))
        self.customer.write(
            {"dealer_preferred_channel": "letter", "street": "Narva mnt 5", "city": "Tallinn"}
        )
        self.vehicle.dealer_inspection_due = self.today + timedelta(days=10)
        inspection = self.standard_program("inspection", lead_days=10)
        letter = self.run_program(inspection)
        self.assertEqual((letter.state, letter.channel), ("to_do", "letter"))
        action = letter.action_print_letter()
        self.assertEqual(action["report_name"], "dealer_loyalty.report_reminder_letter")
        self.assertEqual(letter.state, "done")
