# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a Dealer Loyalty user can send to a visit over the external API: amounts and import arguments."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from ..tools.dms_rows import MAX_AMOUNT
from .common import DealerLoyaltyCase
from .test_dms_import import row


@tagged("post_install", "-at_install")
class TestVisitLineAmounts(DealerLoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.advisor = new_test_user(
            cls.env, login="amount_advisor", groups="dealer_loyalty.dealer_loyalty_group_user"
        )
        cls.done_visit = cls.make_visit(date(2026, 3, 1), odometer=1000)
        cls.draft_visit = cls.make_visit(date(2026, 3, 2), odometer=1100, state="draft")
        cls.Line = cls.env["dealer.visit.line"].with_user(cls.advisor)

    def assertRefusedInWords(self, catcher, line_name):
        message = str(catcher.exception)
        self.assertIn(line_name, message, "the message names the line")
        self.assertNotIn("psycopg2", message)
        self.assertNotIn("integer", message)

    def test_a_huge_line_on_a_done_visit_is_refused_in_words(self):
        with self.assertRaises(ValidationError) as catcher:
            self.Line.create({"visit_id": self.done_visit.id, "name": "Gift", "amount": 3e9})
        self.assertRefusedInWords(catcher, "Gift")
        self.assertIn("100", str(catcher.exception), "the message gives the limit")

    def test_a_line_cannot_be_raised_beyond_the_limit(self):
        line = self.done_visit.line_ids.with_user(self.advisor)
        with self.assertRaises(ValidationError) as catcher:
            line.write({"amount": 1e12})
        self.assertRefusedInWords(catcher, line.name)
        with self.assertRaises(ValidationError):
            line.write({"amount": -1e12})
        self.assertEqual(line.amount, 100.0)

    def test_a_draft_visit_cannot_hold_an_amount_that_inflates_revenue(self):
        with self.assertRaises(ValidationError):
            self.Line.create({"visit_id": self.draft_visit.id, "name": "Typo", "amount": 1e20})
        with self.assertRaises(ValidationError):
            self.env["dealer.visit"].with_user(self.advisor).create(
                {
                    "partner_id": self.customer.id,
                    "date": date(2026, 3, 3),
                    "line_ids": [Command.create({"name": "Typo", "amount": 1e20})],
                }
            )

    def test_amounts_that_are_not_numbers_are_refused(self):
        line = self.draft_visit.line_ids.with_user(self.advisor)
        for amount in (float("nan"), float("inf"), float("-inf")):
            with self.subTest(amount=amount):
                with self.assertRaises(ValidationError) as catcher:
                    line.write({"amount": amount})
                self.assertRefusedInWords(catcher, line.name)
                with self.assertRaises(ValidationError):
                    self.Line.create({"visit_id": self.draft_visit.id, "name": "Odd", "amount": amount})
                with self.assertRaises(ValidationError):
                    self.env["dealer.visit"].with_user(self.advisor).create(
                        {
                            "partner_id": self.customer.id,
                            "date": date(2026, 3, 3),
                            "line_ids": [Command.create({"name": "Odd", "amount": amount})],
                        }
                    )
                with self.assertRaises(ValidationError):
                    self.draft_visit.with_user(self.advisor).write(
                        {"line_ids": [Command.update(line.id, {"amount": amount})]}
                    )
        self.assertEqual(line.amount, 100.0)

    def test_the_largest_amounts_and_credits_are_kept(self):
        largest = self.Line.create({"visit_id": self.draft_visit.id, "name": "Truck", "amount": MAX_AMOUNT})
        credit = self.Line.create({"visit_id": self.draft_visit.id, "name": "Credit", "amount": -MAX_AMOUNT})
        self.assertEqual((largest.amount, credit.amount), (MAX_AMOUNT, -MAX_AMOUNT))

    @freeze_time("2026-11-22")
    def test_the_import_reports_its_own_row_message(self):
        report = (
            self.env["dealer.visit"]
            .with_user(self.advisor)
            .import_dms_rows([row(1, document_number="BIG", amount="3000000000")], first_row_number=2)
        )
        self.assertEqual(report["created"], 0)
        self.assertEqual(len(report["errors"]), 1)
        error = report["errors"][0]
        self.assertEqual((error["row"], error["document"]), (2, "BIG"))
        self.assertIn("amount 3000000000 is out of range", error["message"])


@tagged("post_install", "-at_install")
class TestImportArguments(DealerLoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.advisor = new_test_user(
            cls.env, login="import_advisor", groups="dealer_loyalty.dealer_loyalty_group_user"
        )
        cls.Visit = cls.env["dealer.visit"].with_user(cls.advisor)

    @freeze_time("2026-11-22")
    def test_bad_arguments_are_refused_in_words(self):
        for first_row_number in ("x", 0, -3, 1.5, True, None, [2], 10**12):
            with self.subTest(first_row_number=first_row_number):
                with self.assertRaisesRegex(UserError, "first row number"):
                    self.Visit.import_dms_rows([row(1)], first_row_number=first_row_number)
        for rows in ("abc", {"document_number": "X"}, 12, None):
            with self.subTest(rows=rows):
                with self.assertRaisesRegex(UserError, "list of rows"):
                    self.Visit.import_dms_rows(rows)
        report = self.Visit.import_dms_rows([row(1, document_number="WO-OK")], first_row_number=2)
        self.assertEqual((report["created"], report["errors"]), (1, []))


@tagged("post_install", "-at_install")
class TestFinishedVisitLineTrail(DealerLoyaltyCase):
    """Points and revenue were counted on a finished visit's lines: every later change leaves a note."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A clerk without an e-mail address, as the DMS connection often is.
        cls.clerk = new_test_user(
            cls.env,
            login="trail_clerk",
            name="Trail Clerk",
            groups="dealer_loyalty.dealer_loyalty_group_user",
        )
        cls.clerk.partner_id.email = False
        cls.visit = cls.make_visit(
            date(2026, 3, 1), odometer=1000, lines=[("Brakes", "labour", "customer", 100.0)]
        )
        cls.fresh = cls.make_visit(
            date(2026, 3, 2), odometer=1100, lines=[("Tyres", "parts", "customer", 80.0)]
        )
        # Finished in an earlier transaction (the tests run in one).
        cls.env.cr.execute(
            "UPDATE dealer_visit SET create_date = create_date - interval '1 day' WHERE id = %s",
            [cls.visit.id],
        )
        cls.visit.invalidate_recordset(["create_date"])

    def notes(self, visit):
        return visit.message_ids.filtered(lambda message: "changed the lines" in (message.body or ""))

    def test_a_changed_line_is_noted_with_before_and_after(self):
        line = self.visit.line_ids.with_user(self.clerk)
        line.write({"amount": 1_000_000.0, "payer_type": "insurance"})
        note = self.notes(self.visit)
        self.assertEqual(len(note), 1)
        self.assertIn("Trail Clerk", note.body)
        self.assertIn("Brakes", note.body)
        self.assertRegex(note.body, r"100\.00.*→.*1,000,000\.00")
        self.assertIn("Customer-paid → Insurance", note.body)
        self.assertEqual(
            note.author_id, self.env.ref("base.partner_root"), "a clerk without e-mail notes as the system"
        )
        line.write({"amount": 1_000_000.0})
        self.assertEqual(len(self.notes(self.visit)), 1, "a write that changes nothing notes nothing")

    def test_added_and_removed_lines_are_noted(self):
        Line = self.env["dealer.visit.line"].with_user(self.clerk)
        added = Line.create({"visit_id": self.visit.id, "name": "Gift", "amount": 500.0})
        self.assertIn("“Gift” added", self.notes(self.visit).body)
        added.unlink()
        self.assertEqual(len(self.notes(self.visit)), 2)
        self.assertIn("“Gift” removed", self.notes(self.visit)[0].body)

    def test_a_visit_still_being_entered_changes_unnoted(self):
        self.fresh.line_ids.with_user(self.clerk).amount = 90.0
        self.env["dealer.visit.line"].with_user(self.clerk).create(
            {"visit_id": self.fresh.id, "name": "Valve"}
        )
        draft = self.make_visit(date(2026, 3, 3), odometer=1200, state="draft")
        draft.line_ids.amount = 70.0
        self.assertFalse(self.notes(self.fresh) | self.notes(draft))
