# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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


class DealerLoyaltyReminderCall(models.AbstractModel):
    """A reminder on the phone channel: its call card, the call's outcome and the appointment.

    Inherited by ``dealer.loyalty.reminder``; it fills in the sender's call-list
    hooks (``_dealer_call_task``, ``_dealer_calls_opened``).
    """

    _name = "dealer.loyalty.reminder.call"
    _description = "Call List"
    _inherit = ["dealer.message.sender"]

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
    # The call card: who looked after the vehicle, and what to say.
    advisor_id = fields.Many2one("res.users", compute="_compute_advisor_id", string="Advisor")
    call_script_html = fields.Html(compute="_compute_call_script_html", string="Script", sanitize=False)

    @api.depends("call_outcome")
    def _compute_is_productive(self):
        for reminder in self:
            reminder.is_productive = reminder.call_outcome in PRODUCTIVE_OUTCOMES

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

    def _compute_call_script_html(self):
        for program, reminders in self.grouped("program_id").items():
            scripts = program._render_field("call_script", reminders.ids) if program.call_script else {}
            for reminder in reminders:
                reminder.call_script_html = scripts.get(reminder.id, False)

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
                reminder._dealer_set_outcome(
                    "to_do",
                    False,
                    _("No answer (call %(count)s); call again on %(date)s.", count=attempts, date=next_call),
                    call_date=next_call,
                    **values,
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
