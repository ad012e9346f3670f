# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.holidays import holiday_date

# Vehicle types whose due date is a date column of the vehicle (plus the program's delay).
VEHICLE_DATE_COLUMNS = {
    "pre_welcome": "dealer_order_date",
    "welcome": "dealer_handover_date",
    "service": "dealer_next_service_date",
    "first_service": "dealer_first_service_due",
    "warranty": "dealer_warranty_end",
    "extended_warranty": "dealer_warranty_end",
    "inspection": "dealer_inspection_due",
    "insurance": "dealer_insurance_due",
}
# Types that follow an event (the delay counts after it) rather than announce one.
AFTER_EVENT_TYPES = {"pre_welcome", "welcome", "thank_you", "declined_work"}


class DealerLoyaltyProgramAudience(models.AbstractModel):
    """Who a retention program reaches, and on which due date: one SQL rule per program type.

    Inherited by ``dealer.loyalty.program``, whose planning inserts these rows
    (``_dealer_new_reminders_query`` in ``dealer.loyalty.program.generation``)
    and whose fields the rules read.
    """

    _name = "dealer.loyalty.program.audience"
    _description = "Retention Program Audience"

    def _dealer_candidates_query(self, date_from, date_to):
        """SQL of ``(partner_id, vehicle_id, visit_id, due_date)`` rows for the program's type.

        The one due-date rule per type. Another addon adds a type with
        ``selection_add`` and a ``_dealer_candidates_<type>`` method.
        """
        self.ensure_one()
        method = getattr(self, f"_dealer_candidates_{self.program_type}", None)
        if method:
            return method(date_from, date_to)
        if self.program_type in VEHICLE_DATE_COLUMNS:
            return self._dealer_vehicle_date_candidates(
                SQL.identifier("v", VEHICLE_DATE_COLUMNS[self.program_type]), date_from, date_to
            )
        raise UserError(_("Program type %(type)s has no due-date rule.", type=self.program_type))

    def _dealer_vehicle_scope(self):
        """SQL condition on vehicles ``v`` the program may remind about."""
        vehicles = self.env["fleet.vehicle"]._search(self._dealer_eval_domain("vehicle_domain"))
        return SQL(
            "v.active AND v.dealer_owner_id IS NOT NULL AND (v.company_id IS NULL OR v.company_id = %s)"
            " AND v.id IN %s",
            self.company_id.id,
            vehicles.subselect(),
        )

    def _dealer_vehicle_date_candidates(self, date_column, date_from, date_to, extra=None):
        delay = (
            self.delay_days if self.program_type in AFTER_EVENT_TYPES or self.program_type == "custom" else 0
        )
        return SQL(
            """
            SELECT v.dealer_owner_id AS partner_id, v.id AS vehicle_id, NULL::integer AS visit_id,
                   (%(column)s + %(delay)s)::date AS due_date
              FROM fleet_vehicle v
             WHERE %(column)s BETWEEN %(date_from)s AND %(date_to)s
               AND %(scope)s %(extra)s
            """,
            column=date_column,
            delay=delay,
            date_from=date_from - timedelta(days=delay),
            date_to=date_to - timedelta(days=delay),
            scope=self._dealer_vehicle_scope(),
            extra=SQL("AND %s", extra) if extra else SQL(),
        )

    def _dealer_candidates_pre_welcome(self, date_from, date_to):
        # Before the car is handed over: a vehicle already delivered gets the welcome instead.
        return self._dealer_vehicle_date_candidates(
            SQL("v.dealer_order_date"),
            date_from,
            date_to,
            SQL(
                "(v.dealer_handover_date IS NULL OR v.dealer_handover_date > %s)",
                date_from + timedelta(days=self.catch_up_days),  # today
            ),
        )

    def _dealer_candidates_service(self, date_from, date_to):
        # A first service has its own program; this one reminds of the regular ones.
        return self._dealer_vehicle_date_candidates(
            SQL("v.dealer_next_service_date"),
            date_from,
            date_to,
            SQL("v.dealer_next_service_rule NOT IN ('first_time', 'first_mileage')"),
        )

    def _dealer_candidates_extended_warranty(self, date_from, date_to):
        return self._dealer_vehicle_date_candidates(
            SQL("v.dealer_warranty_end"), date_from, date_to, SQL("v.dealer_extended_warranty_end IS NULL")
        )

    def _dealer_visit_candidates(self, date_from, date_to, extra=None):
        return SQL(
            """
            SELECT DISTINCT ON (visit.partner_id, visit.vehicle_id, visit.date)
                   visit.partner_id, visit.vehicle_id, visit.id AS visit_id,
                   (visit.date + %(delay)s)::date AS due_date
              FROM dealer_visit visit
             WHERE visit.state = 'done' AND visit.company_id = %(company)s
               AND visit.date BETWEEN %(date_from)s AND %(date_to)s
               %(department)s %(extra)s
          ORDER BY visit.partner_id, visit.vehicle_id, visit.date, visit.id
            """,
            delay=self.delay_days,
            company=self.company_id.id,
            date_from=date_from - timedelta(days=self.delay_days),
            date_to=date_to - timedelta(days=self.delay_days),
            department=SQL("AND visit.department = %s", self.department) if self.department else SQL(),
            extra=SQL("AND %s", extra) if extra else SQL(),
        )

    def _dealer_candidates_thank_you(self, date_from, date_to):
        return self._dealer_visit_candidates(date_from, date_to)

    def _dealer_candidates_declined_work(self, date_from, date_to):
        return self._dealer_visit_candidates(
            date_from,
            date_to,
            SQL(
                "EXISTS (SELECT 1 FROM dealer_visit_line line WHERE line.visit_id = visit.id AND line.declined)"
            ),
        )

    def _dealer_customer_scope(self):
        """SQL condition on customers ``p`` of the dealership (prospects included)."""
        return SQL("p.dealer_segment IS NOT NULL AND p.active")

    def _dealer_anniversary_candidates(self, month_sql, day_sql, date_from, date_to, source=None):
        """Customers with a yearly date (``month_sql``/``day_sql``) falling in the window.

        29 February falls on 28 February in other years.
        """
        return SQL(
            """
            SELECT p.id AS partner_id, NULL::integer AS vehicle_id, NULL::integer AS visit_id, d.due_date
              FROM res_partner p
              CROSS JOIN generate_series(%(year_from)s, %(year_to)s) AS y(year)
              CROSS JOIN LATERAL (
                   SELECT make_date(y.year, %(month)s, LEAST(%(day)s, EXTRACT(DAY FROM
                          make_date(y.year, %(month)s, 1) + interval '1 month - 1 day')::int)) AS due_date
              ) d
             WHERE %(scope)s %(source)s
            """,
            year_from=date_from.year,
            year_to=date_to.year,
            month=month_sql,
            day=day_sql,
            scope=self._dealer_customer_scope(),
            source=SQL("AND %s", source) if source else SQL(),
        )

    def _dealer_candidates_birthday(self, date_from, date_to):
        return self._dealer_anniversary_candidates(
            SQL("EXTRACT(MONTH FROM p.dealer_birthday)::int"),
            SQL("EXTRACT(DAY FROM p.dealer_birthday)::int"),
            date_from,
            date_to,
            SQL("p.dealer_birthday IS NOT NULL"),
        )

    def _dealer_candidates_holiday(self, date_from, date_to):
        if self.holiday_rule in (False, "fixed"):
            return self._dealer_anniversary_candidates(
                self.holiday_month, self.holiday_day, date_from, date_to
            )
        days = [holiday_date(self.holiday_rule, year) for year in range(date_from.year, date_to.year + 1)]
        return SQL(
            """
            SELECT p.id AS partner_id, NULL::integer AS vehicle_id, NULL::integer AS visit_id, d.due_date
              FROM res_partner p
              CROSS JOIN unnest(%(days)s::date[]) AS d(due_date)
             WHERE %(scope)s
            """,
            days=days,
            scope=self._dealer_customer_scope(),
        )

    def _dealer_candidates_newsletter(self, date_from, date_to):
        return SQL(
            """
            SELECT p.id AS partner_id, NULL::integer AS vehicle_id, NULL::integer AS visit_id,
                   %(send_date)s::date AS due_date
              FROM res_partner p
             WHERE %(scope)s
            """,
            send_date=self.send_date,
            scope=self._dealer_customer_scope(),
        )

    def _dealer_candidates_win_back(self, date_from, date_to):
        # Due the day the customer becomes lost: their last visit plus the company's threshold.
        months = self.company_id.dealer_lost_after_months
        return SQL(
            """
            SELECT last.partner_id, NULL::integer AS vehicle_id, NULL::integer AS visit_id,
                   (last.last_date + make_interval(months => %(months)s))::date AS due_date
              FROM (SELECT partner_id, max(date) AS last_date
                      FROM dealer_visit
                     WHERE state = 'done' AND company_id = %(company)s
                  GROUP BY partner_id) last
             WHERE last.last_date BETWEEN %(date_from)s AND %(date_to)s
            """,
            months=months,
            company=self.company_id.id,
            date_from=date_from - relativedelta(months=months),
            date_to=date_to - relativedelta(months=months),
        )

    def _dealer_candidates_custom(self, date_from, date_to):
        field = self.custom_date_field_id
        model = self.env[field.model]
        if field.name not in model._fields or not model._fields[field.name].store:
            raise UserError(_("Field %(field)s cannot be used as a due date.", field=field.display_name))
        if field.model == "fleet.vehicle":
            column = SQL("(%s)::date", SQL.identifier("v", field.name))
            return self._dealer_vehicle_date_candidates(column, date_from, date_to)
        column = SQL("(%s)::date", SQL.identifier("p", field.name))
        return SQL(
            """
            SELECT p.id AS partner_id, NULL::integer AS vehicle_id, NULL::integer AS visit_id,
                   (%(column)s + %(delay)s)::date AS due_date
              FROM res_partner p
             WHERE %(scope)s AND %(column)s BETWEEN %(date_from)s AND %(date_to)s
            """,
            column=column,
            delay=self.delay_days,
            scope=self._dealer_customer_scope(),
            date_from=date_from - timedelta(days=self.delay_days),
            date_to=date_to - timedelta(days=self.delay_days),
        )

    def _dealer_candidates_working_list(self, date_from, date_to):
        # A working list's customers are chosen by hand from an analysis, not by a date rule.
        return SQL(
            "SELECT NULL::integer AS partner_id, NULL::integer AS vehicle_id, NULL::integer AS visit_id,"
            " NULL::date AS due_date WHERE FALSE"
        )
