# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBookingPage(HttpCase):
    """The booking page as a visitor sees it: no login, the reminder's link is the only key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.write(
            {
                "dealer_booking_slots_morning": 2,
                "dealer_booking_slots_afternoon": 2,
                "dealer_booking_saturday": False,
                "dealer_booking_horizon_days": 14,
                "dealer_booking_link_days": 30,
                "dealer_timezone": "UTC",
            }
        )
        cls.today = fields.Date.context_today(cls.env["dealer.loyalty.reminder"])
        model = cls.env["fleet.vehicle.model"].create(
            {
                "name": "Tourer",
                "brand_id": cls.env["fleet.vehicle.model.brand"].create({"name": "Tourbrand"}).id,
            }
        )
        cls.program = cls.env.ref("dealer_loyalty.dealer_loyalty_program_service")
        cls.anna, cls.boris = cls.env["res.partner"].create(
            [
                {"name": "Anna Tamm", "email": "anna@example.com"},
                {"name": "Boris Orlov", "email": "boris@example.com"},
            ]
        )
        cls.anna_car, cls.boris_car = cls.env["fleet.vehicle"].create(
            [
                {"model_id": model.id, "license_plate": "TOUR123", "dealer_owner_id": cls.anna.id},
                {"model_id": model.id, "license_plate": "BOR456", "dealer_owner_id": cls.boris.id},
            ]
        )
        cls.anna_reminder, cls.boris_reminder = cls.env["dealer.loyalty.reminder"].create(
            [
                {
                    "program_id": cls.program.id,
                    "program_type": "service",
                    "company_id": cls.company.id,
                    "partner_id": partner.id,
                    "vehicle_id": vehicle.id,
                    "due_date": cls.today + timedelta(days=7),
                    "scheduled_date": cls.today,
                    "sent_date": cls.today,
                    "channel": "email",
                    "state": "done",
                }
                for partner, vehicle in ((cls.anna, cls.anna_car), (cls.boris, cls.boris_car))
            ]
        )
        cls.anna_url = cls.anna_reminder._dealer_booking_url()
        cls.boris_url = cls.boris_reminder._dealer_booking_url()

    def path(self, url):
        return url[url.index("/dealer/book/") :]

    def post(self, url, **data):
        page = self.url_open(self.path(url))
        # The session's token, also on a page without the form (a second tab after booking).
        csrf = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        return self.url_open(self.path(url), data={"csrf_token": csrf, **data})

    def first_slot(self, url, part="morning"):
        page = self.url_open(self.path(url))
        return re.search(rf'value="(\d{{4}}-\d\d-\d\d:{part})"', page.text).group(1)

    def test_visitor_books_from_the_reminder_link(self):
        self.start_tour(self.path(self.anna_url), "dealer_booking_tour")
        booking = self.anna_reminder.booking_ids
        self.assertEqual((booking.state, booking.day_part), ("requested", "afternoon"))
        self.assertEqual(booking.note, "Rattling at the front")
        self.assertTrue(self.anna_reminder.is_booked)
        self.assertGreater(booking.booking_date, self.today)

    def test_the_page_speaks_the_customer_language(self):
        self.env["res.lang"]._activate_lang("et_EE")
        self.anna.lang = "et_EE"
        page = self.url_open(self.path(self.anna_url))
        self.assertEqual(page.status_code, 200)
        self.assertIn('lang="et-EE"', page.text)
        self.assertIn("TOUR123", page.text)

    def test_another_reminders_link_never_shows_the_first_booking(self):
        posted = self.post(self.anna_url, slot=self.first_slot(self.anna_url), note="Anna private note")
        self.assertEqual(posted.status_code, 200)
        self.assertIn("Anna private note", posted.text)
        boris_page = self.url_open(self.path(self.boris_url))
        self.assertEqual(boris_page.status_code, 200)
        for secret in ("Anna", "TOUR123", "private note"):
            self.assertNotIn(secret, boris_page.text)
        self.assertIn("BOR456", boris_page.text)
        # Boris posting on his link books his own car, never touches Anna's booking.
        self.post(self.boris_url, slot=self.first_slot(self.boris_url), note="Boris")
        self.assertEqual(self.anna_reminder.booking_ids.note, "Anna private note")
        self.assertEqual(self.boris_reminder.booking_ids.vehicle_id, self.boris_car)
        # Nothing of Anna's through ids or a truncated or forged token.
        for path in (
            f"/dealer/book/{self.anna_reminder.id}",
            self.path(self.anna_url)[:-1],
            "/dealer/book/" + "x" * 200,
        ):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertIn("This link does not work", response.text)
            self.assertNotIn("Anna", response.text)

    def test_a_malformed_token_is_an_unknown_link(self):
        # A NUL byte, or anything a link never holds, must not reach the database.
        page = self.url_open(self.path(self.anna_url))
        csrf = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        slot = self.first_slot(self.anna_url)
        for path in (
            "/dealer/book/%00",
            "/dealer/book/abc%00def",
            "/dealer/book/%C3%A9t%C3%A9",
            "/dealer/book/a%20b",
        ):
            for response in (
                self.url_open(path),
                self.url_open(path, data={"csrf_token": csrf, "slot": slot}),
            ):
                self.assertEqual(response.status_code, 404, path)
                self.assertIn("This link does not work", response.text)
        self.assertFalse(self.anna_reminder.booking_ids)

    def test_posting_the_form_twice_books_once(self):
        slot = self.first_slot(self.anna_url)
        self.post(self.anna_url, slot=slot)
        again = self.post(self.anna_url, slot=self.first_slot(self.boris_url, "afternoon"))
        self.assertEqual(again.status_code, 200)
        self.assertEqual(len(self.anna_reminder.booking_ids), 1)
        self.assertEqual(
            fields.Date.to_string(self.anna_reminder.booking_ids.booking_date), slot.split(":")[0]
        )

    def test_an_expired_link_is_a_friendly_page(self):
        self.anna_reminder.booking_link_expiry = self.today - timedelta(days=1)
        response = self.url_open(self.path(self.anna_url))
        self.assertEqual(response.status_code, 410)
        self.assertIn("This booking link has expired", response.text)
        self.assertNotIn("Traceback", response.text)

    def test_bad_input_is_answered_not_crashed(self):
        for slot, message in (
            ("", "Please choose a day"),
            ("not-a-date:morning", "Please choose a day"),
            (f"{self.today}:morning", "from tomorrow"),
            (f"{self.today - timedelta(days=5)}:afternoon", "from tomorrow"),
            (f"{self.today + timedelta(days=60)}:morning", "14 days ahead"),
        ):
            response = self.post(self.anna_url, slot=slot)
            self.assertEqual(response.status_code, 400, slot)
            self.assertIn(message, response.text)
        self.assertFalse(self.anna_reminder.booking_ids)

    def test_a_full_day_says_so(self):
        slot = self.first_slot(self.anna_url)
        self.company.dealer_booking_slots_morning = 1
        others = self.env["res.partner"].create({"name": "Early Bird"})
        early = self.anna_reminder.copy({"partner_id": others.id, "due_date": self.today + timedelta(days=8)})
        self.env["dealer.service.booking"]._dealer_request(
            early, fields.Date.to_date(slot.split(":")[0]), "morning"
        )
        response = self.post(self.anna_url, slot=slot)
        self.assertEqual(response.status_code, 400)
        self.assertIn("fully booked", response.text)
        self.assertNotIn(f'value="{slot}"', response.text, "no longer offered")
