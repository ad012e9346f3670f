# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .dealer_loyalty_program_audience import AFTER_EVENT_TYPES, VEHICLE_DATE_COLUMNS

_logger = logging.getLogger(__name__)

# Reminders of a vehicle program whose due dates are closer than this are
# about the same occurrence (one service, one renewal): a moved date re-dates
# the open reminder, and a sent one is not sent again.
OCCURRENCE_DAYS = 180
# A generation run creating this many reminders refreshes the table's planner statistics.
ANALYZE_AFTER_ROWS = 5000


class DealerLoyaltyProgramGeneration(models.AbstractModel):
    """How a retention program plans its reminders: the hourly run, the planning, the working lists.

    Inherited by ``dealer.loyalty.program``, whose fields and audience
    (``dealer.loyalty.program.audience``) the planning reads; the program's
    overview counts the reminders ahead with ``_dealer_new_reminders_query``.
    Planned reminders whose vehicle moved on are re-dated or cancelled here.
    """

    _name = "dealer.loyalty.program.generation"
    _description = "Retention Program Planning"

    @api.model
    def _cron_dealer_run_programs(self):
        """Hourly: per company, on its own day and clock, plan the programs' reminders, then
        expire and process them; e-mails and SMS leave only within its sending hours."""
        companies = self.env["res.company"].search([("id", "in", self.search([]).company_id.ids)])
        Cron = self.env["ir.cron"]
        Reminder = self.env["dealer.loyalty.reminder"]
        for done, company in enumerate(companies):
            local_now = company._dealer_local_now()
            today = local_now.date()
            programs = self.search([("company_id", "=", company.id)])
            for program in programs:
                try:
                    with self.env.cr.savepoint():
                        program._dealer_generate_reminders(today=today)
                except psycopg2.errors.SerializationFailure:
                    # Another run planned the same reminders at the same moment;
                    # the unique index kept them single, and that run has them.
                    _logger.info("Retention program %s is being planned by another run", program.id)
                except Exception:
                    _logger.exception(
                        "Retention program %s (%s) could not plan its reminders", program.name, program.id
                    )
            Reminder._dealer_expire_calls(today=today, companies=company)
            Reminder._dealer_process_due(
                programs=programs,
                today=today,
                send_messages=company._dealer_within_sending_hours(local_now),
            )
            Cron._notify_progress(done=done + 1, remaining=len(companies) - done - 1)

    def _dealer_generate_reminders(self, today=None):
        """Plan the reminders whose due date falls in each program's window.

        One ``INSERT … SELECT`` per program. A unique index on program,
        customer, vehicle and due date makes a re-run, or two runs at once,
        create nothing twice. A customer with a planned reminder of the
        program does not get a second one. Returns the number created.
        """
        today = today or fields.Date.context_today(self)
        Reminder = self.env["dealer.loyalty.reminder"]
        self.env.flush_all()
        created = 0
        for program in self:
            program._dealer_cancel_outdated(today)
            # One day further than the lead time: tomorrow's calls go on today's call list.
            new_reminders = program._dealer_new_reminders_query(
                today,
                today - timedelta(days=program.catch_up_days),
                today + timedelta(days=program.lead_days + 1),
            )
            query = SQL(
                """
                INSERT INTO dealer_loyalty_reminder
                       (program_id, program_type, company_id, partner_id, vehicle_id, visit_id, due_date,
                        scheduled_date, channel, state, user_id, attempt_count,
                        create_uid, write_uid, create_date, write_date)
                SELECT %(program)s, %(type)s, %(company)s, r.partner_id, r.vehicle_id, r.visit_id, r.due_date,
                       r.scheduled_date, r.channel, 'planned', %(user)s, 0,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM (%(new_reminders)s) r
                ON CONFLICT DO NOTHING
                """,
                program=program.id,
                type=program.program_type,
                company=program.company_id.id,
                user=program.user_id.id,
                uid=self.env.uid,
                new_reminders=new_reminders,
            )
            self.env.cr.execute(query)
            created += self.env.cr.rowcount
        if created >= ANALYZE_AFTER_ROWS:
            # Fresh statistics keep the next run's duplicate checks on an index;
            # the planner would otherwise still see the table as it was
            # before this batch until autovacuum comes by (seen here: 8 s
            # instead of 1 s for a re-run right after a first big run).
            self.env.cr.execute("ANALYZE dealer_loyalty_reminder")
        Reminder.invalidate_model()
        return created

    def _dealer_new_reminders_query(self, today, date_from, date_to):
        """SQL of the reminders the program would plan on ``today`` for the due dates between
        the dates: ``(partner_id, vehicle_id, visit_id, due_date, scheduled_date, channel)``.

        Its customers only, not those with a planned reminder of the program,
        nor occurrences the program already handled. The planning inserts
        these rows; the overview counts them ahead.
        """
        self.ensure_one()
        partners = (
            self.env["res.partner"]
            .with_context(active_test=True)
            ._search(self._dealer_eval_domain("partner_domain"))
        )
        channel = SQL("%s", self.channel)
        if self.channel_policy == "preferred":
            channel = SQL("COALESCE(p.dealer_preferred_channel, %s)", self.channel)
        return SQL(
            """
            SELECT c.partner_id, c.vehicle_id, c.visit_id, c.due_date,
                   GREATEST(c.due_date - %(lead)s, %(today)s) AS scheduled_date, %(channel)s AS channel
              FROM (%(candidates)s) c
              JOIN res_partner p ON p.id = c.partner_id
             WHERE c.due_date BETWEEN %(date_from)s AND %(date_to)s
               AND (p.company_id IS NULL OR p.company_id = %(company)s)
               AND p.id IN %(partners)s
               AND NOT EXISTS (
                    SELECT 1 FROM dealer_loyalty_reminder open
                     WHERE open.program_id = %(program)s AND open.partner_id = c.partner_id
                       AND open.vehicle_id IS NOT DISTINCT FROM c.vehicle_id
                       AND open.state = 'planned')
               AND %(new_occurrence)s
            """,
            candidates=self._dealer_candidates_query(date_from, date_to),
            new_occurrence=self._dealer_new_occurrence_condition(),
            program=self.id,
            company=self.company_id.id,
            lead=self.lead_days,
            today=today,
            channel=channel,
            date_from=date_from,
            date_to=date_to,
            partners=partners.subselect(),
        )

    @api.model
    def _dealer_create_working_list(self, partners, name, channel="phone"):
        """A program holding one reminder per customer, due today, processed at once.

        Calls land on the current user's call list; consent (a working list
        sells: it needs marketing consent for its channel), blacklists and
        contact pressure apply as for any program.
        """
        today = fields.Date.context_today(self)
        # Staff build their own call lists from the analyses, while programs and
        # reminders are otherwise made by managers and the scheduled action.
        program = self.sudo().create(
            {
                "name": name,
                "program_type": "working_list",
                "channel_policy": "fixed",
                "channel": channel,
                "lead_days": 0,
                "user_id": self.env.user.id,
            }
        )
        self.env["dealer.loyalty.reminder"].sudo().create(
            [
                {
                    "program_id": program.id,
                    "program_type": "working_list",
                    "company_id": program.company_id.id,
                    "partner_id": partner.id,
                    "due_date": today,
                    "scheduled_date": today,
                    "channel": channel,
                    "user_id": self.env.user.id,
                }
                for partner in partners
            ]
        )
        self.env["dealer.loyalty.reminder"].sudo()._dealer_process_due(programs=program, today=today)
        return program.sudo(False)

    def _dealer_left_out_summary(self):
        """How many of the program's customers are on its list, and why the others are not."""
        self.ensure_one()
        reminders = self.sudo().reminder_ids
        left_out = reminders.filtered(lambda reminder: reminder.state in ("skipped", "failed", "cancelled"))
        labels = dict(reminders._fields["reason_code"]._description_selection(self.env))
        reasons = ", ".join(
            f"{len(group)} {labels.get(code, '')}" for code, group in left_out.grouped("reason_code").items()
        )
        # Formatted before the call: the terms extractor reads _()'s arguments as literals.
        reasons = f" ({reasons})" if reasons else ""
        return _(
            "%(listed)s on the list, %(left)s left out%(reasons)s.",
            listed=len(reminders) - len(left_out),
            left=len(left_out),
            reasons=reasons,
        )

    def _dealer_new_occurrence_condition(self):
        """SQL condition on candidates ``c``: not an occurrence the program already handled.

        A vehicle's service, warranty end, inspection or renewal is one
        occurrence while its date moves by less than ``OCCURRENCE_DAYS``:
        once reminded (or skipped, or failed), a moved prediction sends
        nothing more. A maintenance visit after the reminder ends a service
        cycle, so the next service is a new occurrence however close.
        """
        self.ensure_one()
        if self.program_type not in VEHICLE_DATE_COLUMNS:
            return SQL("TRUE")
        service_cycle = SQL("TRUE")
        if self.program_type in ("service", "first_service"):
            service_cycle = SQL(
                """NOT EXISTS (
                        SELECT 1 FROM dealer_visit mv
                         WHERE mv.vehicle_id = prior.vehicle_id AND mv.state = 'done' AND mv.is_maintenance
                           AND mv.date > COALESCE(prior.sent_date, prior.scheduled_date))"""
            )
        return SQL(
            """NOT EXISTS (
                    SELECT 1 FROM dealer_loyalty_reminder prior
                     WHERE prior.program_id = %(program)s AND prior.partner_id = c.partner_id
                       AND prior.vehicle_id = c.vehicle_id AND prior.state != 'cancelled'
                       AND abs(prior.due_date - c.due_date) < %(days)s
                       AND %(service_cycle)s)""",
            program=self.id,
            days=OCCURRENCE_DAYS,
            service_cycle=service_cycle,
        )

    def _dealer_cancel_outdated(self, today):
        """Cancel the reminders not yet out that are no longer true; re-date the moved ones.

        A reminder not yet sent (planned, or waiting for staff: a call on the
        list, a letter to print) is cancelled once its customer is archived or
        its vehicle changed owner or was archived. A moved date within the
        same occurrence (a new odometer reading moves the service prediction,
        an inspection date is corrected) re-dates the planned reminder; a date
        gone or far away cancels it and the generation plans the right one.
        Other programs cancel the planned reminders their rule no longer gives.
        """
        self.ensure_one()
        Reminder = self.env["dealer.loyalty.reminder"]
        column = VEHICLE_DATE_COLUMNS.get(self.program_type)
        # A vehicle program writes to the vehicle's owner; a visit's customer may be its driver.
        sold = (
            SQL("NOT v.active OR v.dealer_owner_id IS DISTINCT FROM r.partner_id") if column else SQL("FALSE")
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id, CASE WHEN NOT p.active THEN 'customer' ELSE 'owner' END
                  FROM dealer_loyalty_reminder r
                  JOIN res_partner p ON p.id = r.partner_id
             LEFT JOIN fleet_vehicle v ON v.id = r.vehicle_id
                 WHERE r.program_id = %(program)s AND r.state IN ('planned', 'to_do')
                   AND (NOT p.active OR (r.vehicle_id IS NOT NULL AND (%(sold)s)))
                """,
                program=self.id,
                sold=sold,
            )
        )
        outdated = defaultdict(list)
        for reminder_id, cause in self.env.cr.fetchall():
            outdated[cause].append(reminder_id)
        if column:
            delay = self.delay_days if self.program_type in AFTER_EVENT_TYPES else 0
            self.env.cr.execute(
                SQL(
                    """
                    SELECT r.id,
                           CASE WHEN %(column)s IS NULL OR abs(%(column)s + %(delay)s - r.due_date) >= %(days)s
                                  OR EXISTS (SELECT 1 FROM dealer_loyalty_reminder other
                                              WHERE other.program_id = r.program_id
                                                AND other.partner_id = r.partner_id
                                                AND other.vehicle_id = r.vehicle_id
                                                AND other.due_date = %(column)s + %(delay)s)
                                THEN 'date' ELSE 'moved' END,
                           %(column)s + %(delay)s
                      FROM dealer_loyalty_reminder r
                      JOIN res_partner p ON p.id = r.partner_id
                      JOIN fleet_vehicle v ON v.id = r.vehicle_id
                     WHERE r.program_id = %(program)s AND r.state = 'planned'
                       AND p.active AND v.active AND v.dealer_owner_id = r.partner_id
                       AND (%(column)s + %(delay)s) IS DISTINCT FROM r.due_date
                    """,
                    program=self.id,
                    column=SQL.identifier("v", column),
                    delay=delay,
                    days=OCCURRENCE_DAYS,
                )
            )
            moved = defaultdict(list)
            for reminder_id, cause, new_due in self.env.cr.fetchall():
                (moved[new_due] if cause == "moved" else outdated[cause]).append(reminder_id)
            for new_due, reminder_ids in moved.items():
                Reminder.browse(reminder_ids)._dealer_set_outcome(
                    "planned",
                    "moved",
                    _("The due date moved to %(date)s.", date=format_date(self.env, new_due)),
                    due_date=new_due,
                    scheduled_date=max(new_due - timedelta(days=self.lead_days), today),
                )
        elif self.program_type != "working_list":  # a working list's customers are chosen by hand
            outdated["date"] += self._dealer_no_longer_due()
        messages = {
            "customer": _("The customer was archived."),
            "owner": _("The vehicle changed owner or was archived."),
            "date": _("The due date changed since the reminder was planned."),
        }
        for cause, reminder_ids in outdated.items():
            Reminder.browse(reminder_ids)._dealer_set_outcome("cancelled", "outdated", messages[cause])
        # The generation's INSERT reads the table: it must see these cancellations.
        Reminder.flush_model()

    def _dealer_no_longer_due(self):
        """The planned reminders whose due date the program's rule no longer gives: the lost
        customer came back, the visit thanked for was cancelled, a birthday was corrected.

        The rule is asked for each due date on its own: a window spanning several
        would change what rules over a period (the first points to expire) give.
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT due_date FROM dealer_loyalty_reminder WHERE program_id = %s AND state = 'planned'",
                self.id,
            )
        )
        gone = []
        for (due_date,) in self.env.cr.fetchall():
            self.env.cr.execute(
                SQL(
                    """
                    SELECT r.id FROM dealer_loyalty_reminder r
                      JOIN res_partner p ON p.id = r.partner_id
                     WHERE r.program_id = %(program)s AND r.state = 'planned' AND r.due_date = %(due_date)s
                       AND p.active
                       AND NOT EXISTS (
                            SELECT 1 FROM (%(candidates)s) c
                             WHERE c.partner_id = r.partner_id AND c.due_date = r.due_date
                               AND c.vehicle_id IS NOT DISTINCT FROM r.vehicle_id)
                    """,
                    program=self.id,
                    due_date=due_date,
                    candidates=self._dealer_candidates_query(due_date, due_date),
                )
            )
            gone += [reminder_id for (reminder_id,) in self.env.cr.fetchall()]
        return gone
