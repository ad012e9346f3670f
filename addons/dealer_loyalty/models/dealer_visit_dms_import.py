# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one import path for DMS work orders: the wizard and the external API call it.

One row per visit line; the document's header (date, customer, vehicle...) is
repeated on each of its rows. The DMS document number identifies the visit and
the line number its line, so re-importing changes nothing and a corrected
document updates in place. Rows are read by :mod:`..tools.dms_rows`, matched
against what is stored by ``dealer.visit.import.matching``, and written here
through the ORM, so a visit imported is exactly a visit entered by hand
(constraints, computed totals, odometer readings, the done and cancel hooks).
"""

import logging

from psycopg2 import DataError, IntegrityError

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, split_every

from ..tools.dms_rows import RowError, RowParser, selection_lookup, text
from .dealer_visit import DEPARTMENTS
from .dealer_visit_import_matching import customer_key
from .dealer_visit_line import LINE_CATEGORIES, PAYER_TYPES

_logger = logging.getLogger(__name__)

# Documents handled per batch: one prefetch and one create per batch.
IMPORT_BATCH_DOCUMENTS = 500
# Row numbers in the report stay within what every external API client reads as an integer.
MAX_FIRST_ROW_NUMBER = 1_000_000_000
LOOKUPS = {
    "department": selection_lookup(DEPARTMENTS, {"bodyshop": "body_shop", "body": "body_shop"}),
    "category": selection_lookup(
        LINE_CATEGORIES, {"labor": "labour", "part": "parts", "accessory": "accessories", "sale": "vehicle"}
    ),
    "payer_type": selection_lookup(
        PAYER_TYPES,
        {
            "customer-paid": "customer",
            "customer paid": "customer",
            "manufacturer": "warranty",
            "oem": "warranty",
        },
    ),
}
# Errors of one document that must not stop the others; concurrency errors
# (serialization failures, deadlocks) are not among them: they abort the call
# so that Odoo's request handler runs it again on fresh data.
DOCUMENT_ERRORS = (UserError, ValidationError, IntegrityError, DataError, RowError, ValueError)
LINE_FIELDS = ("name", "category", "payer_type", "amount", "declined")
# The visit's fields an import sets, compared with what is stored on re-import.
STORED_HEADER_FIELDS = ("partner_id", "vehicle_id", "date", "odometer", "department", "state", "user_id")


class DealerVisit(models.Model):
    _inherit = ["dealer.visit", "dealer.visit.import.matching"]
    _name = "dealer.visit"

    def init(self):
        res = super().init()
        # Append-only register of the identifiers imports have created records
        # for; claiming one serialises two imports that would create the same
        # customer, vehicle or visit (see _dealer_claim_keys).
        self.env.cr.execute(
            "CREATE TABLE IF NOT EXISTS dealer_import_match_key (key bigint PRIMARY KEY, claimed_at timestamp)"
        )
        return res

    # ------------------------------------------------------------
    # PUBLIC API
    # ------------------------------------------------------------

    @api.model
    def import_dms_rows(self, rows, create_missing=True, first_row_number=1, complete_documents=False):
        """Import DMS work-order rows; callable over Odoo's external API.

        :param rows: list of dicts, one per visit line, keyed by the column
            names of ``IMPORT_COLUMNS`` (the header repeated on every row)
        :param create_missing: create unknown customers and vehicles; when
            false, rows naming them are reported as errors
        :param first_row_number: number shown for the first row in the report
            (2 for a file whose first line is the header)
        :param complete_documents: the rows of each document are all its
            lines (a whole file); lines stored but not sent are removed. When
            false (the default, for a DMS sending a document in several calls)
            the rows add or update lines, and a line goes only when its row
            says ``line_status: deleted``.
        :return: dict with the counts ``created``, ``updated``, ``unchanged``
            (visits), ``lines`` (lines of the created and updated visits),
            ``errors`` and ``warnings``, lists of ``{"row", "document",
            "message"}`` dicts. A document with a bad row is not imported at
            all, every other document is; a warning does not stop its row.
        """
        if not self.env.user.has_group("dealer_loyalty.dealer_loyalty_group_user"):
            raise AccessError(_("Only Dealer Loyalty users can import work orders."))
        if not isinstance(rows, list | tuple):
            raise UserError(_("The import expects a list of rows."))
        if (
            isinstance(first_row_number, bool)
            or not isinstance(first_row_number, int)
            or not 1 <= first_row_number <= MAX_FIRST_ROW_NUMBER
        ):
            raise UserError(
                _(
                    "The first row number must be a whole number from 1 to %(maximum)s "
                    "(1, or 2 for a file whose first line is the header).",
                    maximum=MAX_FIRST_ROW_NUMBER,
                )
            )
        report = {"created": 0, "updated": 0, "unchanged": 0, "lines": 0, "errors": [], "warnings": []}
        documents = self._dealer_parse_import_rows(rows, first_row_number, complete_documents, report)
        importer = self.with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            dealer_loyalty_consent_source="dms",
        )
        options = {"create_missing": create_missing, "complete": complete_documents}
        for batch in split_every(IMPORT_BATCH_DOCUMENTS, list(documents.values())):
            importer._dealer_import_batch(list(batch), options, report)
        report["errors"].sort(key=lambda error: error["row"])
        report["warnings"].sort(key=lambda warning: warning["row"])
        return report

    # ------------------------------------------------------------
    # PARSING
    # ------------------------------------------------------------

    def _dealer_parse_import_rows(self, rows, first_row_number, complete, report):
        """Validate every row and group them by document; bad documents are reported and left out."""
        parser = RowParser(LOOKUPS, fields.Date.context_today(self), require_line_number=not complete)
        lang = self.env.lang
        documents, bad_documents = {}, {}
        for index, raw in enumerate(rows):
            row_number = first_row_number + index
            if not isinstance(raw, dict):
                self._dealer_report(report, row_number, "", _("the row is not a set of named columns"))
                continue
            raw = parser.columns(raw)
            number = text(raw.get("document_number"))
            if not number:
                self._dealer_report(report, row_number, "", _("the DMS document number is missing"))
                continue
            try:
                header, line, warnings = parser.parse(raw)
            except RowError as error:
                bad_documents.setdefault(number, []).append(row_number)
                self._dealer_report(report, row_number, number, error.render(lang))
                continue
            for warning in warnings:
                self._dealer_report(report, row_number, number, warning._translate(lang), "warnings")
            document = documents.get(number)
            if document is None:
                document = documents[number] = {"number": number, "header": header, "lines": [], "rows": []}
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
        for document in documents.values():
            for position, line in enumerate(document["lines"], start=1):
                line["sequence"] = position
                line["dms_line_ref"] = line["dms_line_ref"] or str(position)
        return documents

    def _dealer_check_row_in_document(self, document, header, line):
        if header is not document["header"] and header != document["header"]:
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
    def _dealer_report(self, report, row_number, document, message, kind="errors"):
        report[kind].append({"row": row_number, "document": document, "message": message})

    # ------------------------------------------------------------
    # BATCH IMPORT
    # ------------------------------------------------------------

    def _dealer_import_batch(self, documents, options, report):
        """Import one batch under a savepoint; if it fails, retry document by document.

        A document that fails alone is reported in the user's words; the
        database's own text goes to the server log only.
        """
        attempt = {"created": 0, "updated": 0, "unchanged": 0, "lines": 0, "errors": [], "warnings": []}
        try:
            with self.env.cr.savepoint():
                self._dealer_import_documents(documents, options, attempt)
                self.env.flush_all()
        except DOCUMENT_ERRORS as error:
            self.env.invalidate_all()
            if len(documents) > 1:
                _logger.info("DMS import batch failed (%s), retrying document by document", error)
                for document in documents:
                    self._dealer_import_batch([document], options, report)
                return
            document = documents[0]
            message = self._dealer_error_message(error)
            for row_number in document["rows"]:
                self._dealer_report(
                    report, row_number, document["number"], _("not imported: %(reason)s", reason=message)
                )
            return
        for key, value in attempt.items():
            report[key] += value

    def _dealer_error_message(self, error):
        if isinstance(error, RowError):
            return error.render(self.env.lang)
        if isinstance(error, UserError | ValidationError):
            return error.args[0] if error.args else str(error)
        _logger.warning("DMS import: a document was refused by the database: %s", error)
        if isinstance(error, IntegrityError):
            return _(
                "it conflicts with data already stored (the same VIN, document or line number "
                "on another record); nothing of it was saved"
            )
        return _(
            "one of its values cannot be stored (a number or text out of range); nothing of it was saved"
        )

    def _dealer_import_documents(self, documents, options, report):
        """Import a batch: match everything first, reject the bad documents, then create in bulk.

        Documents stored exactly as sent are found in one query and left
        alone. Nothing is created for a rejected document (not even its
        customer).
        """
        company = self.env.company
        partners = self._dealer_match_customers(documents, company)
        vehicles = self._dealer_match_vehicles(documents, company)
        advisors = self._dealer_resolve_advisors(documents)
        stored = self._dealer_stored_documents(documents, company)
        pending = []
        for document in documents:
            header = document["header"]
            if header["advisor"] and header["advisor"].lower() not in advisors:
                self._dealer_report(
                    report,
                    document["rows"][0],
                    document["number"],
                    _(
                        "unknown advisor %(advisor)s: the visit was imported without one",
                        advisor=header["advisor"],
                    ),
                    "warnings",
                )
            if self._dealer_is_unchanged(document, stored, partners, vehicles, advisors, options):
                report["unchanged"] += 1
            else:
                pending.append(document)
        documents = pending
        errors = self._dealer_find_document_errors(documents, partners, vehicles, options["create_missing"])
        for doc in documents:
            if doc["number"] in errors:
                for row_number in doc["rows"]:
                    self._dealer_report(report, row_number, doc["number"], errors[doc["number"]])
        documents = [doc for doc in documents if doc["number"] not in errors]
        if not documents:
            return
        new_customers = [d for d in documents if d["number"] not in partners]
        new_vehicles = [
            d
            for d in documents
            if d["number"] not in vehicles and (d["header"]["vin"] or d["header"]["plate"])
        ]
        new_documents = [d for d in documents if d["number"] not in stored]
        self._dealer_claim_keys(company, new_customers, new_vehicles, new_documents)
        suspect_before = self._dealer_suspect_readings(
            {vehicles[doc["number"]] for doc in documents if doc["number"] in vehicles}
        )
        partners.update(self._dealer_create_customers(new_customers, company))
        models_by_name = self._dealer_vehicle_models(new_vehicles, create=True)
        vehicles.update(self._dealer_create_vehicles(new_vehicles, partners, models_by_name, company))
        to_create, to_update = [], []
        for document in documents:
            vals = self._dealer_visit_values(document, partners, vehicles, advisors)
            kept_lines = [line for line in document["lines"] if not line["deleted"]]
            if document["number"] in stored:
                to_update.append((document, vals))
                continue
            if not kept_lines:
                report["unchanged"] += 1  # only deletions, of lines never imported
                continue
            vals.update(
                dms_document_number=document["number"],
                company_id=company.id,
                line_ids=[Command.create(self._dealer_line_values(line)) for line in kept_lines],
            )
            vals.setdefault("user_id", False)
            to_create.append(vals)
            report["created"] += 1
            report["lines"] += len(kept_lines)
        if to_create:
            self.create(to_create)
        visits = self.browse([stored[document["number"]]["id"] for document, _vals in to_update])
        for visit, (document, vals) in zip(visits, to_update, strict=True):
            if visit._dealer_update_from_import(vals, document["lines"], options["complete"]):
                report["updated"] += 1
                report["lines"] += sum(1 for line in document["lines"] if not line["deleted"])
            else:
                report["unchanged"] += 1
        self._dealer_report_suspect_readings(documents, vehicles, suspect_before, report)

    def _dealer_visit_values(self, document, partners, vehicles, advisors):
        """The visit's header values for ``document``; the advisor only when known."""
        header = document["header"]
        vals = {
            "partner_id": partners[document["number"]],
            "vehicle_id": vehicles.get(document["number"], False),
            "date": header["date"],
            "odometer": header["odometer"],
            "department": header["department"],
            "state": header["state"],
        }
        advisor = advisors.get(header["advisor"].lower())
        if advisor:
            vals["user_id"] = advisor
        return vals

    def _dealer_stored_documents(self, documents, company):
        """The visits of these documents as stored, with their lines, in one query.

        :return: {document number: {"id": visit id, "values": {field: value},
            "lines": {line ref: signature (see ``_line_signature``)}}}; a line
            without a DMS line number is keyed by its id, so that no row ever matches it
        """
        numbers = [document["number"] for document in documents]
        self.flush_model(["dms_document_number", "company_id", *STORED_HEADER_FIELDS])
        self.env["dealer.visit.line"].flush_model(["visit_id", "dms_line_ref", *LINE_FIELDS])
        # Two single-table reads, not a join: a first import into an empty
        # dealership runs on statistics that still describe empty tables, and
        # a joined plan chosen on those can scan the lines once per visit.
        visit_rows = self.env.execute_query(
            SQL(
                """
                SELECT id, dms_document_number, %(header)s
                  FROM dealer_visit
                 WHERE dms_document_number = ANY(%(numbers)s) AND company_id = %(company)s
                """,
                header=SQL(", ").join(SQL.identifier(name) for name in STORED_HEADER_FIELDS),
                numbers=numbers,
                company=company.id,
            )
        )
        stored, by_id = {}, {}
        for visit_id, number, *header in visit_rows:
            stored[number] = by_id[visit_id] = {
                "id": visit_id,
                "values": dict(zip(STORED_HEADER_FIELDS, header, strict=True)),
                "lines": {},
            }
        if not by_id:
            return stored
        line_rows = self.env.execute_query(
            SQL(
                "SELECT visit_id, id, dms_line_ref, %(line)s FROM dealer_visit_line WHERE visit_id = ANY(%(visits)s)",
                line=SQL(", ").join(SQL.identifier(name) for name in LINE_FIELDS),
                visits=list(by_id),
            )
        )
        for visit_id, line_id, line_ref, *line in line_rows:
            by_id[visit_id]["lines"][line_ref or f"no-ref-{line_id}"] = _line_signature(line)
        return stored

    def _dealer_is_unchanged(self, document, stored, partners, vehicles, advisors, options):
        """Whether the visit of ``document`` is stored exactly as the rows say (nothing to write)."""
        visit = stored.get(document["number"])
        number = document["number"]
        if not visit or number not in partners:
            return False
        header = document["header"]
        if number not in vehicles and (header["vin"] or header["plate"]):
            return False
        wanted = self._dealer_visit_values(document, partners, vehicles, advisors)
        values = visit["values"]
        # The header holds no amounts (see STORED_HEADER_FIELDS): empty is empty, nothing to round.
        if any((values[name] or False) != (value or False) for name, value in wanted.items()):
            return False
        lines = dict(visit["lines"])
        for line in document["lines"]:
            current = lines.pop(line["dms_line_ref"], None)
            if line["deleted"]:
                if current is not None:
                    return False
            elif current != _line_signature([line[name] for name in LINE_FIELDS]):
                return False
        return not (options["complete"] and lines)

    def _dealer_suspect_readings(self, vehicle_ids):
        """Ids of the suspect odometer readings of these vehicles."""
        if not vehicle_ids:
            return set()
        return set(
            self.env["fleet.vehicle.odometer"]
            ._search([("vehicle_id", "in", list(vehicle_ids)), ("dealer_suspect", "=", True)])
            .get_result_ids()
        )

    @api.model
    def _dealer_line_values(self, line):
        return {
            "sequence": line["sequence"],
            "dms_line_ref": line["dms_line_ref"],
            **{name: line[name] for name in LINE_FIELDS},
        }

    def _dealer_update_from_import(self, vals, lines, complete):
        """Bring an imported visit in line with its document; False when nothing changed."""
        self.ensure_one()
        header_changes = {name: value for name, value in vals.items() if _differs(self, name, value)}
        current = {line.dms_line_ref or f"no-ref-{line.id}": line for line in self.line_ids}
        commands = []
        for line in lines:
            stored = current.pop(line["dms_line_ref"], None)
            if line["deleted"]:
                if stored:
                    commands.append(Command.delete(stored.id))
                continue
            if not stored:
                commands.append(Command.create(self._dealer_line_values(line)))
                continue
            changes = {name: line[name] for name in LINE_FIELDS if _differs(stored, name, line[name])}
            if changes:
                commands.append(Command.update(stored.id, changes))
        if complete:
            commands += [Command.delete(line.id) for line in current.values()]
        if commands:
            header_changes["line_ids"] = commands
        if not header_changes:
            return False
        self.write(header_changes)
        return True

    def _dealer_report_suspect_readings(self, documents, vehicles, suspect_before, report):
        """Warn about odometer readings this batch made suspect: its own, or older ones it contradicts."""
        first_row = {}
        for doc in documents:
            if doc["number"] in vehicles:
                first_row.setdefault(vehicles[doc["number"]], (doc["rows"][0], doc["number"]))
        if not first_row:
            return
        rows = {doc["number"]: doc["rows"][0] for doc in documents}
        readings = self.env["fleet.vehicle.odometer"].search(
            [
                ("vehicle_id", "in", list(first_row)),
                ("dealer_suspect", "=", True),
                ("id", "not in", list(suspect_before)),
            ]
        )
        for reading in readings:
            number = reading.dealer_visit_id.dms_document_number
            # Formatted before the calls: the terms extractor reads _()'s arguments as literals.
            km = f"{int(reading.value):,}".replace(",", " ")
            if number in rows:
                message = _(
                    "the odometer reading %(km)s km does not fit the vehicle's history: it was "
                    "kept as suspect and is left out of the mileage estimate until staff confirm "
                    "or correct it",
                    km=km,
                )
                self._dealer_report(report, rows[number], number, message, "warnings")
                continue
            row, number = first_row[reading.vehicle_id.id]
            message = _(
                "this document contradicts the earlier odometer reading of %(km)s km on %(date)s "
                "(%(where)s): that reading is now suspect; check which one is right",
                km=km,
                date=reading.date,
                where=reading.dealer_visit_id.display_name or _("entered by hand"),
            )
            self._dealer_report(report, row, number, message, "warnings")

    def _dealer_find_document_errors(self, documents, partners, vehicles, create_missing):
        """Document number -> reason, for the documents of the batch that cannot be imported."""
        errors = {}
        known_models = self._dealer_vehicle_models(
            [doc for doc in documents if doc["number"] not in vehicles], create=False
        )
        for doc in documents:
            header, number = doc["header"], doc["number"]
            vehicle_key = header["vin"] or header["plate"]
            if number not in partners and not create_missing:
                errors[number] = _("unknown customer %(customer)s", customer=customer_key(header))
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
        return errors


def _line_signature(values):
    """A line's ``LINE_FIELDS`` values as a re-import compares them: NULL is empty, amounts to the cent.

    One tuple per line, compared whole: a re-import of an unchanged export
    compares every line it sends.
    """
    name, category, payer_type, amount, declined = values
    return (name or False, category or False, payer_type or False, round(amount or 0.0, 2), bool(declined))


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
