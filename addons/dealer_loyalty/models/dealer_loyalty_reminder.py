# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

import psycopg2.errors
from markupsafe import Markup, escape

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import formatLang

from .dealer_loyalty_program import CHANNEL_FALLBACK_ORDER, PROGRAM_TYPES
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
# What decides whether, when and about what a customer is contacted: managers and the
# engine's own flows only.
PLANNING_FIELDS = frozenset(
    {
        "state",
        "scheduled_date",
        "due_date",
        "channel",
        "program_id",
        "program_type",
        "partner_id",
        "vehicle_id",
        "visit_id",
        "sent_date",
    }
)
# Set by their own flows only, for everyone: the booking link when a message first carries it,
# the hand-over day by the export to a mailing house or call centre, a call's outcome and
# attempts by the call buttons (productive calls count in contact pressure and the analyses),
# and what is computed from the calls and bookings (a stored computed field takes a write).
FLOW_FIELDS = frozenset(
    {
        "booking_token",
        "booking_link_expiry",
        "exported_date",
        "call_outcome",
        "attempt_count",
        "is_productive",
        "is_booked",
    }
)


class DealerLoyaltyReminder(models.Model):
    _name = "dealer.loyalty.reminder"
    _description = "Retention Reminder"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "dealer.loyalty.reminder.booking",
        "dealer.loyalty.reminder.call",
        "dealer.loyalty.reminder.contact.pressure",
        # Last: the booking and call mixins fill in its hooks.
        "dealer.message.sender",
    ]
    _order = "scheduled_date desc, id desc"
    _check_company_auto = True

    program_id = fields.Many2one(
        "dealer.loyalty.program", required=True, index=True, ondelete="cascade", check_company=True
    )
    program_type = fields.Selection(PROGRAM_TYPES, string="Type", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True
    )
    vehicle_id = fields.Many2one(
        "fleet.vehicle", string="Vehicle", index="btree_not_null", check_company=True
    )
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
        readonly=True,
        help="Exported to the mailing house or call centre, which contacts the customer: Odoo does not.",
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

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        for vals in vals_list:
            self._dealer_check_flow_fields({name for name in FLOW_FIELDS & vals.keys() if vals[name]})
        with self._dealer_refuse_second_touch():
            return super().create(vals_list)

    @contextmanager
    def _dealer_refuse_second_touch(self):
        """Say in words that a reminder a manager makes by hand already exists.

        The unique index keeps the engine's runs from reminding twice; a
        reminder made or moved by hand onto the same program, customer,
        vehicle and due date meets it with the database's own text otherwise.
        """
        try:
            with self.env.cr.savepoint():
                yield
                self.env.flush_all()
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != "dealer_loyalty_reminder_unique_touch":
                raise
            raise UserError(
                _(
                    "This customer already has a reminder of this program for this vehicle and due date: "
                    "open it rather than making a second one."
                )
            ) from None

    def write(self, vals):
        if not self.env.su:
            self._dealer_check_flow_fields(FLOW_FIELDS & vals.keys())
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
        if self.env.su or not PLANNING_FIELDS & vals.keys():
            return super().write(vals)
        with self._dealer_refuse_second_touch():
            return super().write(vals)

    @api.model
    def _dealer_check_flow_fields(self, field_names):
        if field_names:
            labels = ", ".join(
                sorted(self._fields[name]._description_string(self.env) for name in field_names)
            )
            raise AccessError(
                _(
                    "%(fields)s of a reminder are set by the reminder itself (its booking link when a "
                    "message carries it, the hand-over day when it is exported, a call's outcome by the "
                    "call buttons), never by editing it.",
                    fields=labels,
                )
            )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("program_id", "partner_id", "due_date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = f"{reminder.program_id.name} – {reminder.partner_id.name}"

    @api.depends("partner_id.title", "partner_id.name")
    @api.depends_context("lang")  # the title's abbreviation is translated
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
    @api.depends_context("lang")  # "vehicle" when the model is unknown, in the reader's language
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

    def _dealer_mark_sent(self, today=None):
        """Done, sent on ``today`` (the dealership's day when the run gives it), else the user's."""
        self._dealer_set_outcome("done", sent_date=today or fields.Date.context_today(self))

    def action_cancel(self):
        # As the buttons: a reminder handed over, held out, sent or failed has had its say.
        if self.filtered(lambda reminder: reminder.state not in ("planned", "to_do", "skipped")):
            raise UserError(_("Only reminders still to go out or skipped can be cancelled."))
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
        # What the hourly run would find first: a customer archived or a car sold since the planning.
        self.env.flush_all()
        for program in planned.program_id:
            program._dealer_cancel_outdated(today)
        planned = planned.filtered(lambda reminder: reminder.state == "planned")
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
        # A reminder handed over to a mailing house, or on its way, would reach the customer twice.
        if self.filtered(lambda reminder: reminder.state not in ("skipped", "cancelled", "failed")):
            raise UserError(_("Only skipped, cancelled or failed reminders can be planned again."))
        self._dealer_set_outcome("planned", scheduled_date=fields.Date.context_today(self))

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
            by_channel.get("email", self.browse())._dealer_send_emails(today)
            by_channel.get("sms", self.browse())._dealer_send_sms(today)
        by_channel.get("letter", self.browse())._dealer_set_outcome("to_do")
        by_channel.get("phone", self.browse())._dealer_open_calls(today)

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

        The same control group, blacklist, consent and address rules as
        sending apply (on that channel only: the list is for it); the others
        are held out or skipped with the reason. The handed-over ones are
        never sent by Odoo. Returns them.
        """
        today = fields.Date.context_today(self)
        # A program's control group gets nothing, from a mailing house either.
        reminders = self - self._dealer_hold_out()
        consent_checks = defaultdict(lambda: self.browse())
        for reminder in reminders:
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
        handed = reminders - skipped
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

    def _dealer_send_emails(self, today=None):
        def send(reminders):
            mails = reminders._dealer_queue_mails(reminders.program_id.mail_template_id)
            reminders._dealer_add_unsubscribe(mails)
            reminders._dealer_mark_sent(today)

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

    def _dealer_send_sms(self, today=None):
        def send(reminders):
            reminders._dealer_queue_sms(reminders.program_id.sms_template_id)._dealer_mark_sent(today)

        for _program, reminders in self.grouped("program_id").items():
            reminders._dealer_isolate_failures(send)
        if self:
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()

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
