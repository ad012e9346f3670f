# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io

import xlsxwriter
from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools.dms_rows import IMPORT_COLUMNS

# Errors listed on screen; the rest are counted (the whole list is in the download).
SHOWN_ERRORS = 200
# The field each column fills, for the template's column sheet: its label in the
# user's language, and for a choice the values the import accepts.
COLUMN_FIELDS = {
    "document_number": ("dealer.visit", "dms_document_number"),
    "date": ("dealer.visit", "date"),
    "department": ("dealer.visit", "department"),
    "advisor": ("dealer.visit", "user_id"),
    "status": ("dealer.visit", "state"),
    "customer_code": ("res.partner", "dealer_customer_code"),
    "customer_name": ("res.partner", "name"),
    "customer_email": ("res.partner", "email"),
    "customer_phone": ("res.partner", "phone"),
    "vin": ("fleet.vehicle", "vin_sn"),
    "plate": ("fleet.vehicle", "license_plate"),
    "model": ("fleet.vehicle", "model_id"),
    "odometer": ("dealer.visit", "odometer"),
    "line_number": ("dealer.visit.line", "dms_line_ref"),
    "description": ("dealer.visit.line", "name"),
    "category": ("dealer.visit.line", "category"),
    "payer_type": ("dealer.visit.line", "payer_type"),
    "amount": ("dealer.visit.line", "amount"),
    "declined": ("dealer.visit.line", "declined"),
}
# An example work order of two lines: the header repeats on every row.
TEMPLATE_HEADER = (
    "WO-1001",
    "2026-11-03",
    "service",
    "",
    "done",
    "C0001",
    "Mari Tamm",
    "mari.tamm@example.com",
    "+372 5123 4567",
    "WVWZZZ1JZXW000001",
    "123ABC",
    "Skoda Octavia",
    "45000",
)
TEMPLATE_EXAMPLE = (
    TEMPLATE_HEADER + ("1", "Oil change", "labour", "customer", "89.90", "", "", ""),
    TEMPLATE_HEADER + ("2", "Brake pads", "parts", "customer", "120.00", "yes", "", ""),
)


class DealerVisitImport(models.TransientModel):
    _name = "dealer.visit.import"
    _description = "Import Visits from the DMS"

    file = fields.Binary(required=True, help="CSV or XLSX, one row per work-order line.")
    file_name = fields.Char()
    create_missing = fields.Boolean(
        string="Create Unknown Customers and Vehicles",
        default=True,
        help="When unchecked, rows naming an unknown customer or vehicle are reported instead.",
    )
    complete_documents = fields.Boolean(
        string="The File Holds Whole Documents",
        default=True,
        help="Each work order in the file lists all its lines: lines no longer in the file are removed from "
        "the visit. Uncheck it for a file that carries only some lines of a work order.",
    )
    state = fields.Selection([("upload", "Upload"), ("done", "Done")], default="upload")
    created_count = fields.Integer(string="Visits Created", readonly=True)
    updated_count = fields.Integer(string="Visits Updated", readonly=True)
    unchanged_count = fields.Integer(string="Visits Unchanged", readonly=True)
    line_count = fields.Integer(string="Lines Imported", readonly=True)
    error_count = fields.Integer(string="Rows With Errors", readonly=True)
    error_html = fields.Html(string="Errors", readonly=True, sanitize=False)
    warning_count = fields.Integer(string="Warnings", readonly=True)
    warning_html = fields.Html(string="Warnings List", readonly=True, sanitize=False)
    expected_columns = fields.Char(default=lambda self: ", ".join(IMPORT_COLUMNS), readonly=True)
    template_file = fields.Binary(readonly=True, attachment=False)

    def action_download_template(self):
        """An XLSX with the columns the import reads, an example work order and what each column holds."""
        self.ensure_one()
        self.template_file = base64.b64encode(self._dealer_template_workbook())
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/template_file/dms-work-orders.xlsx?download=true",
            "target": "self",
        }

    def _dealer_template_workbook(self):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        orders = workbook.add_worksheet(_("Work orders"))
        orders.write_row(0, 0, IMPORT_COLUMNS, bold)
        for row, values in enumerate(TEMPLATE_EXAMPLE, start=1):
            orders.write_row(row, 0, values)
        orders.set_column(0, len(IMPORT_COLUMNS) - 1, 16)
        columns = workbook.add_worksheet(_("Columns"))
        columns.write_row(0, 0, [_("Column"), _("Meaning"), _("Values")], bold)
        extra = {
            "credit": (_("Credit or return line: only such a line may have a negative amount"), "yes"),
            "line_status": (_("Line status"), "deleted"),
        }
        for row, column in enumerate(IMPORT_COLUMNS, start=1):
            if column in COLUMN_FIELDS:
                model, fname = COLUMN_FIELDS[column]
                field = self.env[model]._fields[fname]
                description = field.get_description(self.env)
                values = ""
                if field.type == "selection":
                    values = ", ".join(value for value, _label in description["selection"])
                meaning = description["string"]
            else:
                meaning, values = extra[column]
            columns.write_row(row, 0, [column, meaning, values])
        columns.set_column(0, 0, 18)
        columns.set_column(1, 1, 60)
        columns.set_column(2, 2, 40)
        workbook.close()
        return output.getvalue()

    def action_import(self):
        self.ensure_one()
        rows = self._read_rows()
        report = self.env["dealer.visit"].import_dms_rows(
            rows,
            create_missing=self.create_missing,
            first_row_number=2,
            complete_documents=self.complete_documents,
        )
        self.write(
            {
                "state": "done",
                "created_count": report["created"],
                "updated_count": report["updated"],
                "unchanged_count": report["unchanged"],
                "line_count": report["lines"],
                "error_count": len(report["errors"]),
                "error_html": self._errors_to_html(report["errors"]),
                "warning_count": len(report["warnings"]),
                "warning_html": self._errors_to_html(report["warnings"]),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Import Result"),
        }

    def action_open_visits(self):
        return self.env["ir.actions.act_window"]._for_xml_id("dealer_loyalty.dealer_visit_action")

    def _read_rows(self):
        content = base64.b64decode(self.file or b"")
        if not content:
            raise UserError(_("The file is empty."))
        name = (self.file_name or "").lower()
        if name.endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
            return self._read_xlsx(content)
        return self._read_csv(content)

    def _read_csv(self, content):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        self._check_header(reader.fieldnames or [])
        return list(reader)

    def _read_xlsx(self, content):
        try:
            import openpyxl
        except ImportError as error:
            raise UserError(_("Reading XLSX files needs the Python package openpyxl.")) from error
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds of errors on broken files
            raise UserError(
                _("This file cannot be read as an XLSX workbook: %(error)s", error=error)
            ) from error
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
        self._check_header(header)
        return [
            dict(zip(header, row, strict=False))
            for row in rows
            if any(cell not in (None, "") for cell in row)
        ]

    def _check_header(self, header):
        normalized = {column.strip().lower().replace(" ", "_") for column in header if column}
        if "document_number" not in normalized:
            raise UserError(
                _(
                    "The first row must name the columns; document_number is missing. Expected columns: %(columns)s",
                    columns=", ".join(IMPORT_COLUMNS),
                )
            )

    def _errors_to_html(self, errors):
        if not errors:
            return False
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (error["row"], error["document"], error["message"])
            for error in errors[:SHOWN_ERRORS]
        )
        more = Markup()
        if len(errors) > SHOWN_ERRORS:
            more = Markup("<p>%s</p>") % _("... and %(count)s more.", count=len(errors) - SHOWN_ERRORS)
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th></tr>") % (_("Row"), _("Document"), _("Reason"))
        table = Markup(
            '<table class="table table-sm table-striped"><thead>%s</thead><tbody>%s</tbody></table>'
        )
        return table % (head, rows) + more
