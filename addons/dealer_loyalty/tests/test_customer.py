# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import DealerLoyaltyCase


@tagged("post_install", "-at_install")
class TestSegments(DealerLoyaltyCase):
    """Regular = at least 2 visits in 12 months; lost = no visit for 12 months."""

    def segment_after(self, *visit_dates):
        partner = self.env["res.partner"].create({"name": "Segment Probe", "dealer_segment": "prospect"})
        for visit_date in visit_dates:
            self.make_visit(visit_date, partner=partner, vehicle=self.env["fleet.vehicle"])
        partner._dealer_update_segments()
        return partner.dealer_segment

    @freeze_time("2026-11-22")
    def test_no_visit_is_a_prospect(self):
        self.assertEqual(self.segment_after(), "prospect")

    @freeze_time("2026-11-22")
    def test_one_recent_visit_is_active(self):
        self.assertEqual(self.segment_after(date(2026, 10, 1)), "active")

    @freeze_time("2026-11-22")
    def test_two_visits_within_the_period_is_regular(self):
        self.assertEqual(self.segment_after(date(2025, 11, 22), date(2026, 10, 1)), "regular")

    @freeze_time("2026-11-22")
    def test_a_visit_just_outside_the_period_does_not_count(self):
        self.assertEqual(self.segment_after(date(2025, 11, 21), date(2026, 10, 1)), "active")

    @freeze_time("2026-11-22")
    def test_last_visit_exactly_twelve_months_ago_is_not_yet_lost(self):
        self.assertEqual(self.segment_after(date(2025, 11, 22)), "active")

    @freeze_time("2026-11-22")
    def test_last_visit_over_twelve_months_ago_is_lost(self):
        self.assertEqual(self.segment_after(date(2024, 3, 1), date(2025, 11, 21)), "lost")

    @freeze_time("2026-11-22")
    def test_cancelled_visits_do_not_count(self):
        partner = self.env["res.partner"].create({"name": "Cancel Probe"})
        visit = self.make_visit(date(2026, 10, 1), partner=partner, vehicle=self.env["fleet.vehicle"])
        self.assertEqual(partner.dealer_segment, "active")
        visit.action_cancel()
        self.assertEqual(partner.dealer_segment, "prospect")

    @freeze_time("2026-11-22")
    def test_nightly_job_moves_customers_to_lost_and_tracks_it(self):
        partner = self.env["res.partner"].create({"name": "Drifting Away"})
        with freeze_time("2026-01-15"):
            self.make_visit(date(2026, 1, 10), partner=partner, vehicle=self.env["fleet.vehicle"])
        self.assertEqual(partner.dealer_segment, "active")
        # Odoo does not track records created in the same transaction: end that one first.
        self.env.flush_all()
        self.env.cr.precommit.run()
        with freeze_time("2027-01-11"):
            self.env["res.partner"].with_context(tracking_disable=False)._cron_dealer_update_segments()
            self.env.flush_all()
            self.env.cr.precommit.run()  # mail tracking is written at commit time
        self.assertEqual(partner.dealer_segment, "lost")
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id.model", "=", "res.partner"), ("mail_message_id.res_id", "=", partner.id)]
        )
        self.assertEqual(tracked.field_id.name, "dealer_segment")
        self.assertEqual((tracked.old_value_char, tracked.new_value_char), ("Active", "Lost"))

    def test_customers_without_visits_become_prospects_and_get_greetings(self):
        newcomer = self.env["res.partner"].create(
            {"name": "Nora Newcomer", "email": "nora@example.com", "dealer_consent_email": True}
        )
        staff = self.env["res.users"].create({"name": "Sam Staff", "login": "sam_staff_segments"})
        self.assertFalse(newcomer.dealer_segment)
        self.env["res.partner"]._cron_dealer_update_segments()
        self.assertEqual(newcomer.dealer_segment, "prospect")
        self.assertFalse(staff.partner_id.dealer_segment, "staff are not customers")
        self.assertFalse(self.env.company.partner_id.dealer_segment)

    @freeze_time("2026-11-22")
    def test_thresholds_come_from_settings(self):
        partner = self.env["res.partner"].create({"name": "Threshold Probe"})
        for visit_date in (date(2026, 2, 1), date(2026, 6, 1)):
            self.make_visit(visit_date, partner=partner, vehicle=self.env["fleet.vehicle"])
        self.assertEqual(partner.dealer_segment, "regular")
        settings = self.env["res.config.settings"].create({"dealer_regular_min_visits": 3})
        settings.execute()
        self.assertEqual(partner.dealer_segment, "active")


@tagged("post_install", "-at_install")
class TestCustomerForm(DealerLoyaltyCase):
    @freeze_time("2026-11-22")
    def test_visit_statistics(self):
        self.make_visit(date(2026, 2, 1), odometer=1000, lines=[("Service", "labour", "customer", 200.0)])
        self.make_visit(
            date(2026, 8, 1),
            odometer=6000,
            lines=[("Brakes", "parts", "customer", 300.0), ("Recall", "labour", "warranty", 50.0)],
        )
        self.make_visit(date(2026, 9, 1), odometer=7000, state="draft")
        self.assertEqual(self.customer.dealer_visit_count, 2)
        self.assertEqual(self.customer.dealer_first_visit_date, date(2026, 2, 1))
        self.assertEqual(self.customer.dealer_last_visit_date, date(2026, 8, 1))
        self.assertEqual(self.customer.dealer_total_revenue, 550.0)
        self.assertEqual(self.customer.dealer_vehicle_count, 1)

    def test_visit_totals_per_payer_type(self):
        visit = self.make_visit(
            date(2026, 3, 1),
            lines=[
                ("Service", "labour", "customer", 200.0),
                ("Glass", "parts", "insurance", 400.0),
                ("Recall", "labour", "warranty", 80.0),
                ("Wash", "other", "internal", 10.0),
            ],
        )
        visit.line_ids = [
            (
                0,
                0,
                {
                    "name": "Tyres",
                    "category": "parts",
                    "payer_type": "customer",
                    "amount": 500.0,
                    "declined": True,
                },
            )
        ]
        self.assertEqual(
            (visit.amount_customer, visit.amount_insurance, visit.amount_warranty, visit.amount_internal),
            (200.0, 400.0, 80.0, 10.0),
        )
        self.assertEqual(visit.amount_total, 690.0)
        self.assertEqual(visit.amount_declined, 500.0)

    def test_consent_changes_are_dated_and_sourced(self):
        with freeze_time("2026-05-05"):
            self.customer.with_context(dealer_loyalty_consent_source="phone").dealer_consent_sms = True
        self.assertEqual(self.customer.dealer_consent_sms_date, date(2026, 5, 5))
        self.assertEqual(self.customer.dealer_consent_sms_source, "phone")

    def test_blacklists_win_over_consent(self):
        self.customer.write(
            {"dealer_consent_email": True, "dealer_consent_sms": True, "mobile": "+372 5555 0001"}
        )
        self.assertEqual(self.customer._dealer_contact_allowed("email"), self.customer)
        self.assertEqual(self.customer._dealer_contact_allowed("sms"), self.customer)
        self.env["mail.blacklist"]._add(self.customer.email)
        self.env["phone.blacklist"]._add([self.customer.phone_sanitized])
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer._dealer_contact_allowed("email"))
        self.assertFalse(self.customer._dealer_contact_allowed("sms"))
        self.assertFalse(self.customer._dealer_contact_allowed("letter"), "no consent, no letter")

    def test_customer_code_is_unique_per_company(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["res.partner"].create({"name": "Duplicate", "dealer_customer_code": "T0001"})
            self.env["res.partner"].flush_model()
        other = self.env["res.company"].create({"name": "Other Motors"})
        twin = self.env["res.partner"].create(
            {"name": "Twin", "dealer_customer_code": "T0001", "company_id": other.id}
        )
        self.assertEqual(twin.dealer_customer_code, "T0001")

    def test_new_visit_form_takes_the_vehicle_owner(self):
        with Form(self.env["dealer.visit"]) as visit_form:
            visit_form.vehicle_id = self.vehicle
            self.assertEqual(visit_form.partner_id, self.customer)
            with visit_form.line_ids.new() as line:
                line.name = "Oil change"
                line.amount = 120
        self.assertTrue(visit_form.record.name.startswith("VIS/"))
