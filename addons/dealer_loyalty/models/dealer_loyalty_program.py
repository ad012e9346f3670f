# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date
from odoo.tools.safe_eval import safe_eval

from ..tools.holidays import HOLIDAY_RULES
from .dealer_loyalty_program_audience import AFTER_EVENT_TYPES, VEHICLE_DATE_COLUMNS
from .dealer_visit import DEPARTMENTS
from .res_partner import CHANNELS

_logger = logging.getLogger(__name__)

PROGRAM_TYPES = [
    ("pre_welcome", "Pre-welcome (order signed)"),
    ("welcome", "Welcome (handover)"),
    ("service", "Service reminder"),
    ("first_service", "First service reminder"),
    ("warranty", "Warranty expiry"),
    ("extended_warranty", "Extended warranty offer"),
    ("inspection", "Annual inspection"),
    ("insurance", "Insurance renewal"),
    ("thank_you", "Thank you after a visit"),
    ("birthday", "Birthday"),
    ("holiday", "Holiday greeting"),
    ("newsletter", "Newsletter"),
    ("win_back", "Lost customer win-back"),
    ("declined_work", "Declined work follow-up"),
    ("custom", "Custom"),
    ("working_list", "Working list (from an analysis)"),
]
# Types that sell or greet rather than serve: they need marketing consent.
MARKETING_TYPES = {
    "working_list",
    "extended_warranty",
    "birthday",
    "holiday",
    "newsletter",
    "win_back",
    "custom",
}
# Relationship and transactional messages: never skipped for contact
# pressure, only held back a few days (Settings), then sent.
RELATIONSHIP_TYPES = {"pre_welcome", "welcome", "thank_you", "birthday", "holiday", "declined_work"}
# Reminders of a vehicle program whose due dates are closer than this are
# about the same occurrence (one service, one renewal): a moved date re-dates
# the open reminder, and a sent one is not sent again.
OCCURRENCE_DAYS = 180
# When the customer's own channel cannot be used for lack of an address,
# the reminder tries the others in this order.
CHANNEL_FALLBACK_ORDER = ["email", "sms", "letter", "phone"]
# A generation run creating this many reminders refreshes the table's planner statistics.
ANALYZE_AFTER_ROWS = 5000


class DealerLoyaltyProgram(models.Model):
    _name = "dealer.loyalty.program"
    _description = "Retention Program"
    _inherit = ["mail.thread", "mail.render.mixin", "dealer.loyalty.program.audience"]
    _order = "sequence, id"
    # As mail.template: the letters and call scripts render for every staff
    # member who prints or calls, because writing code into them is checked
    # instead (the mixin's create/write): only Mail Template Editors may,
    # which the retention managers are (security/dealer_loyalty_security.xml).
    _unrestricted_rendering = True
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(
        string="Priority",
        default=10,
        help="When two programs want the same customer at once, the one higher in the list goes first.",
    )
    color = fields.Integer()
    program_type = fields.Selection(PROGRAM_TYPES, string="Type", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
        help="Gets the program's calls and letters to print.",
    )
    lead_days = fields.Integer(
        string="Lead Time (days)",
        default=lambda self: self.env.company.dealer_reminder_lead_days,
        tracking=True,
        help="The customer is contacted this many days before the due date.",
    )
    holdout_percent = fields.Integer(
        string="Control Group (%)",
        default=0,
        tracking=True,
        help="A random share of the program's customers gets nothing: Program Effectiveness compares their "
        "visits with those of the customers contacted. 5-10 % is usual.",
    )
    uplift = fields.Float(
        string="Uplift (points)",
        compute="_compute_uplift",
        digits=(16, 1),
        help="Visit rate of the contacted customers minus that of the control group, within the attribution "
        "window.",
    )
    delay_days = fields.Integer(
        string="Delay (days)",
        default=0,
        help="For programs that follow an event (order, handover, visit): days after the event.",
    )
    catch_up_days = fields.Integer(
        string="Catch Up (days)",
        default=7,
        help="Due dates that passed at most this many days ago still get a reminder, e.g. after a "
        "late DMS import.",
    )
    is_marketing = fields.Boolean(
        string="Marketing",
        compute="_compute_is_marketing",
        store=True,
        readonly=False,
        precompute=True,
        help="Marketing programs contact only customers with consent for the channel (see Settings).",
    )
    channel_policy = fields.Selection(
        [("preferred", "Customer's preferred channel"), ("fixed", "Always the same channel")],
        required=True,
        default="preferred",
    )
    channel = fields.Selection(
        CHANNELS,
        required=True,
        default="email",
        help="The channel of the program, or for customers without a preferred channel.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=[("model", "=", "dealer.loyalty.reminder")],
    )
    sms_template_id = fields.Many2one(
        "sms.template", string="SMS Template", domain=[("model", "=", "dealer.loyalty.reminder")]
    )
    letter_body = fields.Html(
        string="Letter",
        render_engine="qweb",
        render_options={"post_process": True},
        sanitize=False,
        translate=True,
        help="Printed under the customer's address block.",
    )
    call_script = fields.Html(render_engine="qweb", sanitize=False, translate=True)
    department = fields.Selection(
        DEPARTMENTS, help="Thank-you and declined-work programs: only visits of this department."
    )
    holiday_rule = fields.Selection(
        HOLIDAY_RULES,
        string="Greeting Day Rule",
        default="fixed",
        help="A fixed day, or a movable feast computed for every year (Easter, the lunar Chinese New Year "
        "and Mid-Autumn Festival, the last Sunday of October).",
    )
    holiday_month = fields.Integer(string="Month")
    holiday_day = fields.Integer(string="Day")
    send_date = fields.Date(string="Send On", help="Newsletter: the day the customers are contacted.")
    custom_date_field_id = fields.Many2one(
        "ir.model.fields",
        string="Date Field",
        ondelete="cascade",
        domain=[
            ("model", "in", ["fleet.vehicle", "res.partner"]),
            ("ttype", "in", ["date", "datetime"]),
            ("store", "=", True),
        ],
        help="Custom programs: the customer's or vehicle's date the reminder is due on.",
    )
    partner_domain = fields.Char(string="Customers", default="[]", help="Only these customers.")
    vehicle_domain = fields.Char(string="Vehicles", default="[]", help="Only these vehicles.")
    reminder_ids = fields.One2many("dealer.loyalty.reminder", "program_id", string="Reminders")
    reminder_due_this_month = fields.Integer(compute="_compute_reminder_counts", string="Due This Month")
    reminder_due_next_month = fields.Integer(compute="_compute_reminder_counts", string="Due Next Month")
    reminder_to_do_count = fields.Integer(compute="_compute_reminder_counts", string="Waiting for Staff")
    reminder_skipped_count = fields.Integer(compute="_compute_reminder_counts", string="Skipped (30 days)")
    letter_to_print_count = fields.Integer(compute="_compute_reminder_counts", string="Letters to Print")
    next_contact_date = fields.Date(
        compute="_compute_reminder_counts",
        string="Next Contact",
        help="The next day the program contacts a customer: its planned reminders, and the due dates "
        "it will plan over the next two months.",
    )
    sent_this_month = fields.Integer(compute="_compute_results", string="Contacted This Month")
    came_back_this_month = fields.Integer(
        compute="_compute_results",
        help="Customers contacted this month who visited within the attribution window.",
    )
    trend_html = fields.Html(compute="_compute_results", string="Last Six Months", sanitize=False)

    _sql_constraints = [
        (
            "days_positive",
            "CHECK(lead_days >= 0 AND delay_days >= 0 AND catch_up_days >= 0 "
            "AND holdout_percent BETWEEN 0 AND 50)",
            "Lead time, delay and catch-up days cannot be negative; a control group is at most half the customers.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("program_type")
    def _compute_uplift(self):
        rates = defaultdict(dict)
        for program, group, rate in self.env["dealer.program.effectiveness.report"]._read_group(
            [("program_id", "in", self.ids)], ["program_id", "group"], ["visit_rate:avg"]
        ):
            rates[program.id][group] = rate or 0.0
        for program in self:
            figures = rates.get(program.id, {})
            program.uplift = (
                figures["contacted"] - figures["control"]
                if {"contacted", "control"} <= figures.keys()
                else 0.0
            )

    def _compute_is_marketing(self):
        for program in self:
            program.is_marketing = program.program_type in MARKETING_TYPES

    def _compute_render_model(self):
        self.render_model = "dealer.loyalty.reminder"

    def _compute_reminder_counts(self):
        """Due this month and next: the reminders already planned or sent, and those the
        program will plan for the due dates still ahead, counted from its candidates."""
        today = fields.Date.context_today(self)
        this_month = today.replace(day=1)
        next_month = this_month + relativedelta(months=1)
        after_next = next_month + relativedelta(months=1)
        Reminder = self.env["dealer.loyalty.reminder"]
        base = [("program_id", "in", self.ids)]

        def count(domain):
            return dict(Reminder._read_group(base + domain, ["program_id"], ["__count"]))

        live = [("state", "in", ("planned", "to_do", "done", "exported"))]
        this = count(live + [("due_date", ">=", this_month), ("due_date", "<", next_month)])
        following = count(live + [("due_date", ">=", next_month), ("due_date", "<", after_next)])
        to_do = count([("state", "=", "to_do")])
        letters = count([("state", "=", "to_do"), ("channel", "=", "letter")])
        skipped = count(
            [("state", "in", ("skipped", "failed")), ("write_date", ">=", today - timedelta(days=30))]
        )
        next_planned = dict(
            Reminder._read_group(base + [("state", "=", "planned")], ["program_id"], ["scheduled_date:min"])
        )
        self.env.flush_all()
        for program in self:
            ahead = {this_month: 0, next_month: 0}
            next_contact = next_planned.get(program)
            if program.id and program.program_type:
                date_from = max(this_month, today - timedelta(days=program.catch_up_days))
                self.env.cr.execute(
                    SQL(
                        """SELECT date_trunc('month', r.due_date)::date, count(*), min(r.scheduled_date)
                             FROM (%s) r GROUP BY 1""",
                        program._dealer_new_reminders_query(today, date_from, after_next - timedelta(days=1)),
                    )
                )
                for month, number, first_contact in self.env.cr.fetchall():
                    ahead[month] = number
                    next_contact = min(filter(None, (next_contact, first_contact)))
            program.reminder_due_this_month = this.get(program, 0) + ahead[this_month]
            program.reminder_due_next_month = following.get(program, 0) + ahead[next_month]
            program.reminder_to_do_count = to_do.get(program, 0)
            program.letter_to_print_count = letters.get(program, 0)
            program.reminder_skipped_count = skipped.get(program, 0)
            program.next_contact_date = next_contact and max(next_contact, today) if program.active else False

    def _compute_results(self):
        """Contacted customers and those who came back, this month and as a six-month trend."""
        today = fields.Date.context_today(self)
        this_month = today.replace(day=1)
        months = [this_month - relativedelta(months=back) for back in range(5, -1, -1)]
        domain = [
            ("program_id", "in", self.ids),
            ("group", "=", "contacted"),
            ("contact_date", ">=", months[0]),
        ]
        Effectiveness = self.env["dealer.program.effectiveness.report"]
        sent, came_back = defaultdict(int), defaultdict(int)
        for figures, extra in ((sent, []), (came_back, [("visited", "=", True)])):
            for program, month, number in Effectiveness._read_group(
                domain + extra, ["program_id", "contact_date:month"], ["__count"]
            ):
                figures[program.id, month.date() if hasattr(month, "date") else month] = number
        for program in self:
            program.sent_this_month = sent[program.id, this_month]
            program.came_back_this_month = came_back[program.id, this_month]
            program.trend_html = self.env["ir.qweb"]._render(
                "dealer_loyalty.program_trend",
                {
                    "bars": [
                        {
                            "label": format_date(self.env, month, date_format="LLL"),
                            "title": _(
                                "%(month)s: %(sent)s contacted, %(came_back)s came back",
                                month=format_date(self.env, month, date_format="LLLL y"),
                                sent=sent[program.id, month],
                                came_back=came_back[program.id, month],
                            ),
                            "sent": sent[program.id, month],
                            "came_back": came_back[program.id, month],
                        }
                        for month in months
                    ],
                    "highest": max([sent[program.id, month] for month in months] + [1]),
                },
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(
        "program_type", "holiday_rule", "holiday_month", "holiday_day", "send_date", "custom_date_field_id"
    )
    def _check_type_settings(self):
        for program in self:
            if program.program_type == "holiday" and program.holiday_rule in (False, "fixed"):
                try:
                    # 2024 is a leap year, so 29 February is a valid greeting day.
                    fields.Date.to_date(f"2024-{program.holiday_month:02d}-{program.holiday_day:02d}")
                except ValueError:
                    raise ValidationError(
                        _(
                            "Program %(program)s: the holiday needs a valid month and day.",
                            program=program.name,
                        )
                    ) from None
            if program.program_type == "newsletter" and not program.send_date:
                raise ValidationError(_("Newsletter %(program)s needs a send date.", program=program.name))
            if program.program_type == "custom" and not program.custom_date_field_id:
                raise ValidationError(
                    _("Custom program %(program)s needs a date field.", program=program.name)
                )

    @api.constrains("partner_domain", "vehicle_domain")
    def _check_domains(self):
        for program in self:
            for model_name, fname in (("res.partner", "partner_domain"), ("fleet.vehicle", "vehicle_domain")):
                try:
                    self.env[model_name]._search(program._dealer_eval_domain(fname))
                except Exception as error:
                    raise ValidationError(
                        _(
                            "The filter on %(what)s of program %(program)s is not valid: %(error)s",
                            what=self._fields[fname].string,
                            program=program.name,
                            error=error,
                        )
                    ) from error

    def _dealer_eval_domain(self, fname):
        return safe_eval(self[fname] or "[]", {"context_today": lambda: fields.Date.context_today(self)})

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _dealer_check_sending_rights(self):
        if not self.env.su and not self.env.user.has_group("dealer_loyalty.dealer_loyalty_group_manager"):
            raise AccessError(_("Only retention managers plan reminders or send them to customers."))

    def action_run_now(self):
        """Generate this program's reminders now and process the ones already due."""
        self._dealer_check_sending_rights()
        created = self._dealer_generate_reminders()
        processed = self.env["dealer.loyalty.reminder"]._dealer_process_due(programs=self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "%(created)s reminders planned, %(processed)s processed.",
                    created=created,
                    processed=processed,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _dealer_open_reminders(self, domain, context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_loyalty.dealer_loyalty_reminder_action"
        )
        action["domain"] = [("program_id", "=", self.id)] + domain
        action["context"] = dict(context or {}, default_program_id=self.id)
        action["display_name"] = self.name
        return action

    def action_open_due_this_month(self):
        today = fields.Date.context_today(self)
        start = today.replace(day=1)
        return self._dealer_open_reminders(
            [("due_date", ">=", start), ("due_date", "<", start + relativedelta(months=1))],
            {"search_default_live": 1},
        )

    def action_open_due_next_month(self):
        start = fields.Date.context_today(self).replace(day=1) + relativedelta(months=1)
        return self._dealer_open_reminders(
            [("due_date", ">=", start), ("due_date", "<", start + relativedelta(months=1))],
            {"search_default_live": 1},
        )

    def action_open_to_do(self):
        return self._dealer_open_reminders([("state", "=", "to_do")])

    def action_open_skipped(self):
        return self._dealer_open_reminders(
            [], {"search_default_not_sent": 1, "search_default_group_reason": 1}
        )

    def action_open_reminders(self):
        return self._dealer_open_reminders([])

    def action_print_letters(self):
        """One PDF with every letter waiting to be printed; they count as sent once printed."""
        self.ensure_one()
        self._dealer_check_sending_rights()
        letters = self.reminder_ids.filtered(
            lambda reminder: reminder.state == "to_do" and reminder.channel == "letter"
        )
        if not letters:
            raise UserError(_("Program %(program)s has no letters to print.", program=self.name))
        letters._dealer_mark_sent()
        report = self.env.ref("dealer_loyalty.action_report_dealer_reminder_letter")
        return report.report_action(letters, config=False)

    # ------------------------------------------------------------
    # REMINDER GENERATION
    # ------------------------------------------------------------

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
        """Re-date or cancel the planned reminders whose vehicle moved on.

        A moved date within the same occurrence (a new odometer reading
        moves the service prediction, an inspection date is corrected)
        re-dates the open reminder; a date gone or far away, or a sold
        vehicle, cancels it and the generation plans the right one.
        """
        self.ensure_one()
        column = VEHICLE_DATE_COLUMNS.get(self.program_type)
        if not column:
            return
        delay = self.delay_days if self.program_type in AFTER_EVENT_TYPES else 0
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id,
                       CASE WHEN NOT v.active OR v.dealer_owner_id IS DISTINCT FROM r.partner_id THEN 'owner'
                            WHEN %(column)s IS NULL OR abs(%(column)s + %(delay)s - r.due_date) >= %(days)s
                              OR EXISTS (SELECT 1 FROM dealer_loyalty_reminder other
                                          WHERE other.program_id = r.program_id
                                            AND other.partner_id = r.partner_id
                                            AND other.vehicle_id = r.vehicle_id
                                            AND other.due_date = %(column)s + %(delay)s)
                            THEN 'date' ELSE 'moved' END,
                       %(column)s + %(delay)s
                  FROM dealer_loyalty_reminder r
                  JOIN fleet_vehicle v ON v.id = r.vehicle_id
                 WHERE r.program_id = %(program)s AND r.state = 'planned'
                   AND (NOT v.active OR v.dealer_owner_id IS DISTINCT FROM r.partner_id
                        OR (%(column)s + %(delay)s) IS DISTINCT FROM r.due_date)
                """,
                program=self.id,
                column=SQL.identifier("v", column),
                delay=delay,
                days=OCCURRENCE_DAYS,
            )
        )
        outdated, moved = {}, defaultdict(list)
        for reminder_id, cause, new_due in self.env.cr.fetchall():
            if cause == "moved":
                moved[new_due].append(reminder_id)
            else:
                outdated.setdefault(cause, []).append(reminder_id)
        Reminder = self.env["dealer.loyalty.reminder"]
        for new_due, reminder_ids in moved.items():
            Reminder.browse(reminder_ids)._dealer_set_outcome(
                "planned",
                "moved",
                _("The due date moved to %(date)s.", date=format_date(self.env, new_due)),
                due_date=new_due,
                scheduled_date=max(new_due - timedelta(days=self.lead_days), today),
            )
        messages = {
            "owner": _("The vehicle changed owner or was archived."),
            "date": _("The due date changed since the reminder was planned."),
        }
        for cause, reminder_ids in outdated.items():
            Reminder.browse(reminder_ids)._dealer_set_outcome("cancelled", "outdated", messages[cause])
        # The generation's INSERT reads the table: it must see these cancellations.
        Reminder.flush_model()
