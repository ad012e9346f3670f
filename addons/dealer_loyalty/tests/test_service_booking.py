# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import run_as_two_requests
from .test_reminder_processing import ProcessingCase


def next_weekday(day):
    """``day``, or the Monday after when it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class BookingCase(ProcessingCase):
    """A sent inspection reminder of the test customer's vehicle, its link ready to book."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Booking = cls.env["dealer.service.booking"]
        cls.desk = cls.env["res.users"].create(
            {
                "name": "Service Desk Siiri",
                "login": "desk.siiri",
                "email": "siiri@example.com",
                "groups_id": [(4, cls.env.ref("dealer_loyalty.dealer_loyalty_group_user").id)],
            }
        )
        cls.company.write(
            {
                "dealer_booking_slots_morning": 2,
                "dealer_booking_slots_afternoon": 1,
                "dealer_booking_saturday": False,
                "dealer_booking_horizon_days": 21,
                "dealer_booking_link_days": 30,
                "dealer_booking_user_id": cls.desk.id,
                "dealer_timezone": "UTC",
            }
        )
        cls.program = cls.standard_program("inspection")
        cls.reminder = cls.make_reminder(cls.customer, cls.vehicle)
        cls.first_day = cls.Booking._dealer_first_day(cls.company)
        cls.day = cls.next_open_day(cls.first_day)

    @classmethod
    def make_reminder(cls, partner, vehicle, program=None, due_date=None):
        return cls.Reminder.create(
            {
                "program_id": (program or cls.program).id,
                "program_type": (program or cls.program).program_type,
                "company_id": cls.company.id,
                "partner_id": partner.id,
                "vehicle_id": vehicle.id,
                "due_date": due_date or cls.today + timedelta(days=5),
                "scheduled_date": cls.today,
                "sent_date": cls.today,
                "channel": "email",
                "state": "done",
            }
        )

    @classmethod
    def next_open_day(cls, day):
        return next_weekday(day)

    def book(self, reminder=None, day=None, day_part="morning", note=""):
        return self.Booking._dealer_request(reminder or self.reminder, day or self.day, day_part, note)


@tagged("post_install", "-at_install")
class TestBookingLink(BookingCase):
    def test_service_reminders_carry_the_link_in_email_and_sms(self):
        self.vehicle.dealer_inspection_due = self.today + timedelta(days=5)
        self.Reminder.search([("partner_id", "=", self.customer.id)]).unlink()
        with self.mock_mail_gateway():
            reminder = self.run_program(self.program)
            self.assertEqual((reminder.state, reminder.channel), ("done", "email"))
            url = reminder._dealer_booking_url()
            self.assertRegex(url, r"/dealer/book/[\w-]{16}$", "short enough for an SMS")
            mail = self.env["mail.mail"].search(
                [("model", "=", reminder._name), ("res_id", "=", reminder.id)]
            )
            self.assertIn(url, mail.body_html)
            self.assertIn("Book your visit online", mail.body_html)
            self.assertIn(fields.Date.to_string(reminder.booking_link_expiry)[:4], mail.body_html)
        self.assertEqual(reminder.booking_link_expiry, reminder.due_date + timedelta(days=30))
        self.assertEqual(reminder._dealer_sms_suffix(), f"Book: {url}")

    def test_a_greeting_carries_no_link(self):
        birthday = self.make_reminder(self.customer, self.vehicle, program=self.standard_program("birthday"))
        self.assertFalse(birthday._dealer_booking_url())
        self.assertNotIn("Book:", birthday._dealer_sms_suffix())
        self.assertFalse(birthday._dealer_mail_endings())

    def test_no_link_when_the_desk_takes_no_online_bookings(self):
        self.company.write({"dealer_booking_slots_morning": 0, "dealer_booking_slots_afternoon": 0})
        self.assertFalse(self.reminder._dealer_booking_url())

    def test_the_link_expires_weeks_after_the_due_date(self):
        self.reminder._dealer_booking_url()
        expiry = self.reminder.booking_link_expiry
        self.assertEqual(expiry, self.reminder.due_date + timedelta(days=30))
        self.assertTrue(self.reminder._dealer_booking_link_valid(today=expiry))
        self.assertFalse(self.reminder._dealer_booking_link_valid(today=expiry + timedelta(days=1)))

    def test_a_late_reminder_gets_its_weeks_from_today(self):
        late = self.make_reminder(self.customer, self.vehicle, due_date=self.today - timedelta(days=60))
        late._dealer_booking_url()
        self.assertEqual(late.booking_link_expiry, self.today + timedelta(days=30))

    def test_the_link_dies_with_the_vehicle_sold(self):
        self.reminder._dealer_booking_url()
        other = self.env["res.partner"].create({"name": "New Owner"})
        self.vehicle.dealer_owner_id = other
        self.assertFalse(self.reminder._dealer_booking_link_valid())

    def test_staff_do_not_read_the_token(self):
        self.reminder._dealer_booking_url()
        with self.assertRaises(AccessError):
            self.reminder.with_user(self.desk).read(["booking_token"])


@tagged("post_install", "-at_install")
class TestBookingCapacity(BookingCase):
    def test_a_booking_lands_at_the_service_desk(self):
        booking = self.book(note="Squeaky brakes")
        self.assertEqual(booking.state, "requested")
        self.assertEqual((booking.partner_id, booking.vehicle_id), (self.customer, self.vehicle))
        self.assertTrue(self.reminder.is_booked)
        event = booking.calendar_event_id
        self.assertEqual(event, self.reminder.calendar_event_id)
        self.assertEqual(event.start, fields.Datetime.to_datetime(f"{self.day} 08:00:00"))
        self.assertEqual(event.stop, fields.Datetime.to_datetime(f"{self.day} 12:00:00"))
        self.assertIn(self.customer, event.partner_ids)
        self.assertIn("Squeaky brakes", event.description)
        self.assertEqual(booking.activity_ids.user_id, self.desk)
        self.assertIn("booked a visit online", self.reminder.message_ids[0].body)

    def test_the_customers_note_stays_plain_text_in_the_appointment(self):
        # The note is typed by anyone holding the link: markup in it must not become disguised
        # links, images or styling in the desk's calendar (a bare address shows as itself).
        note = '<a href="https://evil.example/pay">Pay here</a><img src="https://evil.example/p.png">\nLine 2'
        event = self.book(note=note).calendar_event_id
        self.assertNotIn(">Pay here</a>", event.description)
        self.assertNotIn("<img", event.description)
        self.assertIn("&lt;a href=", event.description)
        self.assertIn("Line 2", event.description)

    def test_posting_twice_books_once(self):
        first = self.book()
        second = self.book(day_part="afternoon")
        self.assertEqual(first, second)
        self.assertEqual(len(self.reminder.booking_ids), 1)

    def test_a_full_part_of_day_is_not_offered_nor_taken(self):
        other = self.env["res.partner"].create({"name": "Other Customer"})
        other_car = self.vehicle.copy({"dealer_owner_id": other.id, "vin_sn": "WVWZZZ1JZXW000002"})
        self.book(day_part="afternoon")
        offered = dict(self.Booking._dealer_free_days(self.company))
        self.assertEqual(offered[self.day], ["morning"], "one afternoon slot, taken")
        with self.assertRaisesRegex(UserError, "fully booked"):
            self.book(self.make_reminder(other, other_car), day_part="afternoon")

    def test_a_full_day_is_not_offered(self):
        self.company.dealer_booking_slots_afternoon = 0
        customers = self.env["res.partner"].create([{"name": f"Customer {n}"} for n in range(2)])
        for customer in customers:
            self.book(self.make_reminder(customer, self.vehicle))
        self.assertNotIn(self.day, dict(self.Booking._dealer_free_days(self.company)))

    def test_past_closed_and_far_days_are_refused(self):
        with self.assertRaisesRegex(UserError, "from tomorrow"):
            self.book(day=self.today)
        with self.assertRaisesRegex(UserError, "from tomorrow"):
            self.book(day=self.today - timedelta(days=3))
        sunday = self.first_day + timedelta(days=(6 - self.first_day.weekday()))
        with self.assertRaisesRegex(UserError, "does not take bookings"):
            self.book(day=sunday)
        with self.assertRaisesRegex(UserError, "21 days ahead"):
            self.book(day=self.first_day + timedelta(days=21))
        with self.assertRaisesRegex(UserError, "morning or the afternoon"):
            self.book(day_part="evening")
        self.assertFalse(self.reminder.booking_ids)

    def test_closed_days_are_not_offered(self):
        offered = [day for day, _parts in self.Booking._dealer_free_days(self.company)]
        self.assertTrue(offered)
        self.assertTrue(all(day.weekday() < 5 for day in offered))
        self.assertGreaterEqual(offered[0], self.first_day)
        self.company.dealer_booking_saturday = True
        offered = [day for day, _parts in self.Booking._dealer_free_days(self.company)]
        self.assertIn(5, {day.weekday() for day in offered})

    def test_a_cancelled_booking_frees_its_slot_and_the_reminder(self):
        self.company.dealer_booking_slots_morning = 1
        booking = self.book()
        booking.action_cancel()
        self.assertFalse(self.reminder.is_booked)
        self.assertFalse(booking.calendar_event_id.active)
        again = self.book()
        self.assertNotEqual(again, booking)


@tagged("post_install", "-at_install")
class TestDeskAnswer(BookingCase):
    def test_confirming_tells_the_customer_by_email(self):
        booking = self.book()
        with self.mock_mail_gateway():
            booking.with_user(self.desk).action_confirm()
        self.assertEqual(booking.state, "confirmed")
        self.assertFalse(booking.activity_ids)
        message = booking.message_ids.filtered(lambda message: message.message_type == "comment")[:1]
        self.assertIn("is confirmed", message.subject)
        self.assertIn(self.customer, message.partner_ids)
        self.assertIn(booking.slot_text, message.body)

    def test_moving_follows_with_the_appointment_and_tells_the_customer(self):
        booking = self.book()
        new_day = self.next_open_day(self.day + timedelta(days=1))
        with self.mock_mail_gateway():
            booking.with_user(self.desk).write({"booking_date": new_day, "day_part": "afternoon"})
        self.assertEqual(booking.state, "moved")
        self.assertEqual(booking.calendar_event_id.start, fields.Datetime.to_datetime(f"{new_day} 13:00:00"))
        message = booking.message_ids.filtered(lambda message: message.message_type == "comment")[:1]
        self.assertIn("moved", message.subject)
        self.assertFalse(booking.activity_ids)

    def test_a_customer_without_email_gets_an_sms(self):
        self.customer.write({"email": False, "mobile": "+32456001122"})
        booking = self.book()
        with self.mockSMSGateway():
            booking.action_confirm()
        # Handed to the (mocked) gateway at once, in the customer's own words.
        self.assertSMS(self.customer, "+32456001122", "pending", content="is confirmed for")

    def test_the_customer_reads_the_day_in_their_language(self):
        self.env["res.lang"]._activate_lang("et_EE")
        booking = self.book()
        english = booking.with_context(lang="en_US").slot_text
        estonian = booking.with_context(lang="et_EE").slot_text
        self.assertIn(str(self.day.year), estonian)
        self.assertNotEqual(english.split(",")[0], estonian.split(",")[0], "the weekday in Estonian")

    def test_a_plain_user_cannot_create_bookings(self):
        with self.assertRaises(AccessError):
            self.Booking.with_user(self.desk).create(
                {
                    "reminder_id": self.reminder.id,
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "booking_date": self.day,
                    "day_part": "morning",
                }
            )


@tagged("post_install", "-at_install")
class TestBookingFlowFields(BookingCase):
    """What staff may change over the API: the day and the desk; the rest is the booking's own flows'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="booking_manager", groups="dealer_loyalty.dealer_loyalty_group_manager"
        )

    def test_a_booking_is_not_moved_into_the_past(self):
        booking = self.book()
        for past in ("2000-01-01", self.today - timedelta(days=1)):
            for context in ({}, {"dealer_booking_no_move": True}):
                with self.subTest(past=past, context=context):
                    with self.assertRaisesRegex(UserError, "in the past"):
                        booking.with_user(self.desk).with_context(**context).write({"booking_date": past})
        self.assertEqual((booking.booking_date, booking.state), (self.day, "requested"))
        self.assertFalse(booking.message_ids.filtered(lambda message: message.message_type == "comment"))
        with self.mock_mail_gateway():
            booking.with_user(self.desk).write({"booking_date": self.today})
        self.assertEqual((booking.booking_date, booking.state), (self.today, "moved"), "a walk-in today")

    def test_the_customer_and_the_state_stay_as_the_flows_set_them(self):
        booking = self.book(note="Brakes")
        other = self.env["res.partner"].create({"name": "Someone Else"})
        forged = (
            {"partner_id": other.id},
            {"state": "confirmed"},
            {"reminder_id": self.make_reminder(other, self.vehicle).id},
            {"vehicle_id": False},
            {"note": "Changed"},
            {"calendar_event_id": False},
        )
        for user in (self.desk, self.manager):
            for vals in forged:
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        booking.with_user(user).with_context(dealer_booking_no_move=True).write(vals)
        self.assertEqual(
            (booking.partner_id, booking.state, booking.note), (self.customer, "requested", "Brakes")
        )
        # The desk's own actions still write them.
        booking.with_user(self.desk).write({"user_id": self.manager.id})
        with self.mock_mail_gateway():
            booking.with_user(self.desk).action_confirm()
        booking.with_user(self.desk).action_cancel()
        self.assertEqual(booking.state, "cancelled")

    def test_the_reminders_link_expiry_and_hand_over_day_are_set_by_their_flows(self):
        self.reminder._dealer_booking_url()
        expiry = self.reminder.booking_link_expiry
        for user in (self.desk, self.manager):
            for vals in (
                {"booking_link_expiry": "2099-01-01"},
                {"exported_date": "2000-01-01"},
                {"booking_token": "guessable"},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        self.reminder.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.Reminder.with_user(self.manager).create(
                {
                    "program_id": self.program.id,
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "due_date": self.today,
                    "scheduled_date": self.today,
                    "channel": "email",
                    "booking_link_expiry": "2099-01-01",
                }
            )
        self.assertEqual(self.reminder.booking_link_expiry, expiry)
        self.assertFalse(self.reminder.exported_date)


@tagged("post_install", "-at_install")
class TestBookingEffectiveness(BookingCase):
    def test_bookings_and_the_visits_that_followed(self):
        other = self.env["res.partner"].create({"name": "Other Customer"})
        other_car = self.vehicle.copy({"dealer_owner_id": other.id, "vin_sn": "WVWZZZ1JZXW000003"})
        came = self.reminder
        did_not_come = self.make_reminder(other, other_car)
        not_booked = self.make_reminder(other, other_car, due_date=self.today + timedelta(days=6))
        # Booked days gone by (visits are never in the future), as the desk confirmed them.
        booked_day = self.today - timedelta(days=10)
        for reminder in came | did_not_come:
            self.Booking.create(
                {
                    "reminder_id": reminder.id,
                    "company_id": self.company.id,
                    "partner_id": reminder.partner_id.id,
                    "vehicle_id": reminder.vehicle_id.id,
                    "booking_date": booked_day,
                    "day_part": "morning",
                    "state": "confirmed",
                }
            )
        self.make_visit(booked_day + timedelta(days=1), odometer=20000)
        self.make_visit(booked_day - timedelta(days=1), odometer=20000, vehicle=other_car, partner=other)
        self.env.flush_all()
        rows = self.env["dealer.program.effectiveness.report"].search(
            [("reminder_id", "in", (came | did_not_come | not_booked).ids)]
        )
        figures = {row.reminder_id: (row.booking_count, row.booked_visit_count) for row in rows}
        self.assertEqual(figures[came], (1, 1))
        self.assertEqual(figures[did_not_come], (1, 0), "a visit before the booked day does not follow it")
        self.assertEqual(figures[not_booked], (0, 0))
        self.assertEqual(rows.filtered(lambda row: row.reminder_id == came).booking_date, booked_day)


@tagged("post_install", "-at_install")
class TestConcurrentBookings(TransactionCase):
    """Two customers, or one customer's two tabs, posting at the same moment: two real connections."""

    # The settings are committed for the two connections, then put back.
    RACE_SETTINGS = {"dealer_booking_slots_morning": 1, "dealer_booking_horizon_days": 28}

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        self.setup_cr = self.db.cursor()
        env = api.Environment(self.setup_cr, SUPERUSER_ID, {"tracking_disable": True})
        self.today = fields.Date.context_today(env["dealer.loyalty.reminder"])
        self.settings_before = env.company.read(list(self.RACE_SETTINGS))[0]
        env.company.write(self.RACE_SETTINGS)
        self.day = next_weekday(env["dealer.service.booking"]._dealer_first_day(env.company))
        partners = env["res.partner"].create([{"name": "Race One"}, {"name": "Race Two"}])
        program = env.ref("dealer_loyalty.dealer_loyalty_program_inspection")
        model = env.ref("fleet.model_a1", raise_if_not_found=False) or env["fleet.vehicle.model"].search(
            [], limit=1
        )
        vehicles = env["fleet.vehicle"].create(
            [
                {"model_id": model.id, "license_plate": f"RACE{n}", "dealer_owner_id": partner.id}
                for n, partner in enumerate(partners)
            ]
        )
        self.race_reminders = env["dealer.loyalty.reminder"].create(
            [
                {
                    "program_id": program.id,
                    "program_type": "inspection",
                    "company_id": env.company.id,
                    "partner_id": partner.id,
                    "vehicle_id": vehicle.id,
                    "due_date": self.today,
                    "scheduled_date": self.today,
                    "channel": "email",
                    "state": "done",
                }
                for partner, vehicle in zip(partners, vehicles, strict=True)
            ]
        )
        self.race_ids = (partners.ids, vehicles.ids, self.race_reminders.ids)
        self.setup_cr.commit()
        self.addCleanup(self.cleanup)

    def cleanup(self):
        partner_ids, vehicle_ids, reminder_ids = self.race_ids
        setup_cr = self.setup_cr
        setup_cr.rollback()
        setup_cr.execute(
            "SELECT calendar_event_id FROM dealer_service_booking WHERE reminder_id IN %s",
            [tuple(reminder_ids)],
        )
        event_ids = tuple(row[0] for row in setup_cr.fetchall()) or (0,)
        setup_cr.execute(
            """
            DELETE FROM mail_message
             WHERE (model = 'dealer.service.booking'
                    AND res_id IN (SELECT id FROM dealer_service_booking WHERE reminder_id IN %(reminders)s))
                OR (model = 'dealer.loyalty.reminder' AND res_id IN %(reminders)s)
                OR (model = 'fleet.vehicle' AND res_id IN %(vehicles)s)
            """,
            {"reminders": tuple(reminder_ids), "vehicles": tuple(vehicle_ids)},
        )
        setup_cr.execute(
            "DELETE FROM mail_activity WHERE res_model = 'dealer.service.booking' AND res_id IN "
            "(SELECT id FROM dealer_service_booking WHERE reminder_id IN %s)",
            [tuple(reminder_ids)],
        )
        setup_cr.execute("DELETE FROM dealer_service_booking WHERE reminder_id IN %s", [tuple(reminder_ids)])
        setup_cr.execute("DELETE FROM calendar_event WHERE id IN %s", [event_ids])
        setup_cr.execute("DELETE FROM dealer_loyalty_reminder WHERE id IN %s", [tuple(reminder_ids)])
        setup_cr.execute("DELETE FROM fleet_vehicle WHERE id IN %s", [tuple(vehicle_ids)])
        setup_cr.execute(
            "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id IN %s", [tuple(partner_ids)]
        )
        setup_cr.execute("DELETE FROM res_partner WHERE id IN %s", [tuple(partner_ids)])
        setup_cr.execute("DELETE FROM dealer_service_booking_day WHERE date = %s", [self.day])
        env = api.Environment(setup_cr, SUPERUSER_ID, {})
        env.company.write({fname: self.settings_before[fname] for fname in self.RACE_SETTINGS})
        setup_cr.commit()
        setup_cr.close()

    def booker(self, reminder_id, day_part="morning"):
        def book(env):
            reminder = env["dealer.loyalty.reminder"].browse(reminder_id)
            return env["dealer.service.booking"]._dealer_request(reminder, self.day, day_part).id

        return book

    def bookings(self):
        self.setup_cr.execute(
            "SELECT reminder_id FROM dealer_service_booking WHERE reminder_id IN %s AND state != 'cancelled'",
            [tuple(self.race_ids[2])],
        )
        return [row[0] for row in self.setup_cr.fetchall()]

    def test_two_customers_for_the_last_slot(self):
        first, second = self.race_reminders.ids
        outcome = run_as_two_requests(self.env.cr.dbname, self.booker(first), self.booker(second))
        refused = [result for result in outcome.values() if isinstance(result, UserError)]
        booked = [result for result in outcome.values() if isinstance(result, int)]
        self.assertEqual((len(booked), len(refused)), (1, 1), outcome)
        self.assertIn("fully booked", str(refused[0]))
        self.assertEqual(len(self.bookings()), 1, "the desk's one morning slot is taken once")

    def test_one_form_posted_twice_at_once(self):
        reminder_id = self.race_reminders.ids[0]
        outcome = run_as_two_requests(
            self.env.cr.dbname, self.booker(reminder_id), self.booker(reminder_id, "afternoon")
        )
        self.assertEqual(outcome["first"], outcome["second"], "both posts answer with the same booking")
        self.assertEqual(self.bookings(), [reminder_id])
