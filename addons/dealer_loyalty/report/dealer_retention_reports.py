# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Retention analyses: reporting models over the visit data, computed in SQL."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.models import parse_read_group_spec
from odoo.tools import SQL, drop_view_if_exists

from ..models.dealer_visit import DEPARTMENTS
from ..models.dealer_visit_line import PAYER_TYPES

ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]
# The columns the analyses read, flushed before each query (``_depends``).
VISIT_FIELDS = ["partner_id", "user_id", "company_id", "state", "date", "department", "amount_total"]
VISIT_LINE_FIELDS = [
    "partner_id",
    "visit_id",
    "amount",
    "state",
    "declined",
    "date",
    "company_id",
    "department",
    "payer_type",
]


class DealerWorkingListMixin(models.AbstractModel):
    """Turns the customers of selected analysis rows into a call list or a program audience."""

    _name = "dealer.working.list.mixin"
    _description = "Analysis Rows to Working List"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")

    def _dealer_list_partners(self):
        return self.mapped("partner_id")

    def action_dealer_create_call_list(self):
        partners = self._dealer_list_partners()
        if not partners:
            raise UserError(_("Select the customers to call first."))
        program = self.env["dealer.loyalty.program"]._dealer_create_working_list(
            partners, _("Call list: %(what)s", what=self._description), channel="phone"
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "sticky": True,
                "message": program._dealer_left_out_summary(),
                "next": program._dealer_open_reminders([], {"search_default_to_do": 1}),
            },
        }

    def action_dealer_create_audience(self):
        partners = self._dealer_list_partners()
        if not partners:
            raise UserError(_("Select the customers of the audience first."))
        program = self.env["dealer.loyalty.program"].create(
            {
                "name": _("Audience: %(what)s", what=self._description),
                "program_type": "newsletter",
                "send_date": fields.Date.context_today(self) + timedelta(days=7),
                "active": False,
                "partner_domain": str([("id", "in", partners.ids)]),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "dealer.loyalty.program",
            "res_id": program.id,
            "view_mode": "form",
            "target": "current",
        }


class DealerAbcReport(models.Model):
    """Customers ranked by revenue in a period, in classes by cumulative share.

    The period, department and payer type come from the context (the
    analysis wizard sets them); by default the last 12 months, everything.
    """

    _name = "dealer.abc.report"
    _depends = {
        "dealer.visit": VISIT_FIELDS,
        "dealer.visit.line": VISIT_LINE_FIELDS,
    }
    _inherit = ["dealer.working.list.mixin"]
    _description = "ABC Analysis"
    _auto = False
    _order = "revenue desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    abc_class = fields.Selection(ABC_CLASSES, string="Class", readonly=True)
    revenue = fields.Monetary(readonly=True)
    share = fields.Float(string="Share (%)", readonly=True, digits=(16, 2))
    cumulative_share = fields.Float(
        string="Cumulative Share (%)", readonly=True, digits=(16, 2), aggregator="max"
    )
    customer_count = fields.Integer(string="Customers", readonly=True)
    visit_count = fields.Integer(string="Visits", readonly=True)
    rank = fields.Integer(readonly=True, aggregator="min")

    @api.model
    def _dealer_period(self):
        context = self.env.context
        date_to = fields.Date.to_date(context.get("dealer_date_to")) or fields.Date.context_today(self)
        date_from = fields.Date.to_date(context.get("dealer_date_from")) or (
            date_to - relativedelta(months=12) + timedelta(days=1)
        )
        return date_from, date_to

    @property
    def _table_query(self):
        date_from, date_to = self._dealer_period()
        company = self.env.company
        department = self.env.context.get("dealer_department")
        payer_type = self.env.context.get("dealer_payer_type")
        if payer_type:
            revenue = SQL(
                """
                SELECT visits.partner_id, sum(visits.revenue) AS revenue, count(*) AS visit_count
                  FROM (SELECT line.visit_id, line.partner_id, sum(line.amount) AS revenue
                          FROM dealer_visit_line line
                         WHERE line.company_id = %(company)s AND line.state = 'done'
                           AND line.declined IS NOT TRUE AND line.payer_type = %(payer)s
                           AND line.date BETWEEN %(date_from)s AND %(date_to)s %(department)s
                      GROUP BY line.visit_id, line.partner_id) visits
              GROUP BY visits.partner_id
                HAVING sum(visits.revenue) > 0
                """,
                company=company.id,
                payer=payer_type,
                date_from=date_from,
                date_to=date_to,
                department=SQL("AND line.department = %s", department) if department else SQL(),
            )
        else:
            # Without a payer filter the visits' own totals (declined work
            # excluded) answer, on a quarter of the rows the lines would need.
            revenue = SQL(
                """
                SELECT visit.partner_id, sum(visit.amount_total) AS revenue,
                       count(*) FILTER (WHERE visit.amount_total <> 0) AS visit_count
                  FROM dealer_visit visit
                 WHERE visit.company_id = %(company)s AND visit.state = 'done'
                   AND visit.date BETWEEN %(date_from)s AND %(date_to)s %(department)s
              GROUP BY visit.partner_id
                HAVING sum(visit.amount_total) > 0
                """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                department=SQL("AND visit.department = %s", department) if department else SQL(),
            )
        # A customer belongs to the class in which their revenue starts: the
        # one whose revenue crosses the class A threshold is still class A.
        return SQL(
            """
            WITH revenue AS (%(revenue)s
            ), ranked AS (
                SELECT partner_id, revenue, visit_count,
                       row_number() OVER (ORDER BY revenue DESC, partner_id) AS rank,
                       sum(revenue) OVER (ORDER BY revenue DESC, partner_id ROWS UNBOUNDED PRECEDING) AS cumulative,
                       sum(revenue) OVER () AS total
                  FROM revenue
            )
            SELECT partner_id AS id, partner_id, %(company)s AS company_id, revenue, visit_count, rank,
                   1 AS customer_count,
                   round(revenue / total * 100, 4) AS share,
                   round(cumulative / total * 100, 4) AS cumulative_share,
                   CASE WHEN (cumulative - revenue) < total * %(class_a)s / 100 THEN 'A'
                        WHEN (cumulative - revenue) < total * %(class_b)s / 100 THEN 'B'
                        ELSE 'C' END AS abc_class
              FROM ranked
            """,
            company=company.id,
            revenue=revenue,
            class_a=company.dealer_abc_class_a,
            class_b=company.dealer_abc_class_b,
        )


class DealerAbcAnalysisWizard(models.TransientModel):
    _name = "dealer.abc.analysis.wizard"
    _description = "ABC Analysis Period"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=12) + timedelta(days=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    department = fields.Selection(DEPARTMENTS, help="Leave empty for every department.")
    payer_type = fields.Selection(PAYER_TYPES, help="Leave empty for every payer.")

    def action_open(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(_("The period ends before it starts."))
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_loyalty.dealer_abc_report_action")
        action["context"] = {
            "dealer_date_from": fields.Date.to_string(self.date_from),
            "dealer_date_to": fields.Date.to_string(self.date_to),
            "dealer_department": self.department,
            "dealer_payer_type": self.payer_type,
        }
        action["display_name"] = _(
            "ABC Analysis %(date_from)s – %(date_to)s", date_from=self.date_from, date_to=self.date_to
        )
        return action


class DealerLostCustomerReport(models.Model):
    """Customers slipping away (no visit for the warning period) or lost, and one-time buyers."""

    _name = "dealer.lost.customer.report"
    _depends = {
        "dealer.visit": VISIT_FIELDS,
        "fleet.vehicle": ["dealer_owner_id", "active"],
    }
    _inherit = ["dealer.working.list.mixin"]
    _description = "Lost Customers"
    _auto = False
    _order = "last_visit_date, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    stage = fields.Selection(
        [("slipping", "Slipping away"), ("lost", "Lost"), ("bought_only", "Never came back after buying")],
        readonly=True,
    )
    last_visit_date = fields.Date(readonly=True)
    months_since = fields.Integer(string="Months Since Last Visit", readonly=True, aggregator="avg")
    visit_count = fields.Integer(string="Visits", readonly=True)
    vehicle_count = fields.Integer(string="Vehicles", readonly=True)
    lifetime_revenue = fields.Monetary(readonly=True)

    @property
    def _table_query(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        return SQL(
            """
            WITH stats AS (
                SELECT visit.partner_id, max(visit.date) AS last_date, count(*) AS visit_count,
                       sum(visit.amount_total) AS revenue,
                       bool_and(visit.department = 'sales') AS bought_only
                  FROM dealer_visit visit
                 WHERE visit.company_id = %(company)s AND visit.state = 'done'
              GROUP BY visit.partner_id
            )
            SELECT stats.partner_id AS id, stats.partner_id, %(company)s AS company_id,
                   stats.last_date AS last_visit_date, stats.visit_count, stats.revenue AS lifetime_revenue,
                   (EXTRACT(YEAR FROM age(%(today)s, stats.last_date)) * 12
                    + EXTRACT(MONTH FROM age(%(today)s, stats.last_date)))::int AS months_since,
                   CASE WHEN stats.last_date <= %(lost_before)s THEN 'lost'
                        WHEN stats.last_date <= %(slipping_before)s THEN 'slipping'
                        ELSE 'bought_only' END AS stage,
                   (SELECT count(*) FROM fleet_vehicle v
                     WHERE v.dealer_owner_id = stats.partner_id AND v.active) AS vehicle_count
              FROM stats
             WHERE stats.last_date <= %(slipping_before)s OR stats.bought_only
            """,
            company=company.id,
            today=today,
            lost_before=today - relativedelta(months=company.dealer_lost_after_months),
            slipping_before=today - relativedelta(months=company.dealer_slipping_after_months),
        )


class DealerVehicleDueReport(models.Model):
    """Vehicles by predicted service date and by how much they drive."""

    _name = "dealer.vehicle.due.report"
    _inherit = ["dealer.working.list.mixin"]
    _depends = {
        "fleet.vehicle": [
            "dealer_owner_id",
            "company_id",
            "model_id",
            "active",
            "dealer_next_service_date",
            "dealer_next_service_km",
            "dealer_last_service_date",
            "dealer_daily_mileage",
        ]
    }
    _description = "Vehicles Due for Service"
    _auto = False
    _order = "next_service_date, vehicle_id"
    _rec_name = "vehicle_id"

    vehicle_id = fields.Many2one("fleet.vehicle", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Owner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    model_id = fields.Many2one("fleet.vehicle.model", readonly=True)
    next_service_date = fields.Date(string="Next Service", readonly=True)
    next_service_km = fields.Integer(string="Next Service At (km)", readonly=True, aggregator=False)
    last_service_date = fields.Date(string="Last Service", readonly=True)
    daily_mileage = fields.Float(string="km a Day", readonly=True, aggregator="avg", digits=(16, 1))
    yearly_mileage = fields.Integer(string="km a Year", readonly=True, aggregator="avg")
    mileage_band = fields.Selection(
        [
            ("unknown", "Unknown"),
            ("low", "Under 10,000 km a year"),
            ("medium", "10,000–25,000 km a year"),
            ("high", "Over 25,000 km a year"),
        ],
        readonly=True,
    )
    rule = fields.Selection(related="vehicle_id.dealer_next_service_rule", string="Decided By")

    def init(self):
        # Dropped first: CREATE OR REPLACE VIEW cannot change or remove a column on upgrade.
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT v.id, v.id AS vehicle_id, v.dealer_owner_id AS partner_id, v.company_id, v.model_id,
                           v.dealer_next_service_date AS next_service_date,
                           v.dealer_next_service_km AS next_service_km,
                           v.dealer_last_service_date AS last_service_date,
                           v.dealer_daily_mileage AS daily_mileage,
                           round(v.dealer_daily_mileage * 365)::int AS yearly_mileage,
                           CASE WHEN COALESCE(v.dealer_daily_mileage, 0) = 0 THEN 'unknown'
                                WHEN v.dealer_daily_mileage * 365 < 10000 THEN 'low'
                                WHEN v.dealer_daily_mileage * 365 <= 25000 THEN 'medium'
                                ELSE 'high' END AS mileage_band
                      FROM fleet_vehicle v
                     WHERE v.active AND v.dealer_next_service_date IS NOT NULL
                )
                """,
                view=SQL.identifier(self._table),
            )
        )


class DealerCustomerFlowReport(models.Model):
    """Per month: customers won (first visit), returning, and lost (threshold passed that month)."""

    _name = "dealer.customer.flow.report"
    _depends = {"dealer.visit": VISIT_FIELDS}
    _description = "Customer Inflow and Outflow"
    _auto = False
    _order = "month desc"

    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    flow = fields.Selection([("new", "New"), ("returning", "Returning"), ("lost", "Lost")], readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    net_change = fields.Integer(readonly=True, help="New customers count +1, lost ones −1, returning 0.")
    flow_count = fields.Integer(
        string="Inflow (+) / Outflow (−)",
        readonly=True,
        help="New and returning customers count +1, lost ones −1.",
    )

    @property
    def _table_query(self):
        company = self.env.company
        return SQL(
            """
            WITH months AS (
                SELECT DISTINCT visit.partner_id, date_trunc('month', visit.date)::date AS month
                  FROM dealer_visit visit
                 WHERE visit.company_id = %(company)s AND visit.state = 'done'
            ), firsts AS (
                SELECT partner_id, min(month) AS first_month, max(month) AS last_month
                  FROM months GROUP BY partner_id
            ), flows AS (
                SELECT m.partner_id, m.month,
                       CASE WHEN m.month = f.first_month THEN 'new' ELSE 'returning' END AS flow
                  FROM months m JOIN firsts f ON f.partner_id = m.partner_id
                UNION ALL
                SELECT partner_id, (last_month + make_interval(months => %(lost_months)s))::date, 'lost'
                  FROM firsts
                 WHERE last_month + make_interval(months => %(lost_months)s) <= %(this_month)s
            )
            SELECT row_number() OVER (ORDER BY month, flow, partner_id) AS id, %(company)s AS company_id,
                   partner_id, month, flow, 1 AS customer_count,
                   CASE flow WHEN 'new' THEN 1 WHEN 'lost' THEN -1 ELSE 0 END AS net_change,
                   CASE flow WHEN 'lost' THEN -1 ELSE 1 END AS flow_count
              FROM flows
            """,
            company=company.id,
            lost_months=company.dealer_lost_after_months,
            this_month=fields.Date.context_today(self).replace(day=1),
        )


class DealerMarketingCost(models.Model):
    """What a lead source cost in a month: the other half of its efficiency."""

    _name = "dealer.marketing.cost"
    _description = "Marketing Cost per Source and Month"
    _order = "month desc, source_id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    source_id = fields.Many2one("utm.source", string="Source", required=True)
    month = fields.Date(required=True, help="Any day of the month; stored as its first day.")
    amount = fields.Monetary(required=True)
    note = fields.Char()

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "A marketing cost cannot be negative."),
        (
            "source_month_unique",
            "UNIQUE(company_id, source_id, month)",
            "This source already has a cost for that month.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("month"):
            vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        return super().write(vals)


class DealerSourceReport(models.Model):
    """Per source and month: customers won, their revenue, and what the source cost."""

    _name = "dealer.source.report"
    _depends = {
        "dealer.visit": VISIT_FIELDS,
        "dealer.visit.line": VISIT_LINE_FIELDS,
        "res.partner": ["dealer_source_id"],
        "dealer.marketing.cost": ["company_id", "source_id", "month", "amount"],
    }
    _description = "Lead Source Efficiency"
    _auto = False
    _order = "month desc, source_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    month = fields.Date(readonly=True)
    new_customers = fields.Integer(readonly=True)
    revenue = fields.Monetary(readonly=True, help="Revenue that month of the customers the source brought.")
    cost = fields.Monetary(readonly=True)
    cost_per_customer = fields.Monetary(readonly=True, aggregator="avg")
    return_on_spend = fields.Float(
        string="Revenue per Cost Unit", readonly=True, aggregator="avg", digits=(16, 2)
    )
    cost_note = fields.Char(
        string="Note", compute="_compute_cost_note", help="Cost spent on a source that won no customer."
    )

    # A group's ratio is the ratio of its sums, never the average of monthly ratios.
    _RATIOS = {"cost_per_customer": ("cost", "new_customers"), "return_on_spend": ("revenue", "cost")}

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if fname in self._RATIOS and func == "avg":
            numerator, denominator = self._RATIOS[fname]
            return SQL(
                "SUM(%s) / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    @api.depends("cost", "new_customers")
    def _compute_cost_note(self):
        for row in self:
            row.cost_note = _("No customer won") if row.cost and not row.new_customers else False

    def init(self):
        # Dropped first: CREATE OR REPLACE VIEW cannot change or remove a column on upgrade.
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    WITH firsts AS (
                        SELECT visit.company_id, visit.partner_id,
                               date_trunc('month', min(visit.date))::date AS month
                          FROM dealer_visit visit
                         WHERE visit.state = 'done'
                      GROUP BY visit.company_id, visit.partner_id
                    ), won AS (
                        SELECT f.company_id, p.dealer_source_id AS source_id, f.month, count(*) AS customers
                          FROM firsts f JOIN res_partner p ON p.id = f.partner_id
                         WHERE p.dealer_source_id IS NOT NULL
                      GROUP BY f.company_id, p.dealer_source_id, f.month
                    ), revenue AS (
                        SELECT line.company_id, p.dealer_source_id AS source_id,
                               date_trunc('month', line.date)::date AS month, sum(line.amount) AS revenue
                          FROM dealer_visit_line line JOIN res_partner p ON p.id = line.partner_id
                         WHERE line.state = 'done' AND line.declined IS NOT TRUE AND p.dealer_source_id IS NOT NULL
                      GROUP BY line.company_id, p.dealer_source_id, date_trunc('month', line.date)
                    ), keys AS (
                        SELECT company_id, source_id, month FROM won
                        UNION SELECT company_id, source_id, month FROM revenue
                        UNION SELECT company_id, source_id, month FROM dealer_marketing_cost
                    )
                    SELECT row_number() OVER (ORDER BY k.company_id, k.source_id, k.month) AS id,
                           k.company_id, k.source_id, k.month,
                           COALESCE(won.customers, 0) AS new_customers,
                           COALESCE(revenue.revenue, 0) AS revenue,
                           COALESCE(cost.amount, 0) AS cost,
                           CASE WHEN won.customers > 0 THEN cost.amount / won.customers END AS cost_per_customer,
                           CASE WHEN cost.amount > 0 THEN COALESCE(revenue.revenue, 0) / cost.amount END
                               AS return_on_spend
                      FROM keys k
                 LEFT JOIN won USING (company_id, source_id, month)
                 LEFT JOIN revenue USING (company_id, source_id, month)
                 LEFT JOIN dealer_marketing_cost cost USING (company_id, source_id, month)
                )
                """,
                view=SQL.identifier(self._table),
            )
        )


class DealerAdvisorRetentionReport(models.Model):
    """Per advisor and customer: the first service visit with the advisor, and whether the
    customer came back to the same advisor within 12 months."""

    _name = "dealer.advisor.retention.report"
    _depends = {"dealer.visit": VISIT_FIELDS}
    _description = "Advisor Retention"
    _auto = False
    _order = "visit_date desc"

    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Advisor", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    visit_id = fields.Many2one("dealer.visit", string="First Visit", readonly=True)
    visit_date = fields.Date(string="First Served", readonly=True)
    visit_count = fields.Integer(string="Customers Served", readonly=True)
    came_back = fields.Boolean(string="Came Back to the Advisor", readonly=True)
    retention_rate = fields.Float(
        string="Came Back (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the customers who came back to the same advisor within 12 months of being first served.",
    )
    window_complete = fields.Boolean(
        readonly=True, help="Twelve months have passed since the visit, so the figure is final."
    )

    def init(self):
        # Dropped first: CREATE OR REPLACE VIEW cannot change or remove a column on upgrade.
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    WITH firsts AS (
                        SELECT DISTINCT ON (visit.company_id, visit.user_id, visit.partner_id)
                               visit.id, visit.company_id, visit.user_id, visit.partner_id, visit.date
                          FROM dealer_visit visit
                         WHERE visit.state = 'done' AND visit.user_id IS NOT NULL AND visit.department = 'service'
                      ORDER BY visit.company_id, visit.user_id, visit.partner_id, visit.date, visit.id
                    )
                    SELECT first.id, first.id AS visit_id, first.company_id, first.user_id, first.partner_id,
                           first.date AS visit_date, 1 AS visit_count, back.came_back,
                           CASE WHEN back.came_back THEN 100.0 ELSE 0.0 END AS retention_rate,
                           first.date + interval '12 months' <= current_date AS window_complete
                      FROM firsts first
                CROSS JOIN LATERAL (
                           SELECT EXISTS (
                                  SELECT 1 FROM dealer_visit later
                                   WHERE later.partner_id = first.partner_id AND later.user_id = first.user_id
                                     AND later.company_id = first.company_id AND later.state = 'done'
                                     AND later.department = 'service' AND later.date > first.date
                                     AND later.date <= first.date + interval '12 months') AS came_back
                      ) back
                )
                """,
                view=SQL.identifier(self._table),
            )
        )


class DealerProgramEffectivenessReport(models.Model):
    """Per reminder: did the customer visit within the attribution window, and for how much.

    Contacted reminders (sent, or handed over to a mailing house) against
    the program's control group: a random share of its customers held out
    on purpose. Skipped customers are no control group: they lack consent or
    an address, so they differ from the contacted ones.

    A reminder booked from its link counts a booking, and a visit that
    followed when the vehicle came in within the attribution window from the
    booked day.
    """

    _name = "dealer.program.effectiveness.report"
    _depends = {
        "dealer.visit": VISIT_FIELDS,
        "dealer.loyalty.reminder": [
            "program_id",
            "company_id",
            "partner_id",
            "state",
            "sent_date",
            "scheduled_date",
            "reason_code",
        ],
        "dealer.service.booking": ["reminder_id", "vehicle_id", "booking_date", "state"],
        "res.company": ["dealer_attribution_days"],
    }
    _description = "Program Effectiveness"
    _auto = False
    _order = "contact_date desc"

    program_id = fields.Many2one("dealer.loyalty.program", readonly=True)
    reminder_id = fields.Many2one("dealer.loyalty.reminder", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    channel = fields.Selection(related="reminder_id.channel")
    group = fields.Selection(
        [("contacted", "Contacted"), ("control", "Control group (held out)")], readonly=True
    )
    contact_date = fields.Date(readonly=True)
    reminder_count = fields.Integer(string="Reminders", readonly=True)
    visited = fields.Boolean(string="Visited After", readonly=True)
    visit_rate = fields.Float(string="Visited (%)", readonly=True, aggregator="avg", digits=(16, 1))
    revenue = fields.Monetary(string="Revenue After", readonly=True)
    booking_date = fields.Date(string="Booked For", readonly=True)
    booking_count = fields.Integer(string="Bookings", readonly=True, help="Booked from the reminder's link.")
    booked_visit_count = fields.Integer(
        string="Visits After Booking",
        readonly=True,
        help="Bookings whose vehicle came in within the attribution window from the booked day.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT r.id, r.id AS reminder_id, r.program_id, r.company_id, r.partner_id,
                   CASE WHEN r.state = 'held_out' THEN 'control' ELSE 'contacted' END AS "group",
                   COALESCE(r.sent_date, r.scheduled_date) AS contact_date, 1 AS reminder_count,
                   after.visit_count > 0 AS visited,
                   CASE WHEN after.visit_count > 0 THEN 100.0 ELSE 0.0 END AS visit_rate,
                   after.revenue,
                   booking.booking_date,
                   CASE WHEN booking.booking_date IS NOT NULL THEN 1 ELSE 0 END AS booking_count,
                   CASE WHEN booking.visited THEN 1 ELSE 0 END AS booked_visit_count
              FROM dealer_loyalty_reminder r
              JOIN res_company company ON company.id = r.company_id
        CROSS JOIN LATERAL (
                   SELECT count(*) AS visit_count, COALESCE(sum(visit.amount_total), 0) AS revenue
                     FROM dealer_visit visit
                    WHERE visit.partner_id = r.partner_id AND visit.state = 'done'
                      AND visit.company_id = r.company_id
                      AND visit.date > COALESCE(r.sent_date, r.scheduled_date)
                      AND visit.date <= COALESCE(r.sent_date, r.scheduled_date) + company.dealer_attribution_days
              ) after
         LEFT JOIN LATERAL (
                   SELECT b.booking_date,
                          EXISTS (
                              SELECT 1 FROM dealer_visit visit
                               WHERE visit.vehicle_id = b.vehicle_id AND visit.state = 'done'
                                 AND visit.date >= b.booking_date
                                 AND visit.date <= b.booking_date + company.dealer_attribution_days
                          ) AS visited
                     FROM dealer_service_booking b
                    WHERE b.reminder_id = r.id AND b.state != 'cancelled'
                    LIMIT 1
              ) booking ON TRUE
             WHERE r.state IN ('done', 'exported', 'held_out')
            """
        )
