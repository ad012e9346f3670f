# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import datetime, time

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools.misc import format_date

from odoo.addons.dealer_loyalty.models.dealer_visit import DEPARTMENTS

TREND_MONTHS = 6
MEASURES = ["csi_score:avg", "nps:avg", "response_rate:avg", "answered_count:sum", "__count"]


class DealerCsiMeetingWizard(models.TransientModel):
    """The monthly management meeting's CSI figures: as a PDF to hand out, or as Excel."""

    _name = "dealer.csi.meeting.wizard"
    _description = "CSI Monthly Report"

    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=1),
        help="Any day of the month to report on.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    excel_file = fields.Binary(readonly=True, attachment=False)
    excel_name = fields.Char(readonly=True)

    @api.model
    def _dealer_row(self, values):
        csi, nps, rate, answers, invitations = values
        return {
            "csi": csi or 0.0,
            "nps": nps or 0.0,
            "response_rate": rate or 0.0,
            "answers": answers or 0,
            "invitations": invitations or 0,
        }

    def _dealer_period(self):
        self.ensure_one()
        date_from = self.month.replace(day=1)
        return date_from, date_from + relativedelta(months=1)

    def _dealer_utc_bounds(self, date_from, date_to):
        """The month's first and last local midnight, in UTC as datetimes are stored."""
        tz = pytz.timezone(self.env.user.tz or self.env.context.get("tz") or "UTC")
        return tuple(
            tz.localize(datetime.combine(day, time.min)).astimezone(pytz.UTC).replace(tzinfo=None)
            for day in (date_from, date_to)
        )

    def _dealer_meeting_figures(self):
        """Everything the report shows, computed with a few grouped reads."""
        self.ensure_one()
        date_from, date_to = self._dealer_period()
        Report = self.env["dealer.csi.report"]
        company = [("company_id", "=", self.company_id.id)]
        month = company + [("date", ">=", date_from), ("date", "<", date_to)]
        total = Report._read_group(month, [], MEASURES)[0]
        trend_from = date_from - relativedelta(months=TREND_MONTHS - 1)
        trend = {
            fields.Date.to_date(start): self._dealer_row(values)
            for start, *values in Report._read_group(
                company + [("date", ">=", trend_from), ("date", "<", date_to)], ["date:month"], MEASURES
            )
        }
        trend_rows = []
        for offset in range(TREND_MONTHS):
            start = trend_from + relativedelta(months=offset)
            row = trend.get(start, self._dealer_row((0.0, 0.0, 0.0, 0, 0)))
            trend_rows.append(dict(row, label=format_date(self.env, start, date_format="MMM yyyy")))
        departments = dict(DEPARTMENTS)
        department_rows = [
            dict(self._dealer_row(values), label=departments.get(department, _("Other")))
            for department, *values in Report._read_group(month, ["department"], MEASURES)
        ]
        advisor_rows = sorted(
            (
                dict(self._dealer_row(values), label=advisor.name or _("No advisor"))
                for advisor, *values in Report._read_group(month, ["advisor_id"], MEASURES)
            ),
            key=lambda row: -row["csi"],
        )
        question_rows = sorted(
            (
                {"label": question.title, "survey": survey.title, "score": score or 0.0, "answers": count}
                for survey, question, score, count in self.env["dealer.csi.question.report"]._read_group(
                    month, ["survey_id", "question_id"], ["score:avg", "__count"]
                )
            ),
            key=lambda row: row["score"],
        )
        Complaint = self.env["dealer.complaint"]
        start, end = self._dealer_utc_bounds(date_from, date_to)
        received = company + [("date_received", ">=", start), ("date_received", "<", end)]
        resolved = company + [("date_closed", ">=", start), ("date_closed", "<", end)]
        category_rows = sorted(
            (
                {"label": category.name or _("Not categorised"), "count": count, "days": days or 0.0}
                for category, count, days in Complaint._read_group(
                    received, ["category_id"], ["__count", "resolution_days:avg"]
                )
            ),
            key=lambda row: -row["count"],
        )
        resolved_count, resolved_days = Complaint._read_group(
            resolved, [], ["__count", "resolution_days:avg"]
        )[0]
        return {
            "company": self.company_id,
            "period": format_date(self.env, date_from, date_format="MMMM yyyy"),
            "total": self._dealer_row(total),
            "previous": trend_rows[-2] if len(trend_rows) > 1 else None,
            "trend": trend_rows,
            "departments": department_rows,
            "advisors": advisor_rows,
            "questions": question_rows,
            "complaints": {
                "received": Complaint.search_count(received),
                "resolved": resolved_count,
                "resolution_days": resolved_days or 0.0,
                "open": Complaint.search_count(company + [("is_closed", "=", False)]),
                "overdue": Complaint.search_count(company + [("is_overdue", "=", True)]),
                "categories": category_rows,
            },
        }

    def action_print(self):
        self.ensure_one()
        return self.env.ref("dealer_csi.action_report_dealer_csi_meeting").report_action(self, config=False)

    def action_export_excel(self):
        self.ensure_one()
        figures = self._dealer_meeting_figures()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        number = workbook.add_format({"num_format": "0.0"})
        sheet = workbook.add_worksheet(_("CSI"))
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, 5, 14)
        sheet.write(
            0,
            0,
            _("CSI report %(period)s, %(company)s", period=figures["period"], company=self.company_id.name),
            title,
        )
        headers = [_("CSI"), _("NPS"), _("Response rate (%)"), _("Answers"), _("Invitations")]
        row = 2

        def table(heading, rows):
            nonlocal row
            sheet.write(row, 0, heading, bold)
            for column, header in enumerate(headers, start=1):
                sheet.write(row, column, header, bold)
            row += 1
            for values in rows:
                sheet.write(row, 0, values["label"])
                sheet.write_number(row, 1, values["csi"], number)
                sheet.write_number(row, 2, values["nps"], number)
                sheet.write_number(row, 3, values["response_rate"], number)
                sheet.write_number(row, 4, values["answers"])
                sheet.write_number(row, 5, values["invitations"])
                row += 1
            row += 1

        table(_("Month"), [dict(figures["total"], label=figures["period"])])
        table(_("Trend"), figures["trend"])
        table(_("Department"), figures["departments"])
        table(_("Advisor / salesperson"), figures["advisors"])
        sheet.write(row, 0, _("Question (weakest first)"), bold)
        sheet.write(row, 1, _("Average (0-100)"), bold)
        sheet.write(row, 2, _("Answers"), bold)
        row += 1
        for question in figures["questions"]:
            sheet.write(row, 0, question["label"])
            sheet.write_number(row, 1, question["score"], number)
            sheet.write_number(row, 2, question["answers"])
            row += 1
        row += 1
        sheet.write(row, 0, _("Complaint category"), bold)
        sheet.write(row, 1, _("Received"), bold)
        sheet.write(row, 2, _("Days to resolve"), bold)
        row += 1
        for category in figures["complaints"]["categories"]:
            sheet.write(row, 0, category["label"])
            sheet.write_number(row, 1, category["count"])
            sheet.write_number(row, 2, category["days"], number)
            row += 1
        workbook.close()
        self.write(
            {
                "excel_file": base64.b64encode(output.getvalue()),
                "excel_name": f"csi-{self.month:%Y-%m}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/excel_file/{self.excel_name}?download=true",
            "target": "self",
        }
