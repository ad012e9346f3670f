# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one import path for DMS work orders: the wizard and the external API call it.

One row per visit line; the document's header (date, customer, vehicle...) is
repeated on each of its rows. The DMS document number identifies the visit,
so re-importing a file changes nothing and a corrected file updates in place.
"""

import contextlib
import logging
import re
from datetime import date, datetime

from psycopg2 import IntegrityError
from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import split_every
from odoo.tools.translate import LazyTranslate

from .dealer_visit import DEPARTMENTS
from .dealer_visit_line import LINE_CATEGORIES, PAYER_TYPES
from .fleet_vehicle import VIN_LENGTH

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# Column labels for error messages: translated only when a row is reported.
LABEL_DEPARTMENT = _lt("department")
LABEL_ODOMETER = _lt("odometer")
LABEL_CATEGORY = _lt("category")
LABEL_PAYER_TYPE = _lt("payer type")
LABEL_AMOUNT = _lt("amount")
LABEL_DECLINED = _lt("declined")

# Documents handled per batch: one prefetch and one create per batch.
IMPORT_BATCH_DOCUMENTS = 500
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d")
TRUE_WORDS = {"1", "y", "yes", "true", "x", "declined"}
FALSE_WORDS = {"", "0", "n", "no", "false", "done"}
CANCEL_WORDS = {"cancel", "cancelled", "canceled", "credited", "credit", "void"}
HEADER_FIELDS = (
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
)
IMPORT_COLUMNS = (
    ("document_number",)
    + HEADER_FIELDS
    + (
        "line_number",
        "description",
        "category",
        "payer_type",
        "amount",
        "declined",
    )
)


class RowError(Exception):
    """A row that cannot be imported, with the reason in the user's words."""


def _selection_lookup(selection, extra=None):
    lookup = {}
    for key, label in selection:
        lookup[key] = key
        lookup[label.lower()] = key
        lookup[key.replace("_", " ")] = key
    lookup.update(extra or {})
    return lookup


DEPARTMENT_LOOKUP = _selection_lookup(DEPARTMENTS, {"bodyshop": "body_shop", "body": "body_shop"})
CATEGORY_LOOKUP = _selection_lookup(
    LINE_CATEGORIES, {"labor": "labour", "part": "parts", "accessory": "accessories", "sale": "vehicle"}
)
PAYER_LOOKUP = _selection_lookup(
    PAYER_TYPES,
    {"customer-paid": "customer", "customer paid": "customer", "manufacturer": "warranty", "oem": "warranty"},
)


def _text(value):
    if value is None or value is False:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_text_date(text):
    with contextlib.suppress(ValueError):
        return date.fromisoformat(text[:10])
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text[:10], date_format).date()
        except ValueError:
            continue
    raise RowError(_("%(value)s is not a date (use YYYY-MM-DD)", value=text))


def _parse_date(value, today):
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    else:
        text = _text(value)
        if not text:
            raise RowError(_("the date is missing"))
        parsed = _parse_text_date(text)
    if parsed > today:
        raise RowError(_("the date %(date)s is in the future", date=parsed))
    if parsed.year < 1950:
        raise RowError(_("the date %(date)s is impossible", date=parsed))
    return parsed


def _parse_number(value, label, integer=False):
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if not text:
        return 0
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise RowError(_("%(label)s %(value)s is not a number", label=label, value=_text(value))) from None
    if integer:
        if number < 0:
            raise RowError(_("%(label)s cannot be negative", label=label))
        return int(round(number))
    return number


def _parse_choice(value, lookup, label, default=None):
    text = _text(value).lower()
    if not text and default:
        return default
    if text not in lookup:
        raise RowError(
            _(
                "unknown %(label)s %(value)s (expected one of: %(choices)s)",
                label=label,
                value=_text(value) or "''",
                choices=", ".join(sorted(set(lookup.values()))),
            )
        )
    return lookup[text]


def _parse_bool(value, label):
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise RowError(_("%(label)s %(value)s is neither yes nor no", label=label, value=_text(value)))


def _differs(record, name, value):
    """Whether importing ``value`` into field ``name`` of ``record`` would change it."""
    field, current = record._fields[name], record[name]
    if field.type == "many2one":
        return current.id != (value or False)
    if field.type in ("char", "text", "selection"):
        return (current or "") != (value or "")
    if field.type in ("float", "monetary"):
        return round(current or 0.0, 2) != round(value or 0.0, 2)
    return current != value


def _digits(phone):
    return re.sub(r"\D", "", phone or "")


class DealerVisit(models.Model):
    _inherit = "dealer.visit"

    # ------------------------------------------------------------
    # PUBLIC API
    # ------------------------------------------------------------

    @api.model
    def import_dms_rows(self, rows, create_missing=True, first_row_number=1):
        """Import DMS work-order rows; callable over Odoo's external API.

        :param rows: list of dicts, one per visit line, keyed by the column
            names of ``IMPORT_COLUMNS`` (the header repeated on every row)
        :param create_missing: create unknown customers and vehicles; when
            false, rows naming them are reported as errors
        :param first_row_number: number shown for the first row in the report
            (2 for a file whose first line is the header)
        :return: dict with the counts ``created``, ``updated``, ``unchanged``
            (visits), ``lines`` (lines of the created and updated visits) and ``errors``, a list of
            ``{"row", "document", "message"}`` dicts; a document with a bad row
            is not imported at all, every other document is.
        """
        if not isinstance(rows, list | tuple):
            raise UserError(_("The import expects a list of rows."))
        report = {"created": 0, "updated": 0, "unchanged": 0, "lines": 0, "errors": []}
        documents = self._dealer_parse_import_rows(rows, first_row_number, report)
        importer = self.with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            dealer_loyalty_consent_source="dms",
        )
        for batch in split_every(IMPORT_BATCH_DOCUMENTS, list(documents.values())):
            importer._dealer_import_batch(list(batch), create_missing, report)
        report["errors"].sort(key=lambda error: error["row"])
        return report

    # ------------------------------------------------------------
    # PARSING
    # ------------------------------------------------------------

    def _dealer_parse_import_rows(self, rows, first_row_number, report):
        """Validate every row and group them by document; bad documents are reported and left out."""
        today = fields.Date.context_today(self)
        documents, bad_documents = {}, {}
        column_names = {}
        for index, raw in enumerate(rows):
            row_number = first_row_number + index
            if not isinstance(raw, dict):
                self._dealer_report(report, row_number, "", _("the row is not a set of named columns"))
                continue
            raw = {
                column_names.get(key)
                or column_names.setdefault(key, _text(key).lower().replace(" ", "_")): value
                for key, value in raw.items()
            }
            number = _text(raw.get("document_number"))
            if not number:
                self._dealer_report(report, row_number, "", _("the DMS document number is missing"))
                continue
            try:
                header, line = self._dealer_parse_import_row(raw, today)
            except RowError as error:
                bad_documents.setdefault(number, []).append(row_number)
                self._dealer_report(report, row_number, number, str(error))
                continue
            document = documents.setdefault(
                number, {"number": number, "header": header, "lines": [], "rows": []}
            )
            problem = self._dealer_check_row_in_document(document, header, line)
            if problem:
                bad_documents.setdefault(number, []).append(row_number)
                self._dealer_report(report, row_number, number, problem)
                continue
            document["lines"].append(line)
            document["rows"].append(row_number)
        for number, bad_rows in bad_documents.items():
            document = documents.pop(number, None)
            for row_number in document["rows"] if document else []:
                self._dealer_report(
                    report,
                    row_number,
                    number,
                    _("not imported: row %(row)s of the same document is invalid", row=bad_rows[0]),
                )
        return documents

    def _dealer_parse_import_row(self, raw, today):
        vin = _text(raw.get("vin")).upper().replace(" ", "")
        if vin and len(vin) != VIN_LENGTH:
            raise RowError(
                _(
                    "the VIN %(vin)s has %(count)s characters instead of %(length)s",
                    vin=vin,
                    count=len(vin),
                    length=VIN_LENGTH,
                )
            )
        status = _text(raw.get("status")).lower()
        header = {
            "date": _parse_date(raw.get("date"), today),
            "department": _parse_choice(
                raw.get("department"), DEPARTMENT_LOOKUP, LABEL_DEPARTMENT, "service"
            ),
            "advisor": _text(raw.get("advisor")),
            "state": "cancel" if status in CANCEL_WORDS else "done",
            "customer_code": _text(raw.get("customer_code")),
            "customer_name": _text(raw.get("customer_name")),
            "customer_email": _text(raw.get("customer_email")).lower(),
            "customer_phone": _text(raw.get("customer_phone")),
            "vin": vin,
            "plate": _text(raw.get("plate")).upper(),
            "model": _text(raw.get("model")),
            "odometer": _parse_number(raw.get("odometer"), LABEL_ODOMETER, integer=True),
        }
        if not (
            header["customer_code"]
            or header["customer_email"]
            or header["customer_phone"]
            or header["customer_name"]
        ):
            raise RowError(_("the customer is missing (give a customer code, name, e-mail or phone)"))
        line = {
            "dms_line_ref": _text(raw.get("line_number")),
            "name": _text(raw.get("description")),
            "category": _parse_choice(raw.get("category"), CATEGORY_LOOKUP, LABEL_CATEGORY, "labour"),
            "payer_type": _parse_choice(raw.get("payer_type"), PAYER_LOOKUP, LABEL_PAYER_TYPE),
            "amount": _parse_number(raw.get("amount"), LABEL_AMOUNT),
            "declined": _parse_bool(raw.get("declined"), LABEL_DECLINED),
        }
        if not line["name"]:
            raise RowError(_("the line description is missing"))
        return header, line

    def _dealer_check_row_in_document(self, document, header, line):
        if header != document["header"]:
            differing = sorted(key for key in header if header[key] != document["header"][key])
            return _(
                "its document header differs from row %(row)s (%(fields)s)",
                row=document["rows"][0] if document["rows"] else "?",
                fields=", ".join(differing),
            )
        for index, existing in enumerate(document["lines"]):
            same_ref = line["dms_line_ref"] and existing["dms_line_ref"] == line["dms_line_ref"]
            if same_ref or (not line["dms_line_ref"] and existing == line):
                return _("duplicate line: same as row %(row)s", row=document["rows"][index])
        return None

    @api.model
    def _dealer_report(self, report, row_number, document, message):
        report["errors"].append({"row": row_number, "document": document, "message": message})

    # ------------------------------------------------------------
    # BATCH IMPORT
    # ------------------------------------------------------------

    def _dealer_import_batch(self, documents, create_missing, report):
        """Import one batch; if it fails as a whole, retry document by document."""
        try:
            with self.env.cr.savepoint():
                self._dealer_import_documents(documents, create_missing, report)
        except (UserError, ValidationError, ValueError, IntegrityError) as error:
            if len(documents) == 1:
                document = documents[0]
                message = error.args[0] if error.args else str(error)
                for row_number in document["rows"]:
                    self._dealer_report(
                        report, row_number, document["number"], _("not imported: %(reason)s", reason=message)
                    )
                return
            _logger.info("DMS import batch failed (%s), retrying document by document", error)
            for document in documents:
                self._dealer_import_batch([document], create_missing, report)

    def _dealer_import_documents(self, documents, create_missing, report):
        """Import a batch: match everything first, reject the bad documents, then create in bulk.

        Nothing is created for a rejected document (not even its customer).
        """
        company = self.env.company
        partners = self._dealer_match_customers(documents, company)
        vehicles = self._dealer_match_vehicles(documents, company)
        existing = {
            visit.dms_document_number: visit
            for visit in self.search(
                [
                    ("dms_document_number", "in", [doc["number"] for doc in documents]),
                    ("company_id", "=", company.id),
                ]
            )
        }
        errors = self._dealer_find_document_errors(documents, partners, vehicles, existing, create_missing)
        for doc in documents:
            if doc["number"] in errors:
                for row_number in doc["rows"]:
                    self._dealer_report(report, row_number, doc["number"], errors[doc["number"]])
        documents = [doc for doc in documents if doc["number"] not in errors]
        if not documents:
            return
        partners.update(
            self._dealer_create_customers([d for d in documents if d["number"] not in partners], company)
        )
        models_by_name = self._dealer_vehicle_models(documents, create=True)
        vehicles.update(
            self._dealer_create_vehicles(
                [
                    d
                    for d in documents
                    if d["number"] not in vehicles and (d["header"]["vin"] or d["header"]["plate"])
                ],
                partners,
                models_by_name,
                company,
            )
        )
        advisors = self._dealer_resolve_advisors(documents)
        counts = {"created": 0, "updated": 0, "unchanged": 0, "lines": 0}
        to_create = []
        for document in documents:
            header = document["header"]
            vals = {
                "dms_document_number": document["number"],
                "company_id": company.id,
                "partner_id": partners[document["number"]].id,
                "vehicle_id": vehicles.get(document["number"], self.env["fleet.vehicle"]).id,
                "date": header["date"],
                "odometer": header["odometer"],
                "department": header["department"],
                "state": header["state"],
            }
            advisor = advisors.get(header["advisor"].lower())
            if advisor:
                vals["user_id"] = advisor.id
            lines = [dict(line, sequence=index) for index, line in enumerate(document["lines"], start=1)]
            for line in lines:
                line["dms_line_ref"] = line["dms_line_ref"] or str(line["sequence"])
            visit = existing.get(document["number"])
            if not visit:
                vals.setdefault("user_id", False)
                vals["line_ids"] = lines
                to_create.append(vals)
                counts["created"] += 1
                counts["lines"] += len(lines)
            elif visit._dealer_update_from_import(vals, lines):
                counts["updated"] += 1
                counts["lines"] += len(lines)
            else:
                counts["unchanged"] += 1
        if to_create:
            self._dealer_insert_imported_visits(to_create)
        # Recompute here, under the import's context (no tracking), rather than at
        # the next flush: tracking the computed fields of thousands of records
        # would cost more than the import itself.
        self.env.flush_all()
        for key, value in counts.items():
            report[key] += value

    def _dealer_insert_imported_visits(self, vals_list):
        """Insert new imported visits and their lines in two statements, then run the usual hooks.

        Creating tens of thousands of visits through ``create()`` costs about
        five times more than inserting them (measured in tests/bench), so the
        import writes the rows itself. It stores exactly what ``create()`` would:
        the computed name, maintenance flag and totals, the lines' related
        fields; then it tells the ORM what changed, so that vehicles recompute
        their predictions, and calls :meth:`_dealer_on_visit_done` for the done
        visits. Values come from the validated import, never from SQL text.

        :param vals_list: visit values as prepared by the import, with
            ``line_ids`` a list of plain line value dicts
        """
        now = self.env.cr.now()
        uid = self.env.uid
        visit_rows, line_values = [], []
        for vals in vals_list:
            totals = dict.fromkeys(("customer", "insurance", "warranty", "internal", "declined"), 0.0)
            for line in vals["line_ids"]:
                totals["declined" if line["declined"] else line["payer_type"]] += line["amount"]
            visit_rows.append(
                (
                    vals["dms_document_number"],
                    vals["dms_document_number"],
                    vals["company_id"],
                    vals["partner_id"],
                    vals["vehicle_id"] or None,
                    vals["date"],
                    vals["odometer"],
                    vals["department"],
                    vals["department"] == "service",
                    vals["user_id"] or None,
                    vals["state"],
                    sum(totals[key] for key in ("customer", "insurance", "warranty", "internal")),
                    totals["customer"],
                    totals["insurance"],
                    totals["warranty"],
                    totals["internal"],
                    totals["declined"],
                    uid,
                    now,
                    uid,
                    now,
                )
            )
        self.flush_model()
        visit_ids = [
            row[0]
            for row in execute_values(
                self.env.cr._obj,
                """
                INSERT INTO dealer_visit (name, dms_document_number, company_id, partner_id, vehicle_id, date,
                       odometer, department, is_maintenance, user_id, state, amount_total, amount_customer,
                       amount_insurance, amount_warranty, amount_internal, amount_declined,
                       create_uid, create_date, write_uid, write_date)
                VALUES %s RETURNING id
                """,
                visit_rows,
                page_size=len(visit_rows),
                fetch=True,
            )
        ]
        for visit_id, vals in zip(visit_ids, vals_list, strict=True):
            for line in vals["line_ids"]:
                line_values.append(
                    (
                        visit_id,
                        line["sequence"],
                        line["dms_line_ref"],
                        line["name"],
                        line["category"],
                        line["payer_type"],
                        line["amount"],
                        line["declined"],
                        vals["company_id"],
                        vals["partner_id"],
                        vals["date"],
                        vals["department"],
                        vals["state"],
                        uid,
                        now,
                        uid,
                        now,
                    )
                )
        if line_values:
            execute_values(
                self.env.cr._obj,
                """
                INSERT INTO dealer_visit_line (visit_id, sequence, dms_line_ref, name, category, payer_type, amount,
                       declined, company_id, partner_id, date, department, state,
                       create_uid, create_date, write_uid, write_date)
                VALUES %s
                """,
                line_values,
                page_size=5000,
            )
        reading_rows = [
            (vals["vehicle_id"], vals["odometer"], vals["date"], visit_id, uid, now, uid, now)
            for visit_id, vals in zip(visit_ids, vals_list, strict=True)
            if vals["state"] == "done" and vals["vehicle_id"] and vals["odometer"]
        ]
        reading_ids = []
        if reading_rows:
            reading_ids = [
                row[0]
                for row in execute_values(
                    self.env.cr._obj,
                    """
                    INSERT INTO fleet_vehicle_odometer (vehicle_id, value, date, dealer_visit_id,
                           create_uid, create_date, write_uid, write_date)
                    VALUES %s RETURNING id
                    """,
                    reading_rows,
                    page_size=len(reading_rows),
                    fetch=True,
                )
            ]
        visits = self.browse(visit_ids)
        readings = self.env["fleet.vehicle.odometer"].browse(reading_ids)
        # The inserted rows are new to the ORM: drop what it cached about their
        # customers and vehicles and let the dependent stored fields recompute.
        self.env.invalidate_all()
        visits.modified(
            ["partner_id", "vehicle_id", "state", "date", "odometer", "is_maintenance"], create=True
        )
        readings.modified(["vehicle_id", "value", "date"], create=True)
        self.env.add_to_compute(readings._fields["name"], readings)
        done = visits.filtered(lambda visit: visit.state == "done")
        if done:
            done.with_context(dealer_loyalty_readings_inserted=True)._dealer_on_visit_done()
        return visits

    def _dealer_find_document_errors(self, documents, partners, vehicles, existing, create_missing):
        """Document number -> reason, for the documents of the batch that cannot be imported."""
        errors = {}
        known_models = self._dealer_vehicle_models(documents, create=False)
        for doc in documents:
            header, number = doc["header"], doc["number"]
            vehicle_key = header["vin"] or header["plate"]
            if number not in partners and not create_missing:
                errors[number] = _(
                    "unknown customer %(customer)s", customer=self._dealer_customer_key(header)
                )
            elif number not in vehicles and vehicle_key:
                if not create_missing:
                    errors[number] = _("unknown vehicle %(vehicle)s", vehicle=vehicle_key)
                elif not header["model"]:
                    errors[number] = _(
                        "unknown vehicle %(vehicle)s: give its model to create it", vehicle=vehicle_key
                    )
                elif " " not in header["model"] and header["model"].lower() not in known_models:
                    errors[number] = _(
                        "unknown vehicle model %(model)s: write it as brand and model, e.g. Toyota Corolla",
                        model=header["model"],
                    )
        valid = [doc for doc in documents if doc["number"] not in errors]
        self._dealer_check_odometers(valid, vehicles, existing, errors)
        return errors

    def _dealer_update_from_import(self, vals, lines):
        """Bring an imported visit in line with its corrected document; False when nothing changed."""
        self.ensure_one()
        header_changes = {name: value for name, value in vals.items() if _differs(self, name, value)}
        current = {line.dms_line_ref: line for line in self.line_ids}
        commands = []
        for line in lines:
            existing = current.pop(line["dms_line_ref"], None)
            if not existing:
                commands.append(Command.create(line))
                continue
            changes = {name: value for name, value in line.items() if _differs(existing, name, value)}
            if changes:
                commands.append(Command.update(existing.id, changes))
        commands += [Command.delete(line.id) for line in current.values()]
        if commands:
            header_changes["line_ids"] = commands
        if not header_changes:
            return False
        self.write(header_changes)
        return True

    # ------------------------------------------------------------
    # LOOKUPS (one search per batch, never per row)
    # ------------------------------------------------------------

    @staticmethod
    def _dealer_customer_key(header):
        return (
            header["customer_code"]
            or header["customer_email"]
            or _digits(header["customer_phone"])
            or header["customer_name"]
        )

    def _dealer_match_customers(self, documents, company):
        """Known customers by document number: by DMS code, then e-mail, then phone."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        headers = [doc["header"] for doc in documents]
        codes = {h["customer_code"] for h in headers if h["customer_code"]}
        emails = {h["customer_email"] for h in headers if h["customer_email"]}
        company_domain = [("company_id", "in", [company.id, False])]
        by_code, by_email, by_phone = {}, {}, {}
        if codes:
            for partner in Partner.search(company_domain + [("dealer_customer_code", "in", list(codes))]):
                by_code[partner.dealer_customer_code] = partner
        if emails:
            for partner in Partner.search(
                company_domain + [("email_normalized", "in", list(emails))], order="id"
            ):
                by_email.setdefault(partner.email_normalized, partner)
        matched = {}
        for doc in documents:
            header = doc["header"]
            partner = by_code.get(header["customer_code"]) or by_email.get(header["customer_email"])
            if partner:
                matched[doc["number"]] = partner
        # Phone numbers are normalised only for the customers still unknown: it is the slow part.
        phones = {
            doc["header"]["customer_phone"]: self._dealer_sanitize_phone(
                doc["header"]["customer_phone"], company
            )
            for doc in documents
            if doc["number"] not in matched and doc["header"]["customer_phone"]
        }
        sanitized = {value for value in phones.values() if value}
        if sanitized:
            for partner in Partner.search(
                company_domain + [("phone_sanitized", "in", list(sanitized))], order="id"
            ):
                by_phone.setdefault(partner.phone_sanitized, partner)
            for doc in documents:
                partner = by_phone.get(phones.get(doc["header"]["customer_phone"]))
                if doc["number"] not in matched and partner:
                    matched[doc["number"]] = partner
        return matched

    def _dealer_create_once(self, model, documents, key_of, values_of):
        """Create one record per distinct key of these documents, in one call.

        :param key_of: document header -> key identifying the record
        :param values_of: document header -> values of the record to create
        :return: {document number: created record}
        """
        values, numbers_by_key = {}, {}
        for doc in documents:
            key = key_of(doc["header"])
            numbers_by_key.setdefault(key, []).append(doc["number"])
            if key not in values:
                values[key] = values_of(doc["header"])
        if not values:
            return {}
        records = self.env[model].create(list(values.values()))
        return {
            number: record
            for key, record in zip(values, records, strict=True)
            for number in numbers_by_key[key]
        }

    def _dealer_create_customers(self, documents, company):
        """Create the unknown customers of these documents, once each."""

        def values_of(header):
            return {
                "name": header["customer_name"]
                or header["customer_email"]
                or header["customer_code"]
                or self._dealer_customer_key(header),
                "dealer_customer_code": header["customer_code"] or False,
                "email": header["customer_email"] or False,
                "phone": header["customer_phone"] or False,
                "company_id": company.id,
                "dealer_segment": "prospect",
            }

        return self._dealer_create_once("res.partner", documents, self._dealer_customer_key, values_of)

    @api.model
    def _dealer_sanitize_phone(self, phone, company):
        if not phone:
            return False
        return self.env["res.partner"]._phone_format(number=phone, country=company.country_id) or False

    def _dealer_match_vehicles(self, documents, company):
        """Known vehicles by document number: by VIN, then plate."""
        Vehicle = self.env["fleet.vehicle"].with_context(active_test=False)
        headers = [doc["header"] for doc in documents]
        vins = {h["vin"] for h in headers if h["vin"]}
        plates = {h["plate"] for h in headers if h["plate"]}
        company_domain = [("company_id", "in", [company.id, False])]
        by_vin, by_plate = {}, {}
        if vins:
            for vehicle in Vehicle.search(company_domain + [("vin_sn", "in", list(vins))]):
                by_vin[vehicle.vin_sn.upper()] = vehicle
        if plates:
            for vehicle in Vehicle.search(
                company_domain + [("license_plate", "in", list(plates))], order="id"
            ):
                by_plate.setdefault(vehicle.license_plate.upper(), vehicle)
        matched = {}
        for doc in documents:
            header = doc["header"]
            vehicle = by_vin.get(header["vin"]) or (not header["vin"] and by_plate.get(header["plate"]))
            if vehicle:
                matched[doc["number"]] = vehicle
        return matched

    def _dealer_create_vehicles(self, documents, partners, models_by_name, company):
        """Create the unknown vehicles of these documents, once each."""
        registered = self.env.ref("fleet.fleet_vehicle_state_registered", raise_if_not_found=False)
        owner_by_key = {}
        for doc in documents:
            owner_by_key.setdefault(doc["header"]["vin"] or doc["header"]["plate"], partners[doc["number"]])

        def key_of(header):
            return header["vin"] or header["plate"]

        def values_of(header):
            sold_here = header["department"] == "sales"
            return {
                "model_id": models_by_name[header["model"].lower()].id,
                "vin_sn": header["vin"] or False,
                "license_plate": header["plate"] or False,
                "dealer_owner_id": owner_by_key[key_of(header)].id,
                "company_id": company.id,
                "dealer_condition": "new" if sold_here else "used",
                "dealer_handover_date": header["date"] if sold_here else False,
                "acquisition_date": header["date"] if sold_here else False,
                "state_id": registered.id if registered else False,
            }

        return self._dealer_create_once("fleet.vehicle", documents, key_of, values_of)

    def _dealer_vehicle_models(self, documents, create):
        """Vehicle models by lower-case "Brand Model" (or "Model") name; unknown ones created when asked."""
        names = {doc["header"]["model"] for doc in documents if doc["header"]["model"]}
        if not names:
            return {}
        Model = self.env["fleet.vehicle.model"]
        Brand = self.env["fleet.vehicle.model.brand"]
        known = {}
        for model in Model.search([]):
            known.setdefault(f"{model.brand_id.name} {model.name}".lower(), model)
            known.setdefault(model.name.lower(), model)
        if not create:
            return known
        brands = {brand.name.lower(): brand for brand in Brand.search([])}
        for name in sorted(names):
            if name.lower() in known:
                continue
            brand_name, _sep, model_name = name.partition(" ")
            brand = brands.get(brand_name.lower())
            if not brand:
                brand = brands[brand_name.lower()] = Brand.create({"name": brand_name})
            known[name.lower()] = Model.create({"name": model_name or brand_name, "brand_id": brand.id})
        return known

    def _dealer_resolve_advisors(self, documents):
        names = {doc["header"]["advisor"].lower() for doc in documents if doc["header"]["advisor"]}
        if not names:
            return {}
        advisors = {}
        users = self.env["res.users"].search(["|", ("login", "in", list(names)), ("name", "in", list(names))])
        for user in users:
            advisors.setdefault(user.login.lower(), user)
            advisors.setdefault(user.name.lower(), user)
        return advisors

    def _dealer_check_odometers(self, documents, vehicles, existing, errors):
        """Reject readings that go backwards against the vehicle's history or earlier documents of the file."""
        vehicle_ids = {vehicles[doc["number"]].id for doc in documents if doc["number"] in vehicles}
        own_visit_ids = [visit.id for visit in existing.values()] or [0]
        history = {}
        if vehicle_ids:
            self.env["fleet.vehicle.odometer"].flush_model()
            self.env.cr.execute(
                """
                SELECT vehicle_id, date, value FROM fleet_vehicle_odometer
                 WHERE vehicle_id IN %s AND value > 0
                   AND (dealer_visit_id IS NULL OR NOT dealer_visit_id = ANY(%s))
                """,
                (tuple(vehicle_ids), own_visit_ids),
            )
            for vehicle_id, reading_date, value in self.env.cr.fetchall():
                history.setdefault(("id", vehicle_id), []).append((reading_date, value, None))
        for doc in sorted(documents, key=lambda d: d["header"]["date"]):
            header = doc["header"]
            if not header["odometer"] or header["state"] != "done":
                continue
            vehicle = vehicles.get(doc["number"])
            key = ("id", vehicle.id) if vehicle else ("new", header["vin"] or header["plate"])
            if not key[1]:
                continue
            readings = history.setdefault(key, [])
            for reading_date, value, source in readings:
                if (reading_date < header["date"] and value > header["odometer"]) or (
                    reading_date > header["date"] and value < header["odometer"]
                ):
                    errors[doc["number"]] = _(
                        "the odometer goes backwards: %(km)s km on %(date)s, but %(other)s km on %(other_date)s "
                        "in %(where)s",
                        km=header["odometer"],
                        date=header["date"],
                        other=int(value),
                        other_date=reading_date,
                        where=source or _("the vehicle's history"),
                    )
                    break
            else:
                readings.append(
                    (header["date"], header["odometer"], _("document %(number)s", number=doc["number"]))
                )
