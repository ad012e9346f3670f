# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The DMS row parser on its own: plain unit tests, no database."""

from datetime import date
from unittest import TestCase

from odoo.addons.dealer_loyalty.models.dealer_vehicle_service_prediction import plausible_readings
from odoo.addons.dealer_loyalty.tools.dms_rows import (
    MAX_ODOMETER_KM,
    RowError,
    RowParser,
    clean_text,
    parse_date,
    parse_email,
    parse_number,
    parse_status,
    parse_vin,
    plate_key,
)

AMOUNT = "amount"


class TestNumbers(TestCase):
    def amount(self, value, **kwargs):
        return parse_number(value, AMOUNT, **kwargs)

    def odometer(self, value):
        return parse_number(value, "odometer", integer=True, maximum=MAX_ODOMETER_KM)

    def assertRefused(self, value, fragment, **kwargs):
        with self.assertRaises(RowError) as caught:
            parse_number(value, AMOUNT, **kwargs)
        self.assertIn(fragment, caught.exception.render())

    def test_amounts_in_every_market_format(self):
        for written in (
            "1234.56",
            "1,234.56",
            "1.234,56",
            "1 234,56",
            "1\u00a0234,56",
            "1\u202f234,56",
            "1'234.56",
        ):
            with self.subTest(written=written):
                self.assertEqual(self.amount(written), 1234.56)
        self.assertEqual(self.amount("35,50"), 35.5)
        self.assertEqual(self.amount("35.5"), 35.5)
        self.assertEqual(self.amount("1.234.567,89"), 1234567.89)
        self.assertEqual(self.amount("1,234,567.89"), 1234567.89)
        self.assertEqual(self.amount("0,125"), 0.12, "a leading zero is never a thousands group")
        self.assertEqual(self.amount(""), 0)
        self.assertEqual(self.amount(12.5), 12.5, "numbers from XLSX or XML-RPC stay numbers")

    def test_odometers_with_thousands_separators(self):
        for written in (
            "120000",
            "120.000",
            "120,000",
            "120 000",
            "120\u00a0000",
            "120.000 km",
            "120 000 км",
            120000,
        ):
            with self.subTest(written=written):
                self.assertEqual(self.odometer(written), 120000)
        self.assertEqual(self.odometer("1.234.567"), 1234567)

    def test_non_finite_and_out_of_range_numbers_are_refused(self):
        for written in ("nan", "inf", "-inf", "1e308", "Infinity", float("nan"), float("inf")):
            with self.subTest(written=written):
                self.assertRefused(written, "not a number")
        self.assertRefused("1000000000", "out of range")
        self.assertRefused(1e308, "out of range")
        self.assertRefused(10**400, "not a number")
        with self.assertRaises(RowError):
            self.odometer("99999999999999")

    def test_malformed_numbers_are_refused(self):
        for written in ("12,5O", "1.23.4", "1,2,3", "1.234.56,7,8", "--5", "12-", "1.", ",", "abc", True):
            with self.subTest(written=written):
                self.assertRefused(written, "not a number")

    def test_negative_amounts_only_on_credit_lines(self):
        self.assertRefused("-100", "cannot be negative")
        self.assertRefused("\u2212100,00", "cannot be negative")
        self.assertEqual(self.amount("-1.234,50", allow_negative=True), -1234.5)


class TestTexts(TestCase):
    def test_email_must_be_one_well_formed_address(self):
        self.assertEqual(parse_email(" Jaan.Tamm@Example.EE "), "jaan.tamm@example.ee")
        self.assertEqual(parse_email("иван@пример.рф"), "иван@пример.рф")
        self.assertEqual(parse_email(""), "")
        for written in (
            "jaan tamm@example .ee",
            "jaan@",
            "@example.ee",
            "a@b",
            "a@@b.ee",
            "a@b.ee, c@d.ee",
            "<a@b.ee>",
        ):
            with self.subTest(written=written), self.assertRaises(RowError):
                parse_email(written)

    def test_vin_letters_and_length(self):
        self.assertEqual(parse_vin("wvw zzz1jz xw000001"), "WVWZZZ1JZXW000001")
        for written in (
            "WVW123",
            "WVWZZZ1JZXW0000012",
            "WVWZZZ1JZXO000001",
            "IVWZZZ1JZXW000001",
            "QVWZZZ1JZXW00000!",
        ):
            with self.subTest(written=written), self.assertRaises(RowError):
                parse_vin(written)

    def test_markup_stripped_and_length_capped(self):
        self.assertEqual(clean_text("<b>Ivan</b> <script>x</script>Иванов", 128), ("Ivan x Иванов", False))
        self.assertEqual(clean_text("Tamm &amp; Poeg", 128), ("Tamm & Poeg", False))
        text, cut = clean_text("x" * 10_000, 500)
        self.assertTrue(cut)
        self.assertEqual(len(text), 500)
        self.assertEqual(clean_text("王 小明", 128), ("王 小明", False))

    def test_dates(self):
        today = date(2026, 11, 22)
        for written in ("2026-10-01", "01.10.2026", "01/10/2026", date(2026, 10, 1)):
            with self.subTest(written=written):
                self.assertEqual(parse_date(written, today), date(2026, 10, 1))
        for written in ("2026-02-30", "", "2027-01-01", "1900-01-01"):
            with self.subTest(written=written), self.assertRaises(RowError):
                parse_date(written, today)


class TestPlausibleReadings(TestCase):
    def kept_km(self, readings, **kwargs):
        return [km for _day, km in plausible_readings(readings, 600, **kwargs)]

    def test_one_typo_is_outvoted_by_the_readings_around_it(self):
        readings = [
            (date(2026, 1, 10), 45000),
            (date(2026, 2, 10), 4500),
            (date(2026, 3, 10), 46000),
            (date(2026, 6, 10), 49000),
        ]
        self.assertEqual(self.kept_km(readings), [45000, 46000, 49000])
        self.assertEqual(
            self.kept_km([(date(2026, 1, 10), 3600), (date(2026, 3, 1), 360000), (date(2026, 5, 1), 9000)]),
            [3600, 9000],
        )

    def test_history_stands_between_equal_stories_and_checked_readings_win(self):
        readings = [(date(2026, 6, 1), 20000), (date(2026, 9, 1), 15000)]
        self.assertEqual(self.kept_km(readings), [20000])
        self.assertEqual(self.kept_km(readings, pinned=[readings[1]]), [15000])


class TestStatusAndMarkup(TestCase):
    def test_statuses_in_every_market_language(self):
        for written, state in (
            ("", "done"),
            ("Closed", "done"),
            ("отменен", "cancel"),
            ("已取消", "cancel"),
            ("Tühistatud", "cancel"),
            ("open", "draft"),
            ("в работе", "draft"),
        ):
            with self.subTest(written=written):
                self.assertEqual(parse_status(written), state)
        with self.assertRaises(RowError):
            parse_status("maybe")

    def test_text_in_angle_brackets_is_not_markup(self):
        self.assertEqual(clean_text("Oil <4L> 5W-30", 128)[0], "Oil <4L> 5W-30")
        self.assertEqual(clean_text("&lt;script&gt;alert(1)&lt;/script&gt;Mari", 128)[0], "alert(1) Mari")

    def test_plates_compare_without_spaces_and_case(self):
        self.assertEqual(plate_key("ab 123-c"), plate_key("AB123C"))


class TestRowParser(TestCase):
    """A document's header and a line's wording are read once per call; each row still gets its own."""

    def setUp(self):
        super().setUp()
        lookups = {
            "department": {"service": "service"},
            "category": {"labour": "labour"},
            "payer_type": {"customer": "customer"},
        }
        self.parser = RowParser(lookups, date(2026, 11, 22))
        self.row = {
            "date": "2026-10-01",
            "customer_code": "C1",
            "customer_name": "x" * 200,
            "line_number": 1,
            "description": "Maintenance",
            "payer_type": "customer",
            "amount": "100",
        }

    def test_rows_of_one_document_get_their_own_amount_and_warnings(self):
        header, line, warnings = self.parser.parse(self.row)
        header_again, line_again, warnings_again = self.parser.parse(dict(self.row, amount="1 234,50"))
        self.assertEqual(header_again, header)
        self.assertEqual((line["amount"], line_again["amount"]), (100.0, 1234.5))
        self.assertIsNot(line_again, line, "each row's line is its own (the import numbers them)")
        self.assertEqual(len(warnings), 1, "the name cut to size")
        self.assertEqual(len(warnings_again), 1)
        self.assertIsNot(warnings_again, warnings)

    def test_a_bad_value_is_refused_on_every_row_that_repeats_it(self):
        for _attempt in range(2):
            with self.assertRaises(RowError):
                self.parser.parse(dict(self.row, date="2026-02-30"))
            with self.assertRaises(RowError):
                self.parser.parse(dict(self.row, payer_type="leasing"))
        self.assertEqual(self.parser.parse(dict(self.row, date="01.10.2026"))[0]["date"], date(2026, 10, 1))
