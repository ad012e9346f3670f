# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.misc import format_date

# Service retention as manufacturers ask for it: customers served 13–24 months
# ago who came back within the last 12 months, for each of the last 13 months.
RETENTION_MONTHS = 13


def without_missing_figures(value):
    """The dashboard's data without its ``None``: a figure without a value is left
    out (the client shows a dash), and XML-RPC cannot send ``None``."""
    if isinstance(value, dict):
        return {key: without_missing_figures(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_missing_figures(item) for item in value]
    return value


class DealerDashboard(models.AbstractModel):
    """The dealer principal's morning screen: one call returns every figure.

    Each addon adds its section in ``_dealer_dashboard_sections``; a tile is
    ``{"label", "value", "hint", "tone", "action"}``, the action being the
    list behind the figure.
    """

    _name = "dealer.dashboard"
    _description = "Dealership Dashboard"

    @api.model
    @api.readonly  # figures only: served from the replica when there is one (db_replica_host)
    def get_dashboard(self):
        if not self.env.user.has_group("dealer_loyalty.dealer_loyalty_group_user"):
            raise AccessError(_("The dealership dashboard is for dealership staff."))
        today = fields.Date.context_today(self)
        companies = self.env.companies
        return {
            "companies": companies.mapped("name"),
            "date": format_date(self.env, today),
            "sections": without_missing_figures(self._dealer_dashboard_sections(companies, today)),
        }

    def _dealer_dashboard_sections(self, companies, today):
        retention = self._dealer_service_retention(companies, today)
        current = retention[-1] if retention else {}
        lost, won_back = self._dealer_lost_and_won_back(companies, today)
        due_30, due_90 = self._dealer_vehicles_due(companies, today)
        conversion = self._dealer_first_service_conversion(companies, today)
        month_start = today.replace(day=1)
        calls_domain = [
            ("company_id", "in", companies.ids),
            ("channel", "=", "phone"),
            ("state", "=", "to_do"),
            ("call_date", "<=", today),
        ]
        # sudo: counts for the dashboard; each list opened from it applies the user's rights.
        calls_due = self.env["dealer.loyalty.reminder"].sudo().search_count(calls_domain)
        Effectiveness = self.env["dealer.program.effectiveness.report"].sudo()
        contacted_domain = [
            ("company_id", "in", companies.ids),
            ("group", "=", "contacted"),
            ("contact_date", ">=", month_start),
        ]
        contacted = Effectiveness.search_count(contacted_domain)
        came_back = Effectiveness.search_count(contacted_domain + [("visited", "=", True)])
        return [
            {
                "key": "retention",
                "title": _("Retention"),
                "tiles": [
                    {
                        "label": _("Service retention"),
                        "value": current.get("rate"),
                        "unit": "%",
                        "hint": _(
                            "%(back)s of the %(base)s customers served 13–24 months ago came back in the last 12 months.",
                            back=current.get("back", 0),
                            base=current.get("base", 0),
                        ),
                        "action": self._dealer_action(
                            "dealer_loyalty.dealer_customer_flow_report_action", _("Customer Flow")
                        ),
                    },
                    {
                        "label": _("First service"),
                        "value": conversion["rate"],
                        "unit": "%",
                        "hint": _(
                            "%(served)s of the %(sold)s vehicles handed over 6–24 months ago came for a service.",
                            served=conversion["served"],
                            sold=conversion["sold"],
                        ),
                        "action": self._dealer_action(
                            "dealer_loyalty.fleet_vehicle_action_dealer",
                            _("Vehicles Handed Over 6–24 Months Ago"),
                            [("id", "in", conversion["vehicle_ids"])],
                        ),
                    },
                    {
                        "label": _("Lost this month"),
                        "value": len(lost),
                        "tone": "danger" if lost else "muted",
                        "hint": _("Customers whose last visit passed the lost-customer limit this month."),
                        "action": self._dealer_action(
                            "dealer_loyalty.res_partner_action_dealer_customers",
                            _("Lost This Month"),
                            [("id", "in", lost)],
                        ),
                    },
                    {
                        "label": _("Won back this month"),
                        "value": len(won_back),
                        "tone": "success" if won_back else "muted",
                        "hint": _(
                            "Lost customers who came back since %(date)s.",
                            date=format_date(self.env, month_start),
                        ),
                        "action": self._dealer_action(
                            "dealer_loyalty.res_partner_action_dealer_customers",
                            _("Won Back This Month"),
                            [("id", "in", won_back)],
                        ),
                    },
                ],
                "trend": {
                    "title": _("Service retention, last 13 months"),
                    "unit": "%",
                    "bars": [
                        {
                            "label": format_date(self.env, month["month"], date_format="LLL"),
                            "value": month["rate"],
                            "title": _(
                                "%(month)s: %(rate)s %% (%(back)s of %(base)s)",
                                month=format_date(self.env, month["month"], date_format="LLLL y"),
                                rate=month["rate"] if month["rate"] is not None else "–",
                                back=month["back"],
                                base=month["base"],
                            ),
                        }
                        for month in retention
                    ],
                },
            },
            {
                "key": "service_desk",
                "title": _("Service Desk"),
                "tiles": [
                    {
                        "label": _("Calls due today"),
                        "value": calls_due,
                        "tone": "" if calls_due else "muted",
                        "hint": _("Retention calls on the call lists for today or overdue."),
                        "action": self._dealer_action(
                            "dealer_loyalty.dealer_loyalty_reminder_action_calls",
                            _("Calls Due"),
                            calls_domain,
                        ),
                    },
                    {
                        "label": _("Contacted this month"),
                        "value": contacted,
                        "hint": _("%(count)s of them came back already.", count=came_back),
                        "action": self._dealer_action(
                            "dealer_loyalty.dealer_program_effectiveness_report_action",
                            _("Contacted This Month"),
                            contacted_domain,
                        ),
                    },
                    {
                        "label": _("Due in 30 days"),
                        "value": due_30,
                        "hint": _("Vehicles whose next service falls within 30 days."),
                        "action": self._dealer_action(
                            "dealer_loyalty.fleet_vehicle_action_dealer",
                            _("Service Due in 30 Days"),
                            self._dealer_due_domain(today, 30),
                        ),
                    },
                    {
                        "label": _("Due in 90 days"),
                        "value": due_90,
                        "hint": _("Vehicles whose next service falls within 90 days."),
                        "action": self._dealer_action(
                            "dealer_loyalty.fleet_vehicle_action_dealer",
                            _("Service Due in 90 Days"),
                            self._dealer_due_domain(today, 90),
                        ),
                    },
                ],
            },
        ]

    def _dealer_action(self, xmlid, name, domain=None):
        """The window action ``xmlid`` named ``name``, narrowed to ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["display_name"] = name
        if domain:
            action["domain"] = domain
        return {
            key: action[key]
            for key in ("type", "res_model", "views", "domain", "context", "display_name")
            if key in action
        }

    @api.model
    def _dealer_due_domain(self, today, days):
        return [
            ("dealer_owner_id", "!=", False),
            ("dealer_next_service_date", ">=", today),
            ("dealer_next_service_date", "<=", today + timedelta(days=days)),
        ]

    def _dealer_service_retention(self, companies, today):
        """For each of the last 13 months: customers served 13–24 months before it, and how
        many of them came back in the 12 months before it.

        Each customer's service visits are read once, as a bit per month
        (37 months fit a bigint); every month's figure is then bit arithmetic.
        """
        this_month = today.replace(day=1)
        first_end = this_month - relativedelta(months=RETENTION_MONTHS - 2)  # end = start of the next month
        start = first_end - relativedelta(months=24)
        span = RETENTION_MONTHS - 1 + 24
        self.env["dealer.visit"].flush_model(["partner_id", "date", "state", "department", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH served AS (
                    SELECT partner_id,
                           bit_or(1::bigint << ((extract(year FROM age(date_trunc('month', date), %(start)s)) * 12
                                                + extract(month FROM age(date_trunc('month', date), %(start)s)))::int)) AS months
                      FROM dealer_visit
                     WHERE state = 'done' AND department = 'service' AND company_id IN %(companies)s
                       AND date >= %(start)s AND date < %(end)s
                     GROUP BY partner_id
                )
                SELECT k,
                       count(*) FILTER (WHERE months & (((1::bigint << 12) - 1) << k) <> 0),
                       count(*) FILTER (WHERE months & (((1::bigint << 12) - 1) << k) <> 0
                                          AND months & (((1::bigint << 12) - 1) << (k + 12)) <> 0)
                  FROM served, generate_series(0, %(last)s) AS k
                 GROUP BY k ORDER BY k
                """,
                start=start,
                end=this_month + relativedelta(months=1),
                companies=tuple(companies.ids),
                last=span - 24,
            )
        )
        figures = {k: (base, back) for k, base, back in self.env.cr.fetchall()}
        months = []
        for k in range(span - 24 + 1):
            base, back = figures.get(k, (0, 0))
            months.append(
                {
                    "month": start + relativedelta(months=k + 23),
                    "base": base,
                    "back": back,
                    "rate": round(100.0 * back / base, 1) if base else None,
                }
            )
        return months

    def _dealer_lost_and_won_back(self, companies, today):
        """Customers whose last visit crossed the lost-customer limit this month, and lost
        customers who came back this month: two lists of partner ids.

        Lost: a visit between the limit before the month's first day and the
        limit before today, and none since. Won back: a visit this month, the
        one before it older than the limit before the month's first day. Both
        start from a month of visits (the date index), not from every customer.
        """
        month_start = today.replace(day=1)
        lost, won_back = [], []
        self.env["dealer.visit"].flush_model(["partner_id", "date", "state", "company_id"])
        for company in companies:
            limit = relativedelta(months=company.dealer_lost_after_months)
            rows = self.env.execute_query(
                SQL(
                    """
                    WITH visits AS NOT MATERIALIZED (
                        SELECT partner_id, date FROM dealer_visit
                         WHERE state = 'done' AND company_id = %(company)s AND partner_id IS NOT NULL
                    )
                    SELECT DISTINCT partner_id, FALSE FROM visits crossed
                     WHERE crossed.date BETWEEN %(lost_from)s AND %(lost_to)s
                       AND NOT EXISTS (SELECT 1 FROM visits later
                                        WHERE later.partner_id = crossed.partner_id
                                          AND later.date > %(lost_to)s AND later.date <= %(today)s)
                     UNION
                    SELECT DISTINCT partner_id, TRUE FROM visits back
                     WHERE back.date BETWEEN %(month_start)s AND %(today)s
                       AND EXISTS (SELECT 1 FROM visits earlier
                                    WHERE earlier.partner_id = back.partner_id AND earlier.date < %(lost_from)s)
                       AND NOT EXISTS (SELECT 1 FROM visits earlier
                                        WHERE earlier.partner_id = back.partner_id
                                          AND earlier.date >= %(lost_from)s AND earlier.date < %(month_start)s)
                    """,
                    company=company.id,
                    month_start=month_start,
                    today=today,
                    lost_from=month_start - limit,
                    lost_to=today - limit,
                )
            )
            for partner_id, came_back in rows:
                (won_back if came_back else lost).append(partner_id)
        return lost, won_back

    def _dealer_vehicles_due(self, companies, today):
        self.env["fleet.vehicle"].flush_model(
            ["dealer_next_service_date", "dealer_owner_id", "company_id", "active"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT count(*) FILTER (WHERE dealer_next_service_date <= %(in_30)s),
                       count(*)
                  FROM fleet_vehicle
                 WHERE active AND dealer_owner_id IS NOT NULL AND company_id IN %(companies)s
                   AND dealer_next_service_date BETWEEN %(today)s AND %(in_90)s
                """,
                today=today,
                in_30=today + timedelta(days=30),
                in_90=today + timedelta(days=90),
                companies=tuple(companies.ids),
            )
        )
        return self.env.cr.fetchone()

    def _dealer_first_service_conversion(self, companies, today):
        """Vehicles handed over 6–24 months ago, and those which came for a service since."""
        self.env.cr.execute(
            SQL(
                """
                SELECT v.id, EXISTS (
                           SELECT 1 FROM dealer_visit visit
                            WHERE visit.vehicle_id = v.id AND visit.state = 'done' AND visit.is_maintenance
                              AND visit.date >= v.dealer_handover_date)
                  FROM fleet_vehicle v
                 WHERE v.active AND v.company_id IN %(companies)s
                   AND v.dealer_handover_date BETWEEN %(date_from)s AND %(date_to)s
                """,
                companies=tuple(companies.ids),
                date_from=today - relativedelta(months=24),
                date_to=today - relativedelta(months=6),
            )
        )
        rows = self.env.cr.fetchall()
        served = sum(1 for _vehicle, came in rows if came)
        return {
            "sold": len(rows),
            "served": served,
            "rate": round(100.0 * served / len(rows), 1) if rows else None,
            "vehicle_ids": [vehicle_id for vehicle_id, _came in rows],
        }
