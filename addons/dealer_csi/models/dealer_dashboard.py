# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, fields, models
from odoo.tools.misc import format_date

CSI_MONTHS = 6


class DealerDashboard(models.AbstractModel):
    _inherit = "dealer.dashboard"

    def _dealer_dashboard_sections(self, companies, today):
        sections = super()._dealer_dashboard_sections(companies, today)
        # sudo: the figures are the dealership's aggregates; who may see them is the
        # dashboard's group check, not the CSI agent's record rules on each answer.
        Report = self.env["dealer.csi.report"].sudo()
        month_start = today.replace(day=1)
        since = month_start - relativedelta(months=CSI_MONTHS - 1)
        answered = [("company_id", "in", companies.ids), ("answered_count", "=", 1)]
        [(csi, nps, answers)] = Report._read_group(
            answered + [("date", ">=", since)], [], ["csi_score:avg", "nps:avg", "__count"]
        )
        by_month = {
            fields.Date.to_date(month): score
            for month, score in Report._read_group(
                answered + [("date", ">=", since)], ["date:month"], ["csi_score:avg"]
            )
        }
        configs = self.env["dealer.csi.config"].sudo().search([("company_id", "in", companies.ids)])
        target = round(sum(configs.mapped("target_csi")) / len(configs), 1) if configs else None
        Complaint = self.env["dealer.complaint"]
        open_domain = [("is_closed", "=", False), ("company_id", "in", companies.ids)]
        overdue_domain = open_domain + [("is_overdue", "=", True)]
        open_count = Complaint.sudo().search_count(open_domain)
        overdue_count = Complaint.sudo().search_count(overdue_domain)
        months = [since + relativedelta(months=offset) for offset in range(CSI_MONTHS)]
        period = _("since %(date)s", date=format_date(self.env, since, date_format="LLLL y"))
        report_domain = [("company_id", "in", companies.ids), ("date", ">=", since)]
        sections.append(
            {
                "key": "satisfaction",
                "title": _("Satisfaction"),
                "tiles": [
                    {
                        "label": _("CSI"),
                        "value": round(csi, 1) if answers else None,
                        "tone": "danger" if answers and target is not None and csi < target else "",
                        "hint": _(
                            "%(answers)s answers %(period)s; target %(target)s.",
                            answers=answers,
                            period=period,
                            target=target if target is not None else "–",
                        ),
                        "action": self._dealer_action(
                            "dealer_csi.dealer_csi_report_action", _("CSI"), report_domain
                        ),
                    },
                    {
                        "label": _("NPS"),
                        "value": round(nps, 1) if answers else None,
                        "hint": _("Promoters minus detractors, %(period)s.", period=period),
                        "action": self._dealer_action(
                            "dealer_csi.dealer_csi_report_action", _("NPS"), report_domain
                        ),
                    },
                    {
                        "label": _("Open complaints"),
                        "value": open_count,
                        "action": self._dealer_action(
                            "dealer_csi.dealer_complaint_action", _("Open Complaints"), open_domain
                        ),
                    },
                    {
                        "label": _("Overdue complaints"),
                        "value": overdue_count,
                        "tone": "danger" if overdue_count else "muted",
                        "hint": _("Open past their answer deadline."),
                        "action": self._dealer_action(
                            "dealer_csi.dealer_complaint_action",
                            _("Overdue Complaints"),
                            [("is_overdue", "=", True)] + open_domain,
                        ),
                    },
                ],
                "trend": {
                    "title": _("CSI, last 6 months"),
                    "target": target,
                    "bars": [
                        {
                            "label": format_date(self.env, month, date_format="LLL"),
                            "value": round(by_month[month], 1) if by_month.get(month) is not None else None,
                            "title": _(
                                "%(month)s: CSI %(csi)s",
                                month=format_date(self.env, month, date_format="LLLL y"),
                                csi=round(by_month[month], 1) if by_month.get(month) is not None else "–",
                            ),
                        }
                        for month in months
                    ],
                },
            }
        )
        return sections
