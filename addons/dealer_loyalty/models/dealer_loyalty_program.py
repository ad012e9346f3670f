# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date
from odoo.tools.safe_eval import safe_eval

from ..tools.holidays import HOLIDAY_RULES
from .dealer_visit import DEPARTMENTS
from .res_partner import CHANNELS

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
# When the customer's own channel cannot be used for lack of an address,
# the reminder tries the others in this order.
CHANNEL_FALLBACK_ORDER = ["email", "sms", "letter", "phone"]


class DealerLoyaltyProgram(models.Model):
    _name = "dealer.loyalty.program"
    _description = "Retention Program"
    _inherit = [
        "mail.thread",
        "mail.render.mixin",
        "dealer.loyalty.program.audience",
        "dealer.loyalty.program.generation",
    ]
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
            # Ten years at most: beyond, the dates computed from them leave the calendar.
            "days_positive",
            "CHECK(lead_days BETWEEN 0 AND 3660 AND delay_days BETWEEN 0 AND 3660 "
            "AND catch_up_days BETWEEN 0 AND 3660 AND holdout_percent BETWEEN 0 AND 50)",
            "Lead time, delay and catch-up days go from 0 to 3660 (ten years); a control group is at most "
            "half the customers.",
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
            # The field's domain offers only these; the API takes any field.
            date_field = program.custom_date_field_id.filtered_domain(
                self._fields["custom_date_field_id"].domain
            )
            if program.program_type == "custom" and not date_field:
                raise ValidationError(
                    _(
                        "Custom program %(program)s needs a date field of the customer or the vehicle.",
                        program=program.name,
                    )
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
        """Generate this program's reminders now and process the ones already due, as the hourly
        run does: on the dealership's day and clock, e-mails and SMS within its sending hours."""
        self._dealer_check_sending_rights()
        created = processed = 0
        quiet = False
        for company, programs in self.grouped("company_id").items():
            local_now = company._dealer_local_now()
            send_messages = company._dealer_within_sending_hours(local_now)
            quiet = quiet or not send_messages
            created += programs._dealer_generate_reminders(today=local_now.date())
            processed += self.env["dealer.loyalty.reminder"]._dealer_process_due(
                programs=programs, today=local_now.date(), send_messages=send_messages
            )
        message = _(
            "%(created)s reminders planned, %(processed)s processed.", created=created, processed=processed
        )
        if quiet:
            message = " ".join(
                [message, _("Outside the sending hours: e-mails and SMS wait for the next run within them.")]
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
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
