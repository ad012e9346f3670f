# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date, datetime, time, timedelta

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools.misc import format_date

from odoo.addons.dealer_loyalty.models.dealer_visit import DEPARTMENTS

from ..models.dealer_csi_config import CSI_CHANNELS

TREND_MONTHS = 6
MEASURES = ["csi_score:avg", "nps:avg", "response_rate:avg", "answered_count:sum", "__count"]
# Comments printed in the PDF, lowest scores first; the Excel file and the
# Customer Comments list have them all.
PDF_COMMENT_LIMIT = 25
# Excel number formats: CSI and NPS with one decimal, rates as percentages.
XLSX_FORMATS = {
    "csi": "0.0",
    "nps": "+0.0;-0.0;0.0",
    "rate": "0.0%",
    "count": "0",
    "days": "0.0",
    "date": "yyyy-mm-dd",
}


MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]


class DealerCsiMeetingWizard(models.TransientModel):
    """The monthly management meeting's CSI figures: as a PDF to hand out, or as Excel.

    A CSI month is the month of the visit date, as everywhere in dealer_csi; a
    month without answers has no CSI (``None``), never a CSI of 0.
    """

    _name = "dealer.csi.meeting.wizard"
    _description = "CSI Monthly Report"

    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=1),
        help="Any day of the month to report on.",
    )
    # What the user picks: a month and a year, not a day.
    report_month = fields.Selection(
        MONTHS,
        string="Month",
        compute="_compute_report_period",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    report_year = fields.Integer(
        string="Year",
        compute="_compute_report_period",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    excel_file = fields.Binary(readonly=True, attachment=False)
    excel_name = fields.Char(readonly=True)

    @api.depends("month")
    def _compute_report_period(self):
        for wizard in self:
            wizard.report_month = str(wizard.month.month) if wizard.month else False
            wizard.report_year = wizard.month.year if wizard.month else False

    @api.onchange("report_month", "report_year")
    def _onchange_report_period(self):
        if self.report_month and self.report_year and 2000 <= self.report_year <= 2100:
            self.month = date(self.report_year, int(self.report_month), 1)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print(self):
        self.ensure_one()
        return self.env.ref("dealer_csi.action_report_dealer_csi_meeting").report_action(self, config=False)

    def action_export_excel(self):
        self.ensure_one()
        self.write(
            {
                "excel_file": base64.b64encode(self._dealer_workbook(self._dealer_meeting_figures())),
                "excel_name": f"csi-{self.month:%Y-%m}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/excel_file/{self.excel_name}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------
    # FIGURES
    # ------------------------------------------------------------

    @api.model
    def _dealer_row(self, values, label, target=None):
        """One line of CSI figures from the ``MEASURES`` of a grouped read.

        :param values: the measures' values, in the order of ``MEASURES``
        :param target: the CSI target of the line, if it has one
        :return: a dict where a figure that cannot exist is ``None``: no CSI
            nor NPS without answers, no response rate without invitations
        """
        csi, nps, rate, answers, invitations = values
        answers, invitations = answers or 0, invitations or 0
        csi = csi if answers else None
        return {
            "label": label,
            "csi": csi,
            "nps": nps if answers else None,
            "response_rate": rate if invitations else None,
            "answers": answers,
            "invitations": invitations,
            "target": target,
            "below_target": csi is not None and target is not None and csi < target,
        }

    def _dealer_period(self):
        self.ensure_one()
        date_from = self.month.replace(day=1)
        return date_from, date_from + relativedelta(months=1)

    def _dealer_timezone(self):
        """The dealership's time zone: a month's figures do not depend on the reader's."""
        return pytz.timezone(
            self.company_id.dealer_timezone or self.env.user.tz or self.env.context.get("tz") or "UTC"
        )

    def _dealer_utc_bounds(self, *days):
        """The days' first moment at the dealership, in UTC as datetimes are stored."""
        tz = self._dealer_timezone()
        return tuple(
            tz.localize(datetime.combine(day, time.min)).astimezone(pytz.UTC).replace(tzinfo=None)
            for day in days
        )

    def _dealer_meeting_figures(self):
        """Everything the report shows, computed with a few grouped reads."""
        self.ensure_one()
        date_from, date_to = self._dealer_period()
        Report = self.env["dealer.csi.report"]
        company = [("company_id", "=", self.company_id.id)]
        month = company + [("date", ">=", date_from), ("date", "<", date_to)]
        period = format_date(self.env, date_from, date_format="MMMM yyyy")
        total = self._dealer_row(Report._read_group(month, [], MEASURES)[0], period)
        trend_from = date_from - relativedelta(months=TREND_MONTHS - 1)
        trend = {
            fields.Date.to_date(start): values
            for start, *values in Report._read_group(
                company + [("date", ">=", trend_from), ("date", "<", date_to)], ["date:month"], MEASURES
            )
        }
        trend_rows = []
        for offset in range(TREND_MONTHS):
            start = trend_from + relativedelta(months=offset)
            label = format_date(self.env, start, date_format="MMM yyyy")
            trend_rows.append(self._dealer_row(trend.get(start, (None, None, None, 0, 0)), label))
        advisor_rows = sorted(
            (
                self._dealer_row(values, advisor.name or _("No advisor"))
                for advisor, *values in Report._read_group(month, ["advisor_id"], MEASURES)
            ),
            key=lambda row: -(row["csi"] or 0.0),
        )
        channels = dict(self.env["dealer.csi.report"]._fields["channel"]._description_selection(self.env))
        channel_rows = [
            self._dealer_row(values, channels.get(channel, _("Unknown")))
            for channel, *values in Report._read_group(month, ["channel"], MEASURES)
        ]
        question_rows = sorted(
            (
                {"label": question.title, "survey": survey.title, "score": score or 0.0, "answers": count}
                for survey, question, score, count in self.env["dealer.csi.question.report"]._read_group(
                    month, ["survey_id", "question_id"], ["score:avg", "__count"]
                )
            ),
            key=lambda row: row["score"],
        )
        return {
            "company": self.company_id,
            "period": period,
            "total": total,
            "previous": trend_rows[-2] if len(trend_rows) > 1 else None,
            "trend": trend_rows,
            "departments": self._dealer_department_rows(month),
            "advisors": advisor_rows,
            "channels": channel_rows,
            "questions": question_rows,
            "complaints": self._dealer_complaint_figures(date_from, date_to),
            "comments": self._dealer_comments(date_from, date_to),
            "comment_count": self.env["dealer.csi.comment.report"].search_count(
                self._dealer_comment_domain(date_from, date_to)
            ),
            "comment_limit": PDF_COMMENT_LIMIT,
        }

    def _dealer_department_rows(self, month):
        """The month per department, against the department's CSI target.

        Departments with a running survey setting are listed even without a
        survey this month: an empty line says more than a missing one.
        """
        configs = (
            self.env["dealer.csi.config"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.company_id.id)])
        )
        targets = {config.department: config.target_csi for config in configs}
        values = {
            department: rest
            for department, *rest in self.env["dealer.csi.report"]._read_group(
                month, ["department"], MEASURES
            )
        }
        departments = dict(DEPARTMENTS)
        shown = set(values) | set(configs.filtered("active").mapped("department"))
        return [
            self._dealer_row(
                values.get(department, (None, None, None, 0, 0)),
                departments.get(department, _("Other")),
                target=targets.get(department),
            )
            for department in [code for code, _label in DEPARTMENTS] + [False]
            if department in shown
        ]

    def _dealer_complaint_figures(self, date_from, date_to):
        """Complaints of the month per department: opened and resolved in it, the
        average days those resolved took, and those overdue at the month's end
        (today for the current month) whenever they were opened."""
        Complaint = self.env["dealer.complaint"]
        company = [("company_id", "=", self.company_id.id)]
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(self._dealer_timezone()).date()
        cutoff = min(date_to, today)
        start, end, cutoff_at = self._dealer_utc_bounds(date_from, date_to, cutoff)
        received = company + [("date_received", ">=", start), ("date_received", "<", end)]
        resolved = company + [("date_closed", ">=", start), ("date_closed", "<", end)]
        overdue = company + [
            ("date_deadline", "<", cutoff),
            ("date_received", "<", cutoff_at),
            "|",
            ("date_closed", "=", False),
            ("date_closed", ">=", cutoff_at),
        ]
        opened = dict(Complaint._read_group(received, ["department"], ["__count"]))
        closed = {
            department: (count, days)
            for department, count, days in Complaint._read_group(
                resolved, ["department"], ["__count", "resolution_days:avg"]
            )
        }
        late = dict(Complaint._read_group(overdue, ["department"], ["__count"]))
        labels = dict(DEPARTMENTS)
        department_rows = [
            {
                "label": labels.get(department, _("No department")),
                "opened": opened.get(department, 0),
                "resolved": closed.get(department, (0, None))[0],
                "days": closed.get(department, (0, None))[1],
                "overdue": late.get(department, 0),
            }
            for department in [code for code, _label in DEPARTMENTS] + [False]
            if department in opened or department in closed or department in late
        ]
        resolved_count, resolved_days = Complaint._read_group(
            resolved, [], ["__count", "resolution_days:avg"]
        )[0]
        # Days to resolve count the resolved ones only: an open complaint has no such figure yet.
        category_days = dict(
            Complaint._read_group(
                received + [("date_closed", "!=", False)], ["category_id"], ["resolution_days:avg"]
            )
        )
        category_rows = sorted(
            (
                {
                    "label": category.name or _("Not categorised"),
                    "count": count,
                    "days": category_days.get(category),
                }
                for category, count in Complaint._read_group(received, ["category_id"], ["__count"])
            ),
            key=lambda row: -row["count"],
        )
        return {
            "received": sum(opened.values()),
            "resolved": resolved_count,
            "resolution_days": resolved_days if resolved_count else None,
            "overdue_at_end": sum(late.values()),
            "cutoff": format_date(self.env, cutoff - timedelta(days=1) if cutoff == date_to else cutoff),
            "open": Complaint.search_count(company + [("is_closed", "=", False)]),
            "overdue": Complaint.search_count(company + [("is_overdue", "=", True)]),
            "departments": department_rows,
            "total": {
                "label": _("Total"),
                "opened": sum(opened.values()),
                "resolved": resolved_count,
                "days": resolved_days if resolved_count else None,
                "overdue": sum(late.values()),
            },
            "categories": category_rows,
        }

    def _dealer_comment_domain(self, date_from, date_to):
        return [
            ("company_id", "=", self.company_id.id),
            ("kind", "=", "visit"),
            ("date", ">=", date_from),
            ("date", "<", date_to),
        ]

    def _dealer_comments(self, date_from, date_to, limit=PDF_COMMENT_LIMIT):
        """The month's comments, lowest scores first: the ones the meeting should read."""
        comments = self.env["dealer.csi.comment.report"].search(
            self._dealer_comment_domain(date_from, date_to), order="csi_score, date, id", limit=limit
        )
        departments = dict(DEPARTMENTS)
        return [
            {
                "date": comment.date,
                "date_label": format_date(self.env, comment.date),
                "csi": comment.csi_score if comment.is_scored else None,
                "comment": comment.comment,
                "advisor": comment.advisor_id.name or "",
                "visit": comment.visit_id.name or "",
                "department": departments.get(comment.department, ""),
                "channel": dict(CSI_CHANNELS).get(comment.channel, ""),
            }
            for comment in comments
        ]

    # ------------------------------------------------------------
    # EXCEL
    # ------------------------------------------------------------

    def _dealer_workbook(self, figures):
        """The figures as an Excel workbook, one table per sheet.

        Every sheet has a title, a frozen header row and first column and
        formatted numbers (CSI and NPS with one decimal, rates as %).
        :return: the file's bytes
        """
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        title_format = workbook.add_format({"bold": True, "font_size": 14})
        header_format = workbook.add_format(
            {"bold": True, "bg_color": "#EEEEEE", "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        text_format = workbook.add_format({"valign": "top"})
        wrap_format = workbook.add_format({"text_wrap": True, "valign": "top"})
        bold_format = workbook.add_format({"bold": True, "valign": "top"})
        formats = {
            key: workbook.add_format({"num_format": num_format, "valign": "top"})
            for key, num_format in XLSX_FORMATS.items()
        }
        bold_formats = {
            key: workbook.add_format({"num_format": num_format, "bold": True, "valign": "top"})
            for key, num_format in XLSX_FORMATS.items()
        }
        below_format = workbook.add_format({"num_format": XLSX_FORMATS["csi"], "font_color": "#C0392B"})
        subtitle = _("%(period)s, %(company)s", period=figures["period"], company=self.company_id.name)

        def value(kind, raw):
            if raw is None:
                return None
            if kind == "rate":
                return round(raw / 100.0, 4)
            if kind in ("csi", "nps", "days"):
                return round(raw, 1)
            return raw

        def sheet(name, heading, columns, rows, total=None):
            """A sheet with one table.

            :param columns: (header, key, kind, width) per column; kind is a
                key of ``XLSX_FORMATS``, "text" or "wrap"
            """
            worksheet = workbook.add_worksheet(name[:31])
            worksheet.write(0, 0, heading, title_format)
            worksheet.write(1, 0, subtitle)
            for column, (header, _key, _kind, width) in enumerate(columns):
                worksheet.set_column(column, column, width)
                worksheet.write(2, column, header, header_format)
            lines = list(rows) + ([total] if total else [])
            for offset, row in enumerate(lines):
                is_total = total is not None and offset == len(lines) - 1
                for column, (_header, key, kind, _width) in enumerate(columns):
                    raw = row.get(key)
                    if kind in ("text", "wrap"):
                        cell_format = (
                            bold_format if is_total else wrap_format if kind == "wrap" else text_format
                        )
                        worksheet.write_string(3 + offset, column, raw or "", cell_format)
                        continue
                    cell_format = (bold_formats if is_total else formats)[kind]
                    if key == "csi" and row.get("below_target"):
                        cell_format = below_format
                    cell = value(kind, raw)
                    if cell is None:
                        worksheet.write_blank(3 + offset, column, None, cell_format)
                    elif kind == "date":
                        worksheet.write_datetime(3 + offset, column, cell, cell_format)
                    else:
                        worksheet.write_number(3 + offset, column, cell, cell_format)
            worksheet.freeze_panes(3, 1)
            if rows:
                worksheet.autofilter(2, 0, 2 + len(rows), len(columns) - 1)
            return worksheet

        figure_columns = [
            (_("CSI"), "csi", "csi", 10),
            (_("NPS"), "nps", "nps", 10),
            (_("Response rate"), "response_rate", "rate", 14),
            (_("Answers"), "answers", "count", 10),
            (_("Invited"), "invitations", "count", 10),
        ]
        sheet(
            _("Departments"),
            _("CSI per department against its target"),
            [(_("Department"), "label", "text", 24), figure_columns[0], (_("Target"), "target", "csi", 10)]
            + figure_columns[1:],
            figures["departments"],
            total=figures["total"] | {"label": _("All departments")},
        )
        sheet(
            _("Trend"),
            _("CSI per month (visit date)"),
            [(_("Month"), "label", "text", 16)] + figure_columns,
            figures["trend"],
        )
        sheet(
            _("Channels"),
            _("Response rate per channel"),
            [(_("Channel"), "label", "text", 40)] + figure_columns[2:] + figure_columns[:2],
            figures["channels"],
        )
        sheet(
            _("Advisors"),
            _("CSI per advisor and salesperson"),
            [(_("Advisor / salesperson"), "label", "text", 30)] + figure_columns,
            figures["advisors"],
        )
        sheet(
            _("Questions"),
            _("CSI per question, weakest first"),
            [
                (_("Question"), "label", "wrap", 50),
                (_("Survey"), "survey", "text", 30),
                (_("Average (0-100)"), "score", "csi", 14),
                (_("Answers"), "answers", "count", 10),
            ],
            figures["questions"],
        )
        complaints = figures["complaints"]
        sheet(
            _("Complaints"),
            _("Complaints per department"),
            [
                (_("Department"), "label", "text", 24),
                (_("Opened"), "opened", "count", 10),
                (_("Resolved"), "resolved", "count", 10),
                (_("Average days to resolve"), "days", "days", 14),
                (_("Overdue at month end"), "overdue", "count", 14),
            ],
            complaints["departments"],
            total=complaints["total"],
        )
        sheet(
            _("Complaint categories"),
            _("Complaints received per category"),
            [
                (_("Category"), "label", "text", 30),
                (_("Received"), "count", "count", 10),
                (_("Average days to resolve"), "days", "days", 14),
            ],
            complaints["categories"],
        )
        date_from, date_to = self._dealer_period()
        sheet(
            _("Comments"),
            _("Customer comments, lowest scores first"),
            [
                (_("Visit date"), "date", "date", 12),
                (_("CSI"), "csi", "csi", 8),
                (_("Comment"), "comment", "wrap", 70),
                (_("Advisor / salesperson"), "advisor", "text", 24),
                (_("Visit"), "visit", "text", 16),
                (_("Department"), "department", "text", 14),
                (_("Channel"), "channel", "text", 20),
            ],
            self._dealer_comments(date_from, date_to, limit=None),
        )
        workbook.close()
        return output.getvalue()
