# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
import secrets
import zlib
from collections import defaultdict
from datetime import datetime, time, timedelta

from markupsafe import Markup, escape

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .dealer_loyalty_program import CHANNEL_FALLBACK_ORDER, PROGRAM_TYPES, RELATIONSHIP_TYPES
from .res_partner import CHANNELS

REMINDER_STATES = [
    ("planned", "Planned"),
    ("to_do", "To Do"),
    ("done", "Done"),
    ("exported", "Handed Over"),
    ("held_out", "Held Out"),
    ("skipped", "Skipped"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
REASONS = [
    ("blacklisted", "Blacklisted"),
    ("no_consent", "No consent"),
    ("no_address", "No contact data"),
    ("no_template", "Channel not set up"),
    ("contact_gap", "Contacted recently"),
    ("recent_contact", "Personal contact recently"),
    ("priority", "Another program first"),
    ("outdated", "No longer due"),
    ("moved", "Due date moved"),
    ("held_out", "Control group"),
    ("expired", "Call not made in time"),
    ("no_answer", "No answer"),
    ("wrong_number", "Wrong number"),
    ("send_error", "Sending failed"),
    ("manual", "Cancelled by staff"),
]
CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No answer"),
    ("appointment", "Appointment booked"),
    ("refused", "Refused"),
    ("wrong_number", "Wrong number"),
]
PRODUCTIVE_OUTCOMES = {"reached", "appointment"}
# Call outcomes that end the call task, with the state they leave the reminder in.
FINAL_CALL_OUTCOMES = {
    "reached": "done",
    "appointment": "done",
    "refused": "done",
    "wrong_number": "failed",
}


# The programs whose reminders carry a link to book a visit at the service desk.
BOOKABLE_TYPES = frozenset({"service", "first_service", "inspection", "warranty", "declined_work"})

# What decides whether and when a customer is contacted: managers and the
# engine's own flows only.
PLANNING_FIELDS = frozenset(
    {"state", "scheduled_date", "due_date", "channel", "program_id", "partner_id", "vehicle_id", "sent_date"}
)


class DealerLoyaltyReminder(models.Model):
    _name = "dealer.loyalty.reminder"
    _description = "Retention Reminder"
    _inherit = ["mail.thread", "mail.activity.mixin", "dealer.message.sender"]
    _order = "scheduled_date desc, id desc"
    _check_company_auto = True

    program_id = fields.Many2one(
        "dealer.loyalty.program", required=True, index=True, ondelete="cascade", check_company=True
    )
    program_type = fields.Selection(PROGRAM_TYPES, string="Type", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    vehicle_id = fields.Many2one("fleet.vehicle", string="Vehicle", index="btree_not_null")
    visit_id = fields.Many2one("dealer.visit", string="Visit", index="btree_not_null")
    due_date = fields.Date(required=True, help="The date the reminder is about: service due, birthday, …")
    scheduled_date = fields.Date(
        string="Contact On", required=True, index=True, help="The day the customer is contacted."
    )
    channel = fields.Selection(CHANNELS, required=True, tracking=True)
    state = fields.Selection(REMINDER_STATES, required=True, default="planned", index=True, tracking=True)
    reason_code = fields.Selection(REASONS, string="Reason", index="btree_not_null", tracking=True)
    reason = fields.Char(string="Why", help="Why the reminder was postponed, skipped, failed or cancelled.")
    user_id = fields.Many2one("res.users", string="Responsible", index="btree_not_null")
    sent_date = fields.Date(string="Sent On", copy=False)
    exported_date = fields.Date(
        string="Handed Over On",
        copy=False,
        help="Exported to the mailing house or call centre, which contacts the customer: Odoo does not.",
    )
    call_date = fields.Date(string="Call On", index="btree_not_null")
    call_outcome = fields.Selection(CALL_OUTCOMES, tracking=True)
    attempt_count = fields.Integer(string="Call Attempts", default=0)
    is_productive = fields.Boolean(
        string="Productive",
        compute="_compute_is_productive",
        store=True,
        help="The call reached the customer.",
    )
    calendar_event_id = fields.Many2one("calendar.event", string="Appointment", copy=False)
    booking_token = fields.Char(
        copy=False,
        index="btree_not_null",
        groups="base.group_system",
        help="The customer's key to the booking page, in the reminder's link.",
    )
    booking_link_expiry = fields.Date(
        string="Booking Link Valid Until",
        copy=False,
        readonly=True,
        help="The reminder's booking link works until then.",
    )
    booking_ids = fields.One2many("dealer.service.booking", "reminder_id", string="Bookings")
    is_booked = fields.Boolean(
        string="Booked",
        compute="_compute_is_booked",
        store=True,
        help="The customer booked a visit from the reminder's link.",
    )
    sent_message_id = fields.Many2one(
        "mail.message", compute="_compute_sent_message_id", string="Message Sent", help="The e-mail or SMS."
    )
    # Contact data and vehicle facts for lists, exports and templates.
    partner_email = fields.Char(related="partner_id.email", string="E-mail")
    partner_mobile = fields.Char(related="partner_id.mobile", string="Mobile")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    partner_city = fields.Char(related="partner_id.city", string="City")
    # The call card: what the agent needs on the phone about the customer.
    partner_vehicle_ids = fields.One2many(
        related="partner_id.dealer_vehicle_ids", string="Customer's Vehicles"
    )
    partner_visit_ids = fields.One2many(related="partner_id.dealer_visit_ids", string="Customer's Visits")
    partner_last_visit_date = fields.Date(related="partner_id.dealer_last_visit_date", string="Last Visit")
    license_plate = fields.Char(related="vehicle_id.license_plate")
    vehicle_model_id = fields.Many2one(related="vehicle_id.model_id", string="Model")
    customer_salutation = fields.Char(compute="_compute_customer_salutation")
    vehicle_description = fields.Char(
        compute="_compute_vehicle_description",
        string="Vehicle Name",
        help="Brand and model, as customers say it.",
    )
    odometer_text = fields.Char(compute="_compute_odometer_text", string="Odometer (formatted)")
    declined_work_text = fields.Char(
        compute="_compute_declined_work_text", string="Declined Work", help="The work the customer declined."
    )
    advisor_id = fields.Many2one("res.users", compute="_compute_advisor_id", string="Advisor")
    call_script_html = fields.Html(compute="_compute_call_script_html", string="Script", sanitize=False)

    def init(self):
        # The engine's idempotence rests on this index: never twice the same
        # program, customer, vehicle and due date, however often or
        # concurrently the generation runs.
        tools.create_unique_index(
            self._cr,
            "dealer_loyalty_reminder_unique_touch",
            self._table,
            ["program_id", "partner_id", "COALESCE(vehicle_id, 0)", "due_date"],
        )

    def write(self, vals):
        if (
            PLANNING_FIELDS & vals.keys()
            and not self.env.su
            and not self.env.user.has_group("dealer_loyalty.dealer_loyalty_group_manager")
        ):
            raise AccessError(
                _(
                    "Only retention managers plan or send reminders: the state, dates, channel and "
                    "customer of a reminder change through its buttons."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("program_id", "partner_id", "due_date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = f"{reminder.program_id.name} – {reminder.partner_id.name}"

    @api.depends("call_outcome")
    def _compute_is_productive(self):
        for reminder in self:
            reminder.is_productive = reminder.call_outcome in PRODUCTIVE_OUTCOMES

    @api.depends("booking_ids.state")
    def _compute_is_booked(self):
        for reminder in self:
            reminder.is_booked = any(booking.state != "cancelled" for booking in reminder.booking_ids)

    @api.depends("partner_id.title", "partner_id.name")
    def _compute_customer_salutation(self):
        # "Dear Mrs Tamm", or "Dear Anna Tamm" without a title: never the title before the whole name.
        for reminder in self:
            partner = reminder.partner_id
            name = (partner.name or "").strip()
            if partner.title and not partner.is_company and " " in name:
                reminder.customer_salutation = (
                    f"{partner.title.shortcut or partner.title.name} {name.split()[-1]}"
                )
            else:
                reminder.customer_salutation = name

    @api.depends("vehicle_id.model_id", "vehicle_id.model_id.brand_id")
    def _compute_vehicle_description(self):
        for reminder in self:
            model = reminder.vehicle_id.model_id
            reminder.vehicle_description = (
                " ".join(filter(None, [model.brand_id.name, model.name])) if model else _("vehicle")
            )

    @api.depends("vehicle_id.odometer")
    @api.depends_context("lang")
    def _compute_odometer_text(self):
        # The customer's digit grouping (42 000 in Tallinn, 42,000 in London): templates render in their language.
        for reminder in self:
            reminder.odometer_text = formatLang(self.env, int(reminder.vehicle_id.odometer or 0), digits=0)

    @api.depends("visit_id.line_ids.declined", "visit_id.line_ids.name")
    def _compute_declined_work_text(self):
        for reminder in self:
            declined = reminder.visit_id.line_ids.filtered("declined")
            reminder.declined_work_text = ", ".join(declined.mapped("name")) if declined else False

    def _compute_advisor_id(self):
        """The advisor of the vehicle's (else the customer's) last done visit."""
        self.env["dealer.visit"].flush_model(["vehicle_id", "partner_id", "user_id", "state", "date"])
        last_by_vehicle, last_by_partner = {}, {}
        if self.ids:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (vehicle_id) vehicle_id, user_id FROM dealer_visit
                     WHERE vehicle_id IN %(vehicles)s AND state = 'done' AND user_id IS NOT NULL
                  ORDER BY vehicle_id, date DESC, id DESC
                    """,
                    vehicles=tuple(self.vehicle_id.ids) or (0,),
                )
            )
            last_by_vehicle = dict(self.env.cr.fetchall())
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (partner_id) partner_id, user_id FROM dealer_visit
                     WHERE partner_id IN %(partners)s AND state = 'done' AND user_id IS NOT NULL
                  ORDER BY partner_id, date DESC, id DESC
                    """,
                    partners=tuple(self.partner_id.ids),
                )
            )
            last_by_partner = dict(self.env.cr.fetchall())
        for reminder in self:
            reminder.advisor_id = last_by_vehicle.get(reminder.vehicle_id.id) or last_by_partner.get(
                reminder.partner_id.id
            )

    def _compute_sent_message_id(self):
        messages = self.env["mail.message"].search(
            [
                ("model", "=", self._name),
                ("res_id", "in", self.ids),
                ("message_type", "in", ("email", "email_outgoing", "sms")),
            ],
            order="id",
        )
        last = {message.res_id: message for message in messages}
        for reminder in self:
            reminder.sent_message_id = last.get(reminder.id, False)

    def _compute_call_script_html(self):
        for program, reminders in self.grouped("program_id").items():
            scripts = program._render_field("call_script", reminders.ids) if program.call_script else {}
            for reminder in reminders:
                reminder.call_script_html = scripts.get(reminder.id, False)

    # ------------------------------------------------------------
    # STATE CHANGES
    # ------------------------------------------------------------

    def _dealer_set_outcome(self, state, reason_code=False, reason=False, **extra):
        """Move the reminders to ``state`` with the reason, closing their open call tasks."""
        if not self:
            return
        values = {"state": state, "reason_code": reason_code, "reason": reason, **extra}
        if state not in ("planned", "to_do"):
            self._dealer_drop_calls()
        self.check_access("write")
        # sudo: write() keeps the planning fields for managers; the flow calling
        # this (a call's outcome, a cancellation) was allowed to the user.
        self.sudo().write(values)

    def _dealer_mark_sent(self):
        self._dealer_set_outcome("done", sent_date=fields.Date.context_today(self))

    def action_cancel(self):
        closed = self.filtered(lambda reminder: reminder.state in ("done", "failed"))
        if closed:
            raise UserError(_("A reminder that was sent or failed cannot be cancelled."))
        self._dealer_set_outcome("cancelled", "manual", _("Cancelled by %(user)s.", user=self.env.user.name))

    def action_send_now(self):
        """Contact the customer today, whatever the planned day and the contact pressure.

        Consent, blacklists and addresses still apply: a manager decides when,
        not whether the customer agreed.
        """
        self.env["dealer.loyalty.program"]._dealer_check_sending_rights()
        planned = self.filtered(lambda reminder: reminder.state == "planned")
        if not planned:
            raise UserError(_("Only planned reminders can be sent now."))
        today = fields.Date.context_today(self)
        planned._dealer_set_outcome("planned", scheduled_date=today)
        planned._dealer_dispatch(today)
        return True

    def action_print_letter(self):
        """Print the letters waiting to be printed; they count as sent once printed."""
        self.env["dealer.loyalty.program"]._dealer_check_sending_rights()
        letters = self.filtered(lambda reminder: reminder.state == "to_do" and reminder.channel == "letter")
        if not letters:
            raise UserError(_("None of these reminders is a letter waiting to be printed."))
        letters._dealer_mark_sent()
        return self.env.ref("dealer_loyalty.action_report_dealer_reminder_letter").report_action(
            letters, config=False
        )

    def action_replan(self):
        """Plan skipped, cancelled or failed reminders again for today."""
        self.env["dealer.loyalty.program"]._dealer_check_sending_rights()
        if self.filtered(lambda reminder: reminder.state == "done"):
            raise UserError(_("A reminder that was sent cannot be planned again."))
        self._dealer_set_outcome("planned", scheduled_date=fields.Date.context_today(self))

    # ------------------------------------------------------------
    # CALLS
    # ------------------------------------------------------------

    def action_call_reached(self):
        return self._dealer_log_call("reached")

    def action_call_no_answer(self):
        return self._dealer_log_call("no_answer")

    def action_call_appointment(self):
        return self._dealer_log_call("appointment")

    def action_call_refused(self):
        return self._dealer_log_call("refused")

    def action_call_wrong_number(self):
        return self._dealer_log_call("wrong_number")

    def _dealer_log_call(self, outcome):
        """Record a call's outcome; unanswered calls come back after the retry delay."""
        not_open = self.filtered(lambda reminder: reminder.state != "to_do" or reminder.channel != "phone")
        if not_open:
            raise UserError(
                _(
                    "Only open calls take an outcome; %(reminder)s is not on the call list.",
                    reminder=not_open[0].display_name,
                )
            )
        today = fields.Date.context_today(self)
        label = dict(CALL_OUTCOMES)[outcome]
        for reminder in self:
            company = reminder.company_id
            attempts = reminder.attempt_count + 1
            values = {"call_outcome": outcome, "attempt_count": attempts}
            if outcome in FINAL_CALL_OUTCOMES:
                reminder.activity_ids.action_feedback(feedback=label)
                state = FINAL_CALL_OUTCOMES[outcome]
                reason = _("The number is wrong.") if outcome == "wrong_number" else False
                reminder._dealer_set_outcome(
                    state, outcome if state == "failed" else False, reason, sent_date=today, **values
                )
                continue
            next_call = today + timedelta(days=company.dealer_call_retry_days)
            if reminder._dealer_call_unanswered(attempts, company.dealer_call_max_attempts, next_call, label):
                reminder.write(
                    dict(
                        values,
                        call_date=next_call,
                        reason=_(
                            "No answer (call %(count)s); call again on %(date)s.",
                            count=attempts,
                            date=next_call,
                        ),
                    )
                )
            else:
                reminder._dealer_set_outcome(
                    "failed",
                    "no_answer",
                    _("No answer after %(count)s calls.", count=attempts),
                    **values,
                )
        if outcome == "appointment" and len(self) == 1:
            return self._dealer_book_appointment()
        return True

    def _dealer_book_appointment(self):
        """Create the appointment in the calendar tomorrow at nine and open it to adjust."""
        self.ensure_one()
        tomorrow = fields.Date.context_today(self) + timedelta(days=1)
        start = datetime.combine(tomorrow, time(9, 0))
        tz_offset = fields.Datetime.context_timestamp(self, start).utcoffset() or timedelta()
        event = self._dealer_create_appointment(
            start - tz_offset, start - tz_offset + timedelta(hours=1), self.env.user, self.program_id.name
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": event.id,
            "view_mode": "form",
            "target": "current",
        }

    def _dealer_create_appointment(self, start, stop, user, description=False):
        """The customer's appointment at the service desk, ``start`` to ``stop`` (UTC), with ``user``.

        Booked by a call's outcome or by the customer from the reminder's link.
        """
        self.ensure_one()
        event = self.env["calendar.event"].create(
            {
                "name": _(
                    "%(customer)s – %(vehicle)s",
                    customer=self.partner_id.name,
                    vehicle=self.license_plate or self.program_id.name,
                ),
                "start": start,
                "stop": stop,
                "user_id": user.id,
                "partner_ids": [(4, self.partner_id.id), (4, user.partner_id.id)],
                "description": description or self.program_id.name,
            }
        )
        self.calendar_event_id = event
        return event

    @api.model
    def _dealer_expire_calls(self, today=None, companies=None):
        """Drop calls nobody made within the company's expiry delay from the call lists."""
        today = today or fields.Date.context_today(self)
        expired = self.browse()
        for company in companies if companies is not None else self.env["res.company"].search([]):
            expired |= self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "to_do"),
                    ("channel", "=", "phone"),
                    ("call_date", "<", today - timedelta(days=company.dealer_call_expiry_days)),
                ]
            )
        for company, reminders in expired.grouped("company_id").items():
            reminders._dealer_set_outcome(
                "cancelled",
                "expired",
                _("Nobody made the call within %(days)s days.", days=company.dealer_call_expiry_days),
            )
        return len(expired)

    # ------------------------------------------------------------
    # PROCESSING
    # ------------------------------------------------------------

    @api.model
    def _dealer_process_due(self, programs=None, today=None, send_messages=True):
        """Contact the customers of every planned reminder whose day has come.

        In order: contact pressure (gap between messages, pause after a
        personal contact, program priority), the channel (consent,
        blacklists, fallback when an address is missing), then one batch per
        channel. Tomorrow's calls are put on the call list today, so the
        agents see their day from the start of it. Outside the sending hours
        (``send_messages`` false) e-mails and SMS wait; calls and letters,
        which reach nobody before staff act, go on their lists.
        Returns the number of reminders looked at.
        """
        today = today or fields.Date.context_today(self)
        tomorrow = today + timedelta(days=1)
        domain = [("state", "=", "planned"), ("scheduled_date", "<=", tomorrow)]
        if programs is not None:
            domain.append(("program_id", "in", programs.ids))
        due = self.search(domain)
        staff_channels = ("phone", "letter")
        batches = (
            (
                today,
                due.filtered(
                    lambda reminder: reminder.scheduled_date <= today
                    and (send_messages or reminder.channel in staff_channels)
                ),
                send_messages,
            ),
            (tomorrow, due.filtered(lambda r: r.scheduled_date == tomorrow and r.channel == "phone"), False),
        )
        looked_at = 0
        for day, batch, messages in batches:
            if not batch:
                continue
            looked_at += len(batch)
            batch -= batch._dealer_hold_out()
            (batch - batch._dealer_apply_contact_pressure(day))._dealer_dispatch(day, send_messages=messages)
        return looked_at

    def _dealer_dispatch(self, today, send_messages=True):
        """Settle the channels (consent, blacklists, addresses) and send: one batch per channel.

        Without ``send_messages``, the reminders that settle on e-mail or SMS
        stay planned, for the next run within the sending hours.
        """
        by_channel = self._dealer_choose_channels().grouped("channel")
        if send_messages:
            by_channel.get("email", self.browse())._dealer_send_emails()
            by_channel.get("sms", self.browse())._dealer_send_sms()
        by_channel.get("letter", self.browse())._dealer_set_outcome("to_do")
        by_channel.get("phone", self.browse())._dealer_open_calls(today)

    def _dealer_hold_out(self):
        """Keep the programs' control groups out of the contact; returns the held-out reminders.

        Whether a customer is in a program's control group is drawn once from
        the program and the customer, so it stays the same every run.
        """
        held = self.filtered(
            lambda reminder: reminder.program_id.holdout_percent
            and zlib.crc32(f"{reminder.program_id.id}-{reminder.partner_id.id}".encode()) % 100
            < reminder.program_id.holdout_percent
        )
        for program, reminders in held.grouped("program_id").items():
            reminders._dealer_set_outcome(
                "held_out",
                "held_out",
                _(
                    "Held out: in the program's control group (%(percent)s%% of its customers get nothing).",
                    percent=program.holdout_percent,
                ),
            )
        return held

    def _dealer_last_contacts(self):
        """``(last message date, last personal contact date)`` per customer of ``self``."""
        partner_ids = tuple(self.partner_id.ids)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, max(COALESCE(sent_date, scheduled_date)),
                       max(sent_date) FILTER (WHERE channel = 'phone' AND is_productive)
                  FROM dealer_loyalty_reminder
                 WHERE partner_id IN %(partners)s
                   AND ((state = 'done' AND sent_date IS NOT NULL) OR state = 'exported')
              GROUP BY partner_id
                """,
                partners=partner_ids,
            )
        )
        last_message, last_personal = {}, {}
        for partner_id, message_date, call_date in self.env.cr.fetchall():
            last_message[partner_id] = message_date
            if call_date:
                last_personal[partner_id] = call_date
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, max(date) FROM dealer_visit"
                " WHERE partner_id IN %s AND state = 'done' GROUP BY partner_id",
                partner_ids,
            )
        )
        for partner_id, visit_date in self.env.cr.fetchall():
            last_personal[partner_id] = max(visit_date, last_personal.get(partner_id, visit_date))
        return last_message, last_personal

    def _dealer_apply_contact_pressure(self, today):
        """Hold back the reminders that would crowd a customer; returns them.

        Per customer, the relationship messages (welcome, thank-you,
        greetings, declined work) go first, then the programs by priority.
        The first may go unless the customer had a message within the
        minimum gap, or (marketing only) a visit or productive call within
        the pause. The others are postponed when the new date is still
        before their due date, else skipped — except relationship messages:
        they wait at most the days of Settings and then go anyway.
        """
        last_message, last_personal = self._dealer_last_contacts()
        decisions = defaultdict(list)  # (state, scheduled_date, code, reason) -> ids
        ordered = self.sorted(
            lambda r: (
                r.partner_id.id,
                r.program_type not in RELATIONSHIP_TYPES,
                r.program_id.sequence,
                r.due_date,
                r.id,
            )
        )
        for _partner, reminders in tools.groupby(ordered, key=lambda r: r.partner_id):
            company = reminders[0].company_id
            gap, pause = company.dealer_contact_min_gap_days, company.dealer_contact_pause_days
            message_date = last_message.get(_partner.id)
            personal_date = last_personal.get(_partner.id)
            winner = None
            for reminder in reminders:
                relationship = reminder.program_type in RELATIONSHIP_TYPES
                if winner and not relationship:
                    code = "priority"
                    retry = today + timedelta(days=max(gap, 1))
                    reason = _("“%(program)s” contacts the customer first.", program=winner.program_id.name)
                elif gap and message_date and message_date > today - timedelta(days=gap):
                    code, retry = "contact_gap", message_date + timedelta(days=gap)
                    reason = _("The customer had a message less than %(days)s days ago.", days=gap)
                elif (
                    reminder.program_id.is_marketing
                    and pause
                    and personal_date
                    and personal_date > today - timedelta(days=pause)
                ):
                    code, retry = "recent_contact", personal_date + timedelta(days=pause)
                    reason = _("The customer had a visit or a call less than %(days)s days ago.", days=pause)
                else:
                    winner = winner or reminder
                    continue
                latest = reminder.due_date
                if relationship:
                    latest += timedelta(days=company.dealer_contact_max_postpone_days)
                    retry = min(retry, latest)
                if retry <= today:
                    # A relationship message whose waiting time is up goes today.
                    winner = winner or reminder
                elif retry <= latest:
                    decisions[("planned", retry, code, reason)].append(reminder.id)
                else:
                    decisions[("skipped", False, code, reason)].append(reminder.id)
        held = self.browse()
        for (state, retry, code, reason), reminder_ids in decisions.items():
            reminders = self.browse(reminder_ids)
            extra = {"scheduled_date": retry} if retry else {}
            reminders._dealer_set_outcome(state, code, reason, **extra)
            held |= reminders
        return held

    def _dealer_usable_channels(self):
        """The channels the reminder's program can send on, the customer's own first."""
        program = self.program_id
        configured = {
            "email": bool(program.mail_template_id),
            "sms": bool(program.sms_template_id),
            "letter": bool(program.letter_body),
            "phone": True,
        }
        order = [self.channel]
        if program.channel_policy == "preferred":
            order += [channel for channel in CHANNEL_FALLBACK_ORDER if channel != self.channel]
        return [channel for channel in order if configured[channel]]

    @api.model
    def _dealer_refusal_reason(self, refusal, channel, tried=None):
        channel_names = dict(CHANNELS)
        if refusal == "blacklisted":
            return _("The customer's %(channel)s is blacklisted.", channel=channel_names[channel])
        if refusal == "no_consent":
            return _("No marketing consent for %(channel)s.", channel=channel_names[channel])
        return _(
            "No contact data for %(channels)s.",
            channels=", ".join(channel_names[name] for name in (tried or [channel])),
        )

    def _dealer_hand_over(self, channel):
        """Export: the reminders go to a mailing house or call centre on ``channel``.

        The same blacklist, consent and address rules as sending apply (on
        that channel only: the list is for it); the others are skipped with
        the reason. The handed-over ones are never sent by Odoo. Returns them.
        """
        today = fields.Date.context_today(self)
        consent_checks = defaultdict(lambda: self.browse())
        for reminder in self:
            consent_checks[
                bool(
                    reminder.program_id.is_marketing
                    and reminder.company_id[f"dealer_consent_required_{channel}"]
                )
            ] |= reminder
        skipped = self.browse()
        for consent, reminders in consent_checks.items():
            refusals = reminders.partner_id._dealer_contact_refusals(channel, consent)
            by_code = defaultdict(list)
            for reminder in reminders:
                if reminder.partner_id.id in refusals:
                    by_code[refusals[reminder.partner_id.id]].append(reminder.id)
            for code, reminder_ids in by_code.items():
                refused = self.browse(reminder_ids)
                refused._dealer_set_outcome("skipped", code, self._dealer_refusal_reason(code, channel))
                skipped |= refused
        handed = self - skipped
        handed._dealer_set_outcome("exported", exported_date=today)
        return handed

    def _dealer_choose_channels(self):
        """Settle each reminder's channel; skip those that cannot be sent. Returns the rest.

        Blacklists and missing consent on the customer's own channel skip the
        reminder; a missing address moves it to the next channel the
        customer can be reached on.
        """
        refusal_cache = {}
        partners = self.partner_id

        def refusals(channel, consent):
            if (channel, consent) not in refusal_cache:
                refusal_cache[channel, consent] = partners._dealer_contact_refusals(channel, consent)
            return refusal_cache[channel, consent]

        moves = defaultdict(list)
        skips = defaultdict(list)
        for reminder in self:
            company, program = reminder.company_id, reminder.program_id
            chosen, first_refusal = None, None
            tried = reminder._dealer_usable_channels()
            for index, channel in enumerate(tried):
                consent = program.is_marketing and company[f"dealer_consent_required_{channel}"]
                refusal = refusals(channel, consent).get(reminder.partner_id.id)
                if not refusal:
                    chosen = channel
                    break
                first_refusal = first_refusal or (channel, refusal)
                if index == 0 and refusal != "no_address":
                    break  # the customer said no on their own channel: do not go round it
            if chosen:
                if chosen != reminder.channel:
                    moves[chosen].append(reminder.id)
                continue
            if not tried:
                skips["no_template", _("The program has no template for the customer's channel.")].append(
                    reminder.id
                )
                continue
            channel, refusal = first_refusal
            skips[refusal, self._dealer_refusal_reason(refusal, channel, tried)].append(reminder.id)
        for channel, reminder_ids in moves.items():
            self.browse(reminder_ids).write({"channel": channel})
        skipped = self.browse()
        for (code, reason), reminder_ids in skips.items():
            reminders = self.browse(reminder_ids)
            reminders._dealer_set_outcome("skipped", code, reason)
            skipped |= reminders
        return self - skipped

    def _dealer_mark_send_failed(self, reason):
        self._dealer_set_outcome("failed", "send_error", reason)

    def _dealer_send_emails(self):
        def send(reminders):
            mails = reminders._dealer_queue_mails(reminders.program_id.mail_template_id)
            reminders._dealer_add_unsubscribe(mails)
            reminders._dealer_mark_sent()

        for _program, reminders in self.grouped("program_id").items():
            reminders._dealer_isolate_failures(send)
        if self:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

    def _dealer_add_unsubscribe(self, mails):
        """Marketing e-mails end with the way out: a link and a List-Unsubscribe header (RFC 8058)."""
        by_reminder = {reminder.id: reminder for reminder in self.filtered("program_id.is_marketing")}
        # The footer is rendered once per language and company, then given each customer's link.
        marker = "dealer-preferences-url-marker"
        footers = {}
        for mail in mails.sudo():
            reminder = by_reminder.get(mail.res_id)
            if not reminder:
                continue
            partner = reminder.partner_id
            url = partner._dealer_preferences_url()
            key = (partner.lang, reminder.company_id)
            if key not in footers:
                footers[key] = (
                    self.env["ir.qweb"]
                    .with_context(lang=partner.lang)
                    ._render(
                        "dealer_loyalty.unsubscribe_footer", {"url": marker, "company": reminder.company_id}
                    )
                )
            footer = Markup(str(footers[key]).replace(marker, str(escape(url))))
            headers = ast.literal_eval(mail.headers) if mail.headers else {}
            headers.update(
                {
                    "List-Unsubscribe": f"<{url}/unsubscribe>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }
            )
            mail.write({"body_html": Markup(mail.body_html or "") + footer, "headers": repr(headers)})

    def _dealer_sms_suffix(self):
        env = self.with_context(lang=self.partner_id.lang).env
        suffixes = []
        booking_url = self._dealer_booking_url()
        if booking_url:
            suffixes.append(env._("Book: %(url)s", url=booking_url))
        if self.program_id.is_marketing:
            suffixes.append(env._("Stop: %(url)s", url=self.partner_id._dealer_preferences_url()))
        return " ".join(suffixes)

    # ------------------------------------------------------------
    # BOOKING LINK
    # ------------------------------------------------------------

    def _dealer_bookable(self):
        """Whether the reminder's customer can book a visit at the service desk from its link."""
        self.ensure_one()
        return bool(
            self.program_id.program_type in BOOKABLE_TYPES
            and self.vehicle_id
            and self.company_id._dealer_booking_open()
        )

    def _dealer_portal_url(self):
        """The customer's own page (``/my``), for the welcome message: a customer without a
        login gets Odoo's personal portal invitation (sign up with this link), others log in."""
        self.ensure_one()
        # sudo: the signup key is the system's to issue; it reaches only the customer's own e-mail.
        partner = self.partner_id.sudo().with_context(signup_valid=True)
        return partner._get_signup_url_for_action(url="/my")[partner.id]

    def _dealer_booking_url(self):
        """The reminder's booking page (its key made on first use), absolute; False if not bookable.

        The link works until some weeks after the due date (Settings), or after
        today when the reminder goes out later than its due date.
        """
        self.ensure_one()
        if not self._dealer_bookable():
            return False
        # sudo: the token is kept from staff; only the customer's own messages carry it.
        reminder = self.sudo()
        if not reminder.booking_token:
            valid_from = max(reminder.due_date, fields.Date.context_today(self))
            reminder.write(
                {
                    "booking_token": secrets.token_urlsafe(12),
                    "booking_link_expiry": valid_from
                    + timedelta(days=reminder.company_id.dealer_booking_link_days),
                }
            )
        return f"{reminder.get_base_url()}/dealer/book/{reminder.booking_token}"

    def _dealer_booking_link_valid(self, today=None):
        """Whether the reminder's booking link still opens the booking page."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        return bool(
            self.booking_link_expiry
            and today <= self.booking_link_expiry
            and self.state in ("done", "exported")
            and self.vehicle_id.dealer_owner_id == self.partner_id
        )

    def _dealer_mail_endings(self):
        """Bookable reminders' e-mails end with the customer's own booking link."""
        bookable = self.filtered(lambda reminder: reminder._dealer_bookable())
        # The block is rendered once per language and company, then given each customer's link.
        url_marker, expiry_marker = "dealer-booking-url-marker", "dealer-booking-expiry-marker"
        blocks, endings = {}, {}
        for reminder in bookable:
            lang = reminder.partner_id.lang
            url = reminder._dealer_booking_url()
            key = (lang, reminder.company_id)
            if key not in blocks:
                blocks[key] = str(
                    self.env["ir.qweb"]
                    .with_context(lang=lang)
                    ._render(
                        "dealer_loyalty.booking_link_block",
                        {"url": url_marker, "expiry": expiry_marker, "company": reminder.company_id},
                    )
                )
            expiry = tools.format_date(self.with_context(lang=lang).env, reminder.booking_link_expiry)
            endings[reminder.id] = Markup(
                blocks[key].replace(url_marker, str(escape(url))).replace(expiry_marker, str(escape(expiry)))
            )
        return endings

    def _dealer_send_sms(self):
        def send(reminders):
            reminders._dealer_queue_sms(reminders.program_id.sms_template_id)._dealer_mark_sent()

        for _program, reminders in self.grouped("program_id").items():
            reminders._dealer_isolate_failures(send)
        if self:
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()

    def _dealer_call_task(self):
        user = self.user_id or self.program_id.user_id or self.env.user
        program = self.program_id
        note = False
        if program.call_script:
            # Rendered as the caller, who reads "this is <their name>"; sudo: the script is
            # the program's text, the caller may not read the program's settings.
            note = program.with_user(user).sudo()._render_field("call_script", self.ids)[self.id]
        return {
            "user": user,
            "summary": _("Call %(customer)s", customer=self.partner_id.name),
            "note": note,
        }

    def _dealer_calls_opened(self, today):
        self._dealer_set_outcome("to_do", call_date=today)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_customer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def action_open_bookings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_loyalty.dealer_service_booking_action")
        if len(self.booking_ids) == 1:
            action.update(res_id=self.booking_ids.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("reminder_id", "=", self.id)]
        return action
