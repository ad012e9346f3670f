# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io
from datetime import date
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import DealerLoyaltyCase, run_as_two_requests

HEADER = {
    "document_number": "WO-1",
    "date": "2026-10-01",
    "department": "service",
    "advisor": "",
    "customer_code": "T0001",
    "customer_name": "Ivan Ivanov",
    "customer_email": "ivan@example.com",
    "customer_phone": "",
    "vin": "WVWZZZ1JZXW000001",
    "plate": "123ABC",
    "model": "Testbrand Roadster",
    "odometer": "12000",
}


def row(
    line_number=1, description="Maintenance", category="labour", payer_type="customer", amount="100", **header
):
    values = dict(HEADER, **header)
    values.update(
        line_number=line_number,
        description=description,
        category=category,
        payer_type=payer_type,
        amount=amount,
    )
    return values


@tagged("post_install", "-at_install")
@freeze_time("2026-11-22")
class TestDmsImport(DealerLoyaltyCase):
    def import_rows(self, rows, **kwargs):
        return self.env["dealer.visit"].import_dms_rows(rows, **kwargs)

    def errors_by_row(self, report):
        return {error["row"]: error["message"] for error in report["errors"]}

    def test_import_creates_visit_lines_and_links_known_customer_and_vehicle(self):
        report = self.import_rows([row(1), row(2, "Oil filter", "parts", "warranty", "35.50")])
        self.assertEqual((report["created"], report["lines"], report["errors"]), (1, 2, []))
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1")])
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(visit.vehicle_id, self.vehicle)
        self.assertEqual(visit.state, "done")
        self.assertEqual((visit.amount_customer, visit.amount_warranty), (100.0, 35.5))
        self.assertEqual(self.vehicle.dealer_last_service_date, date(2026, 10, 1))
        self.assertEqual(self.customer.dealer_segment, "active")

    def test_reimporting_the_same_rows_changes_nothing(self):
        rows = [row(1), row(2, "Oil filter", "parts")]
        self.import_rows(rows)
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1")])
        lines_before = visit.line_ids.ids
        report = self.import_rows(rows)
        self.assertEqual((report["created"], report["updated"], report["unchanged"]), (0, 0, 1))
        self.assertEqual(visit.line_ids.ids, lines_before)
        self.assertEqual(self.env["dealer.visit"].search_count([("dms_document_number", "=", "WO-1")]), 1)
        self.assertEqual(len(self.vehicle.dealer_odometer_ids), 1)

    def test_unchanged_documents_are_found_without_a_query_per_document(self):
        def documents(count):
            return [
                row(1, document_number=f"SAME-{index}", date=f"2026-0{1 + index % 9}-1{index % 10}")
                for index in range(count)
            ]

        def queries_to_reimport(rows):
            self.import_rows(rows)
            before = self.env.cr.sql_log_count
            report = self.import_rows(rows)
            self.assertEqual(report["unchanged"], len(rows))
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries_to_reimport(documents(12)), queries_to_reimport(documents(2)))

    def test_reimport_restores_a_line_changed_by_hand(self):
        self.import_rows([row(1), row(2, "Oil filter", "parts")])
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1")])
        visit.line_ids.filtered(lambda line: line.dms_line_ref == "2").amount = 999
        report = self.import_rows([row(1), row(2, "Oil filter", "parts")])
        self.assertEqual((report["updated"], report["unchanged"]), (1, 0))
        self.assertEqual(visit.amount_total, 200.0)

    def test_corrected_file_updates_in_place(self):
        self.import_rows([row(1), row(2, "Oil filter", "parts")])
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1")])
        first_line = visit.line_ids.filtered(lambda line: line.dms_line_ref == "1")
        report = self.import_rows(
            [row(1, amount="150", odometer="12500"), row(3, "Wipers", "parts", odometer="12500")],
            complete_documents=True,
        )
        self.assertEqual((report["created"], report["updated"]), (0, 1))
        self.assertEqual(visit.odometer, 12500)
        self.assertEqual(sorted(visit.line_ids.mapped("dms_line_ref")), ["1", "3"])
        self.assertEqual(first_line.amount, 150.0, "the line was updated, not replaced")
        self.assertEqual(self.vehicle.dealer_odometer_ids.value, 12500.0)

    def test_document_sent_in_two_calls_keeps_every_line(self):
        first = self.import_rows([row(1), row(2, "Oil filter", "parts", amount="35,50")])
        second = self.import_rows(
            [row(3, "Wipers", "parts", amount="20"), row(4, "Air filter", "parts", amount="15")]
        )
        self.assertEqual((first["created"], second["updated"]), (1, 1))
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1")])
        self.assertEqual(sorted(visit.line_ids.mapped("dms_line_ref")), ["1", "2", "3", "4"])
        self.assertEqual(visit.amount_total, 170.5)
        again = self.import_rows([row(3, "Wipers", "parts", amount="20")])
        self.assertEqual(again["unchanged"], 1, "a page sent twice changes nothing")
        self.assertEqual(len(visit.line_ids), 4)

    def test_a_line_goes_only_when_the_dms_says_so(self):
        self.import_rows([row(1), row(2, "Oil filter", "parts")])
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1")])
        report = self.import_rows([dict(row(2, "Oil filter", "parts"), line_status="deleted")])
        self.assertEqual(report["updated"], 1)
        self.assertEqual(visit.line_ids.mapped("dms_line_ref"), ["1"])
        self.assertEqual(visit.amount_total, 100.0)

    def test_paged_rows_need_their_line_number(self):
        report = self.import_rows([row("", document_number="NO-LINE")])
        self.assertIn("line number is missing", report["errors"][0]["message"])
        whole = self.import_rows([row("", document_number="NO-LINE")], complete_documents=True)
        self.assertEqual(whole["created"], 1)

    def test_cancelled_status_cancels_the_visit(self):
        self.import_rows([row(1)])
        report = self.import_rows([row(1, status="cancelled")])
        self.assertEqual(report["updated"], 1)
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1")])
        self.assertEqual(visit.state, "cancel")
        self.assertFalse(self.vehicle.dealer_odometer_ids)

    def test_bad_rows_are_reported_and_good_documents_still_import(self):
        rows = [
            row(1, document_number="OK-1"),
            row(1, document_number="BAD-PAYER", payer_type="leasing"),
            row(1, document_number="BAD-AMOUNT", amount="12,5O"),
            row(1, document_number="BAD-DATE", date="2026-02-30"),
            row(1, document_number="FUTURE", date="2027-01-01"),
            row(1, document_number="BAD-VIN", vin="WVW123"),
            row(1, document_number=""),
            row(1, document_number="DUP"),
            row(1, document_number="DUP", description="Same number again"),
            row(1, document_number="OK-2", vin="WVWZZZ1JZXW000002", plate="777XYZ", odometer="500"),
        ]
        report = self.import_rows(rows, first_row_number=2)
        errors = self.errors_by_row(report)
        self.assertIn("payer type", errors[3])
        self.assertIn("leasing", errors[3])
        self.assertIn("not a number", errors[4])
        self.assertIn("not a date", errors[5])
        self.assertIn("in the future", errors[6])
        self.assertIn("17", errors[7])
        self.assertIn("document number is missing", errors[8])
        self.assertIn("duplicate line", errors[10])
        self.assertIn(
            "row 10", errors[9], "the first row of a document with a bad row is not imported either"
        )
        self.assertEqual(report["created"], 2)
        imported = self.env["dealer.visit"].search(
            [("dms_document_number", "in", ["OK-1", "OK-2", "DUP", "BAD-VIN"])]
        )
        self.assertEqual(sorted(imported.mapped("dms_document_number")), ["OK-1", "OK-2"])

    def test_odometer_going_backwards_is_kept_as_suspect(self):
        self.import_rows([row(1, document_number="A", date="2026-06-01", odometer="20000")])
        report = self.import_rows(
            [
                row(1, document_number="B", date="2026-09-01", odometer="15000"),
                row(1, document_number="C", date="2026-10-01", odometer="25000"),
            ]
        )
        self.assertEqual((report["created"], report["errors"]), (2, []))
        self.assertIn("suspect", report["warnings"][0]["message"])
        self.assertEqual(report["warnings"][0]["document"], "B")
        readings = {reading.value: reading.dealer_suspect for reading in self.vehicle.dealer_odometer_ids}
        self.assertEqual(readings, {20000.0: False, 15000.0: True, 25000.0: False})
        visit_b = self.env["dealer.visit"].search([("dms_document_number", "=", "B")])
        self.assertTrue(visit_b.odometer_suspect)

    def test_odometer_typo_does_not_become_the_new_floor(self):
        self.import_rows([row(1, document_number="A", date="2026-03-01", odometer="3600")])
        typo = self.import_rows([row(1, document_number="B", date="2026-06-01", odometer="360000")])
        self.assertEqual(typo["created"], 1)
        self.assertTrue(typo["warnings"])
        later = self.import_rows([row(1, document_number="C", date="2026-09-01", odometer="9000")])
        self.assertEqual((later["created"], later["errors"], later["warnings"]), (1, [], []))
        suspect = self.vehicle.dealer_odometer_ids.filtered("dealer_suspect")
        self.assertEqual(suspect.mapped("value"), [360000.0])
        self.assertLess(self.vehicle.dealer_daily_mileage, 100, "the typo is left out of the km/day estimate")
        self.assertEqual(self.vehicle.dealer_last_service_odometer, 9000)

    def test_plain_user_corrects_or_confirms_a_suspect_odometer(self):
        user = self.env["res.users"].create(
            {
                "name": "Desk Advisor",
                "login": "desk.advisor",
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        self.import_rows([row(1, document_number="A", date="2026-03-01", odometer="3600")])
        self.import_rows([row(1, document_number="B", date="2026-06-01", odometer="360000")])
        visit = self.env["dealer.visit"].with_user(user).search([("dms_document_number", "=", "B")])
        self.assertTrue(visit.odometer_suspect)
        visit.write({"odometer": 6000})
        self.assertFalse(visit.odometer_suspect)
        self.assertEqual(
            self.vehicle.dealer_odometer_ids.filtered(lambda r: r.dealer_visit_id == visit).value, 6000
        )
        visit.write({"odometer": 90000})
        self.assertTrue(visit.odometer_suspect)
        visit.action_confirm_odometer()
        self.assertFalse(visit.odometer_suspect)
        reading = visit.odometer_reading_ids
        self.assertEqual(reading.dealer_review, "right")
        first = (
            self.env["fleet.vehicle.odometer"]
            .with_user(user)
            .search([("vehicle_id", "=", self.vehicle.id), ("value", "=", 3600)])
        )
        self.assertTrue(
            first.dealer_suspect, "beside a confirmed reading, the one that contradicts it is suspect"
        )
        first.action_dealer_discard()
        self.assertEqual((first.dealer_review, first.dealer_suspect), ("wrong", True))
        self.import_rows([row(1, document_number="A", date="2026-03-01", odometer="3600")])
        self.assertEqual(first.dealer_review, "wrong", "re-importing the same document keeps the check")
        self.import_rows([row(1, document_number="B", date="2026-06-01", odometer="91000")])
        self.assertFalse(reading.dealer_review, "a new value clears the check")

    def test_a_bad_document_leaves_stored_data_untouched(self):
        self.import_rows([row(1), row(2, "Oil filter", "parts")])
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1")])
        report = self.import_rows([row(1, amount="999"), row(2, "Oil filter", "parts", payer_type="??")])
        self.assertEqual(report["updated"], 0)
        self.assertEqual(visit.line_ids.mapped("amount"), [100.0, 100.0])

    def test_unknown_customer_and_vehicle_are_created_once(self):
        newcomer = {
            "customer_code": "NEW1",
            "customer_name": "Mari Maasikas",
            "customer_email": "mari@example.com",
            "vin": "TMBJJ7NE0L0000001",
            "plate": "555MMM",
            "model": "Skoda Octavia",
        }
        rows = [
            row(1, document_number="N1", **newcomer),
            row(1, document_number="N2", date="2026-11-01", odometer="13000", **newcomer),
        ]
        report = self.import_rows(rows)
        self.assertEqual(report["created"], 2)
        partner = self.env["res.partner"].search([("dealer_customer_code", "=", "NEW1")])
        self.assertEqual(len(partner), 1)
        self.assertEqual(partner.dealer_vehicle_ids.vin_sn, "TMBJJ7NE0L0000001")
        self.assertEqual(partner.dealer_vehicle_ids.model_id.brand_id.name, "Skoda")
        self.assertEqual(partner.dealer_segment, "regular")

    def test_one_word_unknown_model_is_reported_not_guessed(self):
        report = self.import_rows([row(1, vin="TMBJJ7NE0L0000009", plate="999ZZZ", model="Golf")])
        self.assertIn("brand and model", report["errors"][0]["message"])
        self.assertFalse(self.env["fleet.vehicle.model.brand"].search([("name", "=", "Golf")]))

    def test_unknown_customer_reported_when_creation_is_off(self):
        report = self.import_rows(
            [row(1, customer_code="GHOST", customer_email="ghost@example.com")], create_missing=False
        )
        self.assertIn("unknown customer GHOST", report["errors"][0]["message"])
        self.assertFalse(self.env["res.partner"].search([("dealer_customer_code", "=", "GHOST")]))

    def test_customer_matched_by_email_then_phone(self):
        self.customer.phone = "+372 5555 1234"
        by_email = self.import_rows(
            [row(1, document_number="E", customer_code="", customer_email="IVAN@example.com")]
        )
        by_phone = self.import_rows(
            [
                row(
                    1,
                    document_number="P",
                    date="2026-11-01",
                    odometer="13000",
                    customer_code="",
                    customer_email="",
                    customer_phone="+37255551234",
                )
            ]
        )
        self.assertEqual((by_email["created"], by_phone["created"]), (1, 1))
        visits = self.env["dealer.visit"].search([("dms_document_number", "in", ["E", "P"])])
        self.assertEqual(visits.partner_id, self.customer)

    def test_vehicle_matched_by_plate_when_no_vin(self):
        self.import_rows([row(1, vin="")])
        self.assertEqual(
            self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1")]).vehicle_id, self.vehicle
        )

    def test_wizard_imports_csv_and_reports_errors(self):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(row().keys()), delimiter=";")
        writer.writeheader()
        writer.writerow(row(1))
        writer.writerow(row(1, document_number="WO-2", amount="abc"))
        wizard = self.env["dealer.visit.import"].create(
            {"file": base64.b64encode(buffer.getvalue().encode()), "file_name": "orders.csv"}
        )
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.error_count), (1, 1))
        self.assertIn("abc", wizard.error_html)
        self.assertIn("<td>3</td>", wizard.error_html, "row numbers count the header line")

    def test_wizard_imports_xlsx(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        columns = list(row().keys())
        sheet.append(columns)
        values = row(1)
        values.update(date=date(2026, 10, 1), odometer=12000, amount=100)
        sheet.append([values[column] for column in columns])
        content = io.BytesIO()
        workbook.save(content)
        wizard = self.env["dealer.visit.import"].create(
            {"file": base64.b64encode(content.getvalue()), "file_name": "orders.xlsx"}
        )
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.error_count), (1, 0))

    def test_wizard_refuses_a_file_without_header(self):
        wizard = self.env["dealer.visit.import"].create(
            {"file": base64.b64encode(b"1;2;3\n4;5;6\n"), "file_name": "orders.csv"}
        )
        with self.assertRaisesRegex(Exception, "document_number"):
            wizard.action_import()


@tagged("post_install", "-at_install")
@freeze_time("2026-11-22")
class TestDmsImportValues(DealerLoyaltyCase):
    """What a European DMS really sends, and what it must not get away with."""

    def import_rows(self, rows, **kwargs):
        return self.env["dealer.visit"].import_dms_rows(rows, **kwargs)

    def visit(self, number):
        return self.env["dealer.visit"].search([("dms_document_number", "=", number)])

    def test_market_number_formats_are_read_as_written(self):
        report = self.import_rows(
            [
                row(1, document_number="EE-1", amount="1.234,56", odometer="12.000"),
                row(2, "Tyres", "parts", amount="1 234,56", document_number="EE-1", odometer="12.000"),
                row(3, "Rims", "parts", amount="1,234.56", document_number="EE-1", odometer="12.000"),
            ]
        )
        self.assertEqual(report["errors"], [])
        visit = self.visit("EE-1")
        self.assertEqual(visit.amount_total, 3703.68)
        self.assertEqual(visit.odometer, 12000)

    def test_bad_numbers_are_refused_row_by_row_and_other_documents_import(self):
        rows = [
            row(1, document_number="NAN", amount="nan"),
            row(1, document_number="INF", amount="inf"),
            row(1, document_number="HUGE", amount="1e308"),
            row(1, document_number="FAR", odometer="99999999999999"),
            row(1, document_number="BIG", amount="999999999999"),
            row(1, document_number="NEG", amount="-50"),
            dict(row(1, document_number="CREDIT", amount="-50", date="2026-10-02"), credit="yes"),
            row(1, document_number="GOOD", date="2026-10-03"),
        ]
        report = self.import_rows(rows)
        refused = {error["document"] for error in report["errors"]}
        self.assertEqual(refused, {"NAN", "INF", "HUGE", "FAR", "BIG", "NEG"})
        for error in report["errors"]:
            self.assertNotIn("Numeric", error["message"])
        self.assertEqual(report["created"], 2)
        self.assertEqual(self.visit("CREDIT").amount_total, -50.0)
        self.env["dealer.visit"].flush_model()
        self.env.cr.execute(
            "SELECT sum(amount_total) FROM dealer_visit WHERE partner_id = %s", [self.customer.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 50.0, "revenue stays a number")

    def test_malformed_email_is_neither_stored_nor_matched(self):
        other = self.env["res.partner"].create({"name": "Jaan Tamm", "email": "tamm@example.ee"})
        report = self.import_rows(
            [row(1, document_number="M1", customer_code="", customer_email="jaan tamm@example .ee")]
        )
        self.assertIn("e-mail address", report["errors"][0]["message"])
        self.assertFalse(self.visit("M1"))
        self.assertFalse(self.env["dealer.visit"].search([("partner_id", "=", other.id)]))

    def test_phone_matched_in_the_customers_own_country(self):
        estonia, usa = self.env.ref("base.ee"), self.env.ref("base.us")
        self.company.country_id = usa
        self.customer.write({"country_id": estonia.id, "phone": "+372 5123 4567"})
        partners_before = self.env["res.partner"].search_count([])
        report = self.import_rows(
            [row(1, document_number="PH", customer_code="", customer_email="", customer_phone="5123 4567")]
        )
        self.assertEqual(report["created"], 1)
        self.assertEqual(self.visit("PH").partner_id, self.customer)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)

    def test_vin_that_cannot_be_a_vin_is_refused(self):
        report = self.import_rows([row(1, document_number="V1", vin="WVWZZZ1JZXO000001", plate="X1")])
        self.assertIn("I, O and Q", report["errors"][0]["message"])

    def test_markup_long_text_and_unknown_advisor(self):
        report = self.import_rows(
            [
                row(
                    1,
                    document_number="TXT",
                    description="Brake pads " + "x" * 10_000,
                    customer_code="NEW9",
                    customer_email="mei@example.cn",
                    customer_name="<b>王</b> 小明",
                    advisor="nobody.here",
                    vin="LSVAU2180N2000001",
                    plate="CN-001",
                    model="Skoda Octavia",
                )
            ]
        )
        self.assertEqual((report["created"], report["errors"]), (1, []))
        messages = " ".join(warning["message"] for warning in report["warnings"])
        self.assertIn("cut to 500", messages)
        self.assertIn("unknown advisor nobody.here", messages)
        visit = self.visit("TXT")
        self.assertEqual(visit.partner_id.name, "王 小明")
        self.assertEqual(len(visit.line_ids.name), 500)
        self.assertFalse(visit.user_id)

    def test_imported_visit_equals_one_entered_by_hand(self):
        Visit = type(self.env["dealer.visit"])
        original = Visit._dealer_on_visit_done
        calls = []

        def spy(visits):
            calls.append(visits.ids)
            return original(visits)

        with patch.object(Visit, "_dealer_on_visit_done", spy):
            self.import_rows([row(1), row(2, "Oil filter", "parts", "warranty", "35,50")])
            by_hand = self.make_visit(
                date(2026, 10, 2),
                odometer=12100,
                lines=[
                    ("Maintenance", "labour", "customer", 100.0),
                    ("Oil filter", "parts", "warranty", 35.5),
                ],
            )
        imported = self.visit("WO-1")
        self.assertEqual(calls, [imported.ids, by_hand.ids], "the done hook ran once per visit")
        fields_compared = ["amount_total", "amount_customer", "amount_warranty", "is_maintenance", "state"]
        self.assertEqual(
            imported.read(fields_compared)[0] | {"id": 0}, by_hand.read(fields_compared)[0] | {"id": 0}
        )
        self.assertEqual(len(imported.odometer_reading_ids), 1)
        self.assertEqual(imported.line_ids.mapped("partner_id"), self.customer)

    def test_a_second_vehicle_with_the_same_vin_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "already the VIN"):
            self.env["fleet.vehicle"].create(
                {"model_id": self.model.id, "vin_sn": "wvwzzz1jzxw000001", "license_plate": "OTHER"}
            )

    def test_plain_user_imports_over_the_same_method(self):
        user = self.env["res.users"].create(
            {
                "name": "DMS Connector",
                "login": "dms.connector",
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        report = self.env["dealer.visit"].with_user(user).import_dms_rows([row(1)])
        self.assertEqual((report["created"], report["errors"]), (1, []))
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "outsider",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.env["dealer.visit"].with_user(outsider).import_dms_rows([row(1, document_number="X")])


@tagged("post_install", "-at_install")
class TestConcurrentImport(TransactionCase):
    """Two DMS connections pushing at the same moment, on two real database connections.

    Each import runs as Odoo's request handler runs a call: inside
    ``retrying``, which runs it again after a serialization failure.
    """

    PREFIX = "RACE-"

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        self.cleanup()
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            cr.execute("DELETE FROM dealer_visit WHERE dms_document_number LIKE %s", [self.PREFIX + "%"])
            env["fleet.vehicle"].search([("license_plate", "like", self.PREFIX)]).unlink()
            env["res.partner"].search([("email", "like", "race.")]).unlink()
            brand = env["fleet.vehicle.model.brand"].search([("name", "=", "Racebrand")])
            env["fleet.vehicle.model"].search([("brand_id", "in", brand.ids)]).unlink()
            brand.unlink()

    def rows(self, number):
        return [
            {
                "document_number": self.PREFIX + number,
                "date": "2026-10-01",
                "customer_name": "Race Customer",
                "customer_email": "race.customer@example.ee",
                "vin": "RACEVAN0000000001",
                "plate": self.PREFIX + "1",
                "model": "Racebrand Sprinter",
                "odometer": "1000",
                "line_number": 1,
                "description": "Inspection",
                "payer_type": "customer",
                "amount": "50",
            }
        ]

    def run_together(self, first_rows, second_rows):
        reports = run_as_two_requests(
            self.env.cr.dbname,
            lambda env: env["dealer.visit"].import_dms_rows(first_rows),
            lambda env: env["dealer.visit"].import_dms_rows(second_rows),
        )
        self.assertEqual(
            [name for name, report in reports.items() if isinstance(report, Exception)], [], reports
        )
        return reports

    def count(self, query, params):
        with self.db.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchone()[0]

    def test_different_documents_sharing_a_new_customer_and_vehicle(self):
        reports = self.run_together(self.rows("A"), self.rows("B"))
        self.assertEqual([reports[name]["created"] for name in ("first", "second")], [1, 1], reports)
        self.assertEqual(reports["first"]["errors"] + reports["second"]["errors"], [])
        self.assertEqual(
            self.count("SELECT count(*) FROM res_partner WHERE email = %s", ["race.customer@example.ee"]), 1
        )
        self.assertEqual(
            self.count("SELECT count(*) FROM fleet_vehicle WHERE vin_sn = %s", ["RACEVAN0000000001"]), 1
        )
        self.assertEqual(
            self.count("SELECT count(*) FROM fleet_vehicle_model WHERE name = %s", ["Sprinter"]), 1
        )
        self.assertEqual(
            self.count(
                "SELECT count(DISTINCT vehicle_id) FROM dealer_visit WHERE dms_document_number LIKE %s",
                ["RACE-%"],
            ),
            1,
        )

    def test_the_same_batch_twice_at_once(self):
        reports = self.run_together(self.rows("A"), self.rows("A"))
        outcomes = sorted(
            (report["created"], report["unchanged"], len(report["errors"])) for report in reports.values()
        )
        self.assertEqual(
            outcomes, [(0, 1, 0), (1, 0, 0)], "one creates, the other finds it unchanged; no errors"
        )
        self.assertEqual(
            self.count("SELECT count(*) FROM dealer_visit WHERE dms_document_number = %s", ["RACE-A"]), 1
        )
        self.assertEqual(
            self.count(
                "SELECT count(*) FROM dealer_visit_line l JOIN dealer_visit v ON v.id = l.visit_id "
                "WHERE v.dms_document_number = %s",
                ["RACE-A"],
            ),
            1,
        )


@tagged("post_install", "-at_install")
@freeze_time("2026-11-22")
class TestDmsImportIdentity(DealerLoyaltyCase):
    """The same customer or car, however the DMS writes it, is one record."""

    def import_rows(self, rows, **kwargs):
        return self.env["dealer.visit"].import_dms_rows(rows, **kwargs)

    def visit(self, number):
        return self.env["dealer.visit"].search([("dms_document_number", "=", number)])

    def test_customer_known_only_by_name_is_found_again(self):
        only_name = {"customer_code": "", "customer_email": "", "customer_name": "Olga Petrova"}
        self.import_rows([row(1, document_number="N1", **only_name)])
        partner = self.visit("N1").partner_id
        report = self.import_rows([row(1, document_number="N1", **only_name)])
        self.assertEqual(report["unchanged"], 1)
        self.assertEqual(self.visit("N1").partner_id, partner)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "Olga Petrova")]), 1)

    def test_plate_written_differently_finds_the_car(self):
        self.vehicle.license_plate = "123 abc"
        self.import_rows([row(1, vin="", plate="123-ABC")])
        self.assertEqual(self.visit("WO-1").vehicle_id, self.vehicle)

    def test_documents_of_one_call_sharing_an_identity_create_one_record(self):
        newcomer = {"customer_code": "NEW7", "customer_email": "kati@example.ee", "customer_name": "Kati"}
        car = {"vin": "TMBJJ7NE0L0000077", "plate": "777KAT", "model": "Skoda Octavia"}
        report = self.import_rows(
            [
                row(1, document_number="S1", **newcomer, **car),
                row(
                    1,
                    document_number="S2",
                    date="2026-11-01",
                    odometer="13000",
                    customer_code="",
                    customer_email="kati@example.ee",
                    customer_name="Kati",
                    vin="",
                    plate="777 kat",
                    model="Skoda Octavia",
                ),
            ]
        )
        self.assertEqual((report["created"], report["errors"]), (2, []))
        visits = self.visit("S1") | self.visit("S2")
        self.assertEqual(len(visits.partner_id), 1)
        self.assertEqual(len(visits.vehicle_id), 1)

    def test_brand_of_two_words_is_recognised(self):
        self.env["fleet.vehicle.model.brand"].create({"name": "Land Rover"})
        self.import_rows([row(1, vin="SALGA2BE0LA000001", plate="LR001", model="Land Rover Evoque")])
        model = self.visit("WO-1").vehicle_id.model_id
        self.assertEqual((model.brand_id.name, model.name), ("Land Rover", "Evoque"))

    def test_used_car_sold_by_the_sales_department_is_not_suspect(self):
        self.import_rows(
            [
                row(
                    1,
                    document_number="SALE",
                    department="sales",
                    vin="WBA3A5C50CF000001",
                    plate="USED1",
                    model="Skoda Octavia",
                    odometer="85.000",
                )
            ]
        )
        vehicle = self.visit("SALE").vehicle_id
        self.assertEqual(vehicle.dealer_condition, "used")
        self.assertFalse(vehicle.dealer_odometer_ids.dealer_suspect)

    def test_open_and_foreign_cancelled_statuses(self):
        self.import_rows([row(1, status="open")])
        self.assertEqual(self.visit("WO-1").state, "draft")
        self.assertFalse(self.vehicle.dealer_odometer_ids, "an open work order has no reading yet")
        self.import_rows([row(1, status="отменен")])
        self.assertEqual(self.visit("WO-1").state, "cancel")

    def test_whole_document_removes_every_line_added_by_hand(self):
        self.import_rows([row(1)])
        visit = self.visit("WO-1")
        visit.write(
            {"line_ids": [(0, 0, {"name": "Extra A", "amount": 5}), (0, 0, {"name": "Extra B", "amount": 6})]}
        )
        self.import_rows([row(1)], complete_documents=True)
        self.assertEqual(visit.line_ids.mapped("name"), ["Maintenance"])

    def test_only_deletions_of_an_unknown_document_create_nothing(self):
        report = self.import_rows([dict(row(1, document_number="GONE"), line_status="deleted")])
        self.assertFalse(self.visit("GONE"))
        self.assertEqual(report["errors"], [])

    def test_an_earlier_reading_made_suspect_is_reported(self):
        self.import_rows([row(1, document_number="A", date="2026-03-01", odometer="45000")])
        self.vehicle.dealer_condition = "used"
        self.import_rows([row(1, document_number="B", date="2026-04-01", odometer="4600")])
        report = self.import_rows([row(1, document_number="C", date="2026-06-01", odometer="9000")])
        self.assertIn("45 000", " ".join(w["message"] for w in report["warnings"]))
