# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading DMS work-order rows: pure parsing and normalisation, no database.

Every function takes what a DMS sends (text from a CSV file, a cell of an XLSX
sheet, a value of an XML-RPC call) and returns the normalised value, or
raises :class:`RowError` with the reason in the user's words. Messages are
lazy translations: the caller renders them in its user's language.
"""

import html
import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate("dealer_loyalty")

VIN_LENGTH = 17
# Largest amount of one work-order line, and highest odometer reading, that
# the import accepts: anything beyond is a typo or an overflow in the DMS.
MAX_AMOUNT = 100_000_000
MAX_ODOMETER_KM = 2_000_000
NAME_MAX_LENGTH = 128
DESCRIPTION_MAX_LENGTH = 500
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y")
TRUE_WORDS = {"1", "y", "yes", "true", "x", "declined", "jah", "да", "是"}
FALSE_WORDS = {"", "0", "n", "no", "false", "done", "ei", "нет", "否"}
# Work-order statuses as DMSs of our markets write them (English, Estonian, Russian, Chinese).
DONE_WORDS = {
    "", "done", "closed", "invoiced", "completed", "finished", "paid",
    "valmis", "lõpetatud", "suletud", "arveldatud",
    "закрыт", "закрыто", "выполнен", "выполнено", "завершен", "завершён", "оплачен",
    "已完成", "完成", "已结算", "已关闭",
}  # fmt: skip
OPEN_WORDS = {
    "open", "draft", "in progress", "pending", "estimate", "quote",
    "avatud", "pooleli", "mustand",
    "открыт", "открыто", "в работе", "черновик", "предварительный",
    "进行中", "未完成", "草稿", "报价",
}  # fmt: skip
CANCEL_WORDS = {
    "cancel", "cancelled", "canceled", "credited", "credit", "void", "storno",
    "tühistatud", "tuhistatud", "annulleeritud",
    "отменен", "отменён", "отменено", "аннулирован", "аннулировано", "сторно",
    "已取消", "取消", "作废", "已作废",
}  # fmt: skip
DELETED_LINE_WORDS = {"deleted", "delete", "removed", "remove", "cancelled", "canceled", "void"}
# Spaces and apostrophes that group thousands: plain, no-break, narrow no-break, thin, Swiss.
GROUPING_CHARACTERS = " \u00a0\u202f\u2009'\u2019"
MINUS_SIGNS = "-\u2212\u2013"
_NUMBER_RE = re.compile(r"^[0-9.,]+$")
# Units a DMS may leave after an odometer value: "120.000 km", "120 000 км", "12万公里" is not read.
_UNIT_RE = re.compile(r"\s*(km|км|公里)\.?$", re.IGNORECASE)
_VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
# One address, no spaces, a domain of dot-separated labels (letters of any script allowed).
_EMAIL_RE = re.compile(
    r"^[^\s@<>(),;:\"\[\]\\]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}$",
    re.UNICODE,
)
# A markup tag starts with a letter ("<b>", "</p>", "<script src=..>"); "<4L>" or "< 50 Nm" is text.
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACES_RE = re.compile(r"\s+")


class RowError(Exception):
    """A value that cannot be imported; ``message`` is a lazy translation."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def render(self, lang=None):
        return self.message._translate(lang or "en_US")


def text(value):
    """The value as stripped text ('' for nothing); whole floats lose their '.0'."""
    if value.__class__ is str:
        return value.strip()
    if value is None or value is False:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean_text(value, limit):
    """Plain text: markup and control characters removed, spaces folded, at most ``limit`` characters.

    :return: (text, truncated)
    """
    value = text(value)
    # Most DMS text is printable, on one line, without markup: nothing to clean.
    if value.isprintable() and "  " not in value and "<" not in value and "&" not in value:
        if len(value) > limit:
            return value[: limit - 1].rstrip() + "…", True
        return value, False
    if "<" in value or "&" in value:
        # Unescaped first, so that an escaped tag cannot survive as a tag.
        value = _TAG_RE.sub(" ", html.unescape(value))
    value = "".join(char for char in value if unicodedata.category(char)[0] != "C" or char in "\t\n")
    value = _SPACES_RE.sub(" ", value).strip()
    if len(value) > limit:
        return value[: limit - 1].rstrip() + "…", True
    return value, False


def _grouping_is_valid(groups):
    first, *others = groups
    return 1 <= len(first) <= 3 and first[:1] != "0" and all(len(group) == 3 for group in others)


def _number_text(raw):
    """Canonical 'digits[.digits]' for the way people write numbers in our markets.

    ``1234.56``, ``1,234.56``, ``1.234,56``, ``1 234,56``: the last of two
    different separators is the decimal one. A single kind of separator that
    repeats groups thousands (``1.234.567``). A single separator followed by
    exactly three digits also groups thousands (``120.000`` km, ``1,234``):
    amounts carry two decimals and odometers none, so three decimals are
    never meant.
    """
    if not _NUMBER_RE.match(raw) or not any(char.isdigit() for char in raw):
        return None
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal_sep = "." if raw.rfind(".") > raw.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _sep, fraction = raw.rpartition(decimal_sep)
        if decimal_sep in whole or not _grouping_is_valid(whole.split(group_sep)):
            return None
        return f"{whole.replace(group_sep, '')}.{fraction}"
    separator = "." if dots else "," if commas else ""
    if not separator:
        return raw
    parts = raw.split(separator)
    if len(parts) > 2 or (len(parts[1]) == 3 and parts[0] and parts[0][:1] != "0"):
        return "".join(parts) if _grouping_is_valid(parts) else None
    if not parts[1]:
        return None
    return f"{parts[0] or '0'}.{parts[1]}"


def parse_number(value, label, integer=False, maximum=MAX_AMOUNT, allow_negative=False):
    """A finite number within ±``maximum``; '' is 0.

    :param label: lazy translation naming the column, for the messages
    :raises RowError: not a number, not finite, out of range, or negative when not allowed
    """
    if isinstance(value, bool):
        raise RowError(_lt("%(label)s %(value)s is not a number", label=label, value=value))
    if isinstance(value, int | float | Decimal):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise RowError(_lt("%(label)s %(value)s is not a number", label=label, value=value))
    else:
        raw = _UNIT_RE.sub("", text(value)) if integer else text(value)
        for char in GROUPING_CHARACTERS:
            raw = raw.replace(char, "")
        if not raw:
            return 0
        negative = raw[0] in MINUS_SIGNS
        canonical = _number_text(raw[1:] if negative or raw[0] == "+" else raw)
        try:
            number = float(Decimal(canonical)) if canonical else None
        except InvalidOperation:
            number = None
        if number is None:
            raise RowError(_lt("%(label)s %(value)s is not a number", label=label, value=text(value)))
        number = -number if negative else number
    if abs(number) > maximum:
        # Formatted before the call: the terms extractor reads _lt()'s arguments as literals.
        limit = f"{maximum:,}".replace(",", " ")
        raise RowError(
            _lt(
                "%(label)s %(value)s is out of range (at most %(maximum)s)",
                label=label,
                value=text(value),
                maximum=limit,
            )
        )
    if number < 0 and not allow_negative:
        raise RowError(_lt("%(label)s %(value)s cannot be negative", label=label, value=text(value)))
    if integer:
        return int(round(number))
    return round(number, 2)


def parse_date(value, today):
    """A past or present date from a date, a datetime or text in the formats of DATE_FORMATS."""
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    else:
        raw = text(value)
        if not raw:
            raise RowError(_lt("the date is missing"))
        parsed = None
        if len(raw) >= 10 and raw[4] == "-" and raw[7] == "-":
            try:  # ISO, as most DMSs and every XML-RPC client send it: read without strptime
                parsed = date.fromisoformat(raw[:10])
            except ValueError:
                parsed = None
        for date_format in DATE_FORMATS if parsed is None else ():
            try:
                parsed = datetime.strptime(raw[:10], date_format).date()
                break
            except ValueError:
                continue
        if parsed is None:
            raise RowError(_lt("%(value)s is not a date (use YYYY-MM-DD)", value=raw))
    if parsed > today:
        raise RowError(_lt("the date %(date)s is in the future", date=parsed.isoformat()))
    if parsed.year < 1950:
        raise RowError(_lt("the date %(date)s is impossible", date=parsed.isoformat()))
    return parsed


def parse_email(value):
    """The address in lower case, '' when empty.

    :raises RowError: anything that is not exactly one well-formed address
        (it would otherwise be stored as typed, or cut down by Odoo to a
        different person's address)
    """
    raw = text(value)
    if not raw:
        return ""
    if not _EMAIL_RE.match(raw):
        raise RowError(_lt("the e-mail address %(value)s is not valid", value=raw))
    return raw.lower()


def parse_vin(value):
    """The VIN in capitals without spaces or dashes, '' when empty.

    :raises RowError: a length other than 17, or a letter a VIN never has (I, O, Q)
    """
    vin = text(value).upper()
    for char in " -\u00a0":
        vin = vin.replace(char, "")
    if not vin:
        return ""
    if len(vin) != VIN_LENGTH:
        raise RowError(
            _lt(
                "the VIN %(vin)s has %(count)s characters instead of %(length)s",
                vin=vin,
                count=len(vin),
                length=VIN_LENGTH,
            )
        )
    if not _VIN_RE.match(vin):
        raise RowError(
            _lt(
                "the VIN %(vin)s is not valid: a VIN has only digits and letters other than I, O and Q",
                vin=vin,
            )
        )
    return vin


def parse_plate(value):
    plate = text(value).upper()
    return _SPACES_RE.sub(" ", plate)[:32]


def plate_key(plate):
    """A plate as compared: capitals, letters and digits only ("ab 123-c" and "AB123C" are one car)."""
    return "".join(char for char in (plate or "").upper() if char.isalnum())


def parse_status(value):
    """The visit state a DMS work-order status stands for: done, draft (still open) or cancel."""
    status = _SPACES_RE.sub(" ", text(value).lower())
    if status in DONE_WORDS:
        return "done"
    if status in CANCEL_WORDS:
        return "cancel"
    if status in OPEN_WORDS:
        return "draft"
    raise RowError(
        _lt(
            "unknown status %(value)s (leave it empty or write done for a finished work order, open for "
            "one still in the workshop, cancelled for a cancelled or credited one)",
            value=text(value),
        )
    )


def parse_choice(value, lookup, label, default=None):
    raw = text(value).lower()
    if not raw and default:
        return default
    if raw not in lookup:
        raise RowError(
            _lt(
                "unknown %(label)s %(value)s (expected one of: %(choices)s)",
                label=label,
                value=text(value) or "''",
                choices=", ".join(sorted(set(lookup.values()))),
            )
        )
    return lookup[raw]


def parse_bool(value, label):
    if value is None or value is False:
        return False
    if value is True:
        return True
    raw = text(value).lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise RowError(_lt("%(label)s %(value)s is neither yes nor no", label=label, value=text(value)))


def selection_lookup(selection, extra=None):
    """Accepted spellings of a selection: keys, labels and keys with spaces, in lower case."""
    lookup = {}
    for key, label in selection:
        lookup[key] = key
        lookup[str(label).lower()] = key
        lookup[key.replace("_", " ")] = key
    lookup.update(extra or {})
    return lookup


def digits(phone):
    return re.sub(r"\D", "", phone or "")


# Column labels for the messages, translated when a row is reported.
LABEL_DEPARTMENT = _lt("department")
LABEL_ODOMETER = _lt("odometer")
LABEL_CATEGORY = _lt("category")
LABEL_PAYER_TYPE = _lt("payer type")
LABEL_AMOUNT = _lt("amount")
LABEL_DECLINED = _lt("declined")
LABEL_CREDIT = _lt("credit")
LABEL_LINE_STATUS = _lt("line status")


# Every column of a DMS row, in the order of the import template; each row
# repeats its document's header (the document number to the odometer).
IMPORT_COLUMNS = (
    "document_number",
    "date",
    "department",
    "advisor",
    "status",
    "customer_code",
    "customer_name",
    "customer_email",
    "customer_phone",
    "vin",
    "plate",
    "model",
    "odometer",
    "line_number",
    "description",
    "category",
    "payer_type",
    "amount",
    "declined",
    "credit",
    "line_status",
)
# The columns a document's header is read from.
HEADER_COLUMNS = IMPORT_COLUMNS[1 : IMPORT_COLUMNS.index("line_number")]
# The columns a line is read from, but its amount.
LINE_COLUMNS = tuple(name for name in IMPORT_COLUMNS[len(HEADER_COLUMNS) + 1 :] if name != "amount")


class RowParser:
    """Turns one DMS row (a dict of column name -> value) into a visit header and a line.

    :param lookups: dict with the accepted spellings of ``department``,
        ``category`` and ``payer_type`` (see :func:`selection_lookup`)
    :param today: the latest acceptable visit date
    :param require_line_number: the line number identifies the line (a
        document sent in several calls); without it, the line's position does
    """

    def __init__(self, lookups, today, require_line_number=False):
        self.lookups = lookups
        self.today = today
        self.require_line_number = require_line_number
        self._column_names = {}
        self._renamings = {}
        self._headers = {}
        self._lines = {}

    def columns(self, raw):
        """The row with its column names normalised ('Customer Name' -> 'customer_name')."""
        keys = tuple(raw)
        renamed = self._renamings.get(keys)
        if renamed is None:
            names = self._column_names
            normalised = [
                names.get(key) or names.setdefault(key, text(key).lower().replace(" ", "_")) for key in keys
            ]
            # Rows of one call have the same columns: most often already normalised (XML-RPC).
            renamed = self._renamings[keys] = normalised != list(keys) and normalised
        if not renamed:
            return raw
        return dict(zip(renamed, raw.values(), strict=True))

    def parse(self, raw):
        """:return: (header, line, warnings); warnings are lazy translations
        :raises RowError: the row cannot be imported
        """
        header, warnings = self._header(raw)
        return header, self._line(raw, warnings), warnings

    def _header(self, raw):
        """The document header of the row, read once per document: every row repeats it.

        :return: (header, warnings), a new list of warnings each time
        :raises RowError: the header cannot be imported
        """
        try:
            key = tuple(map(raw.get, HEADER_COLUMNS))
            cached = self._headers.get(key)
        except TypeError:  # a value that cannot be a key (a list sent over XML-RPC): read as is
            key, cached = None, None
        if cached is None:
            try:
                cached = self._parse_header(raw)
            except RowError as error:
                cached = error
            if key is not None:
                self._headers[key] = cached
        if isinstance(cached, RowError):
            raise cached
        header, warnings = cached
        return header, list(warnings)

    def _parse_header(self, raw):
        warnings = []
        name, cut = clean_text(raw.get("customer_name"), NAME_MAX_LENGTH)
        if cut:
            warnings.append(_lt("the customer name was cut to %(length)s characters", length=NAME_MAX_LENGTH))
        header = {
            "date": parse_date(raw.get("date"), self.today),
            "department": parse_choice(
                raw.get("department"), self.lookups["department"], LABEL_DEPARTMENT, "service"
            ),
            "advisor": clean_text(raw.get("advisor"), NAME_MAX_LENGTH)[0],
            "state": parse_status(raw.get("status")),
            "customer_code": clean_text(raw.get("customer_code"), 64)[0],
            "customer_name": name,
            "customer_email": parse_email(raw.get("customer_email")),
            "customer_phone": clean_text(raw.get("customer_phone"), 32)[0],
            "vin": parse_vin(raw.get("vin")),
            "plate": parse_plate(raw.get("plate")),
            "model": clean_text(raw.get("model"), 64)[0],
            "odometer": parse_number(
                raw.get("odometer"), LABEL_ODOMETER, integer=True, maximum=MAX_ODOMETER_KM
            ),
        }
        if not (header["customer_code"] or header["customer_email"] or header["customer_phone"] or name):
            raise RowError(_lt("the customer is missing (give a customer code, name, e-mail or phone)"))
        return header, warnings

    def _line(self, raw, warnings):
        """The line of the row; all but its amount is read once per distinct wording (a DMS's
        catalogue of lines repeats across its documents)."""
        try:
            key = tuple(map(raw.get, LINE_COLUMNS))
            cached = self._lines.get(key)
        except TypeError:  # a value that cannot be a key (a list sent over XML-RPC): read as is
            key, cached = None, None
        if cached is None:
            try:
                cached = self._parse_line(raw)
            except RowError as error:
                cached = error
            if key is not None:
                self._lines[key] = cached
        if isinstance(cached, RowError):
            raise cached
        line, line_warnings, credit = cached
        warnings += line_warnings
        line = dict(line)
        line["amount"] = parse_number(raw.get("amount"), LABEL_AMOUNT, allow_negative=credit)
        return line

    def _parse_line(self, raw):
        """:return: (line without its amount, warnings, whether negative amounts are allowed)"""
        warnings = []
        credit = parse_bool(raw.get("credit"), LABEL_CREDIT)
        description, cut = clean_text(raw.get("description"), DESCRIPTION_MAX_LENGTH)
        if cut:
            warnings.append(
                _lt("the line description was cut to %(length)s characters", length=DESCRIPTION_MAX_LENGTH)
            )
        line_status = text(raw.get("line_status")).lower()
        if line_status and line_status not in DELETED_LINE_WORDS | {"active", "ok", "done"}:
            raise RowError(
                _lt(
                    "unknown %(label)s %(value)s (leave it empty, or write deleted to remove the line)",
                    label=LABEL_LINE_STATUS,
                    value=text(raw.get("line_status")),
                )
            )
        line = {
            "dms_line_ref": clean_text(raw.get("line_number"), 32)[0],
            "name": description,
            "category": parse_choice(raw.get("category"), self.lookups["category"], LABEL_CATEGORY, "labour"),
            "payer_type": parse_choice(raw.get("payer_type"), self.lookups["payer_type"], LABEL_PAYER_TYPE),
            "declined": parse_bool(raw.get("declined"), LABEL_DECLINED),
            "deleted": line_status in DELETED_LINE_WORDS,
        }
        if not line["name"] and not line["deleted"]:
            raise RowError(_lt("the line description is missing"))
        if self.require_line_number and not line["dms_line_ref"]:
            raise RowError(
                _lt(
                    "the line number is missing: it identifies the line when a document comes in "
                    "several calls (send line_number, or import whole documents)"
                )
            )
        return line, warnings, credit
