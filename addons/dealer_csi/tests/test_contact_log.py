# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import DealerCsiCase


@tagged("post_install", "-at_install")
class TestContactLog(DealerCsiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"dealer_segment": "active", "country_id": cls.env.ref("base.be").id})
        cls.source = cls.env["utm.source"].create({"name": "Radio spot"})
        cls.campaign = cls.env["utm.campaign"].create({"name": "Spring service"})

    def test_caller_found_by_phone_in_any_notation(self):
        Log = self.env["dealer.contact.log"]
        for notation in ("0470 12 34 56", "0470/12.34.56", "+32470123456", "+32 470 12 34 56", "470123456"):
            self.assertEqual(Log._dealer_match_phone(notation, self.company), self.customer, notation)
        self.assertFalse(Log._dealer_match_phone("0470 99 99 99", self.company))
        self.assertFalse(Log._dealer_match_phone("+33 470 12 34 56", self.company))  # another country
        self.assertFalse(Log._dealer_match_phone("12", self.company))

    def test_quick_entry_form_matches_the_customer(self):
        form = Form(self.env["dealer.contact.log"], view="dealer_csi.dealer_contact_log_view_form_quick")
        form.phone = "0470 12 34 56"
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.contact_name, "Ivan Ivanov")
        self.assertEqual(form.caller_status, "customer")
        form.purpose = "service"
        form.source_id = self.source
        form.outcome = "appointment"
        log = form.save()
        self.assertEqual(log.partner_id, self.customer)
        self.assertFalse(log.is_new_prospect)
        action = log.action_save_and_new()
        self.assertEqual(action["target"], "new")

    def test_unknown_caller_becomes_a_prospect_with_the_source(self):
        log = self.env["dealer.contact.log"].create(
            {
                "contact_type": "walk_in",
                "phone": "0470 55 44 33",
                "contact_name": "Petra Prospect",
                "purpose": "sales",
                "gender": "female",
                "source_id": self.source.id,
                "campaign_id": self.campaign.id,
            }
        )
        prospect = log.partner_id
        self.assertTrue(log.is_new_prospect)
        self.assertEqual(prospect.name, "Petra Prospect")
        self.assertEqual(prospect.dealer_segment, "prospect")
        self.assertEqual(prospect.dealer_source_id, self.source)
        self.assertEqual(prospect.company_id, self.company)
        self.assertEqual(log.caller_status, "prospect")
        # The next call from the same number finds her.
        again = self.env["dealer.contact.log"].create({"phone": "+32 470 55 44 33", "purpose": "sales"})
        self.assertEqual(again.partner_id, prospect)
        self.assertEqual(again.source_id, self.source)

    def test_targeted_call_and_follow_up(self):
        log = self.env["dealer.contact.log"].create(
            {
                "contact_type": "call_out",
                "partner_id": self.customer.id,
                "campaign_id": self.campaign.id,
                "purpose": "service",
                "outcome": "callback",
                "follow_up_date": "2026-12-01",
                "user_id": self.advisor.id,
            }
        )
        self.assertEqual(log.caller_status, "targeted")
        self.assertEqual(log.activity_ids.user_id, self.advisor)
        self.assertEqual(str(log.activity_ids.date_deadline), "2026-12-01")

    def test_a_contact_needs_a_name_or_a_customer(self):
        with self.assertRaisesRegex(ValidationError, "caller's name"):
            self.env["dealer.contact.log"].create({"phone": "12", "purpose": "parts"})

    def test_conversion_report(self):
        Log = self.env["dealer.contact.log"]
        converted = Log.create(
            {"contact_name": "Becomes Customer", "source_id": self.source.id, "phone": "0470 11 11 11"}
        )
        Log.create({"contact_name": "Stays Prospect", "source_id": self.source.id, "phone": "0470 22 22 22"})
        Log.create({"partner_id": self.customer.id, "source_id": self.source.id})
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": self.model.id,
                "dealer_owner_id": converted.partner_id.id,
                "company_id": self.company.id,
            }
        )
        self.make_visit(converted.date.date(), partner=converted.partner_id, vehicle=vehicle)
        self.env.flush_all()
        [(contacts, prospects, bought, rate)] = self.env["dealer.contact.report"]._read_group(
            [("source_id", "=", self.source.id)],
            [],
            ["contact_count:sum", "prospect_count:sum", "converted_count:sum", "conversion_rate:avg"],
        )
        self.assertEqual((contacts, prospects, bought), (3, 2, 1))
        self.assertEqual(rate, 50.0)
