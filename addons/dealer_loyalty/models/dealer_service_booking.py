# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date, plaintext2html

DAY_PARTS = [("morning", "Morning"), ("afternoon", "Afternoon")]
# The desk's hours of each part of the day, in the dealership's time zone: the appointment's times.
DAY_PART_HOURS = {"morning": (8, 12), "afternoon": (13, 17)}
BOOKING_STATES = [
    ("requested", "Requested"),
    ("confirmed", "Confirmed"),
    ("moved", "Moved"),
    ("cancelled", "Cancelled"),
]
ACTIVE_STATES = ("requested", "confirmed", "moved")
# Staff change a booking's day in the form; the appointment follows and the customer is told.
MOVE_FIELDS = frozenset({"booking_date", "day_part"})
# What the customer booked and where the booking stands: set when the customer books, then changed
# by the booking's own actions (confirm, move, cancel) only, never by editing the booking.
FLOW_FIELDS = frozenset(
    {"reminder_id", "company_id", "partner_id", "vehicle_id", "note", "state", "calendar_event_id"}
)


def day_part_label(env, day_part):
    """ "morning (8:00–12:00)", in the language of ``env``."""
    first_hour, last_hour = DAY_PART_HOURS[day_part]
    if day_part == "morning":
        return env._("morning (%(start)s:00–%(end)s:00)", start=first_hour, end=last_hour)
    return env._("afternoon (%(start)s:00–%(end)s:00)", start=first_hour, end=last_hour)


class DealerServiceBooking(models.Model):
    """A visit a customer booked from a reminder's link, for the service desk to confirm or move."""

    _name = "dealer.service.booking"
    _description = "Service Booking"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    # The latest first, within a day the afternoon ("afternoon" sorts before "morning").
    _order = "booking_date desc, day_part, id desc"
    _check_company_auto = True

    reminder_id = fields.Many2one(
        "dealer.loyalty.reminder",
        string="Reminder",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    program_id = fields.Many2one(related="reminder_id.program_id", store=True, string="Program")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    partner_phone = fields.Char(related="partner_id.mobile", string="Mobile")
    partner_email = fields.Char(related="partner_id.email", string="E-mail")
    vehicle_id = fields.Many2one("fleet.vehicle", string="Vehicle", readonly=True, index="btree_not_null")
    license_plate = fields.Char(related="vehicle_id.license_plate")
    booking_date = fields.Date(string="Day", required=True, tracking=True)
    day_part = fields.Selection(DAY_PARTS, string="Part of Day", required=True, tracking=True)
    note = fields.Text(string="Customer's Note", readonly=True)
    state = fields.Selection(
        BOOKING_STATES, required=True, default="requested", readonly=True, index=True, tracking=True
    )
    user_id = fields.Many2one("res.users", string="Service Desk", tracking=True, check_company=True)
    calendar_event_id = fields.Many2one("calendar.event", string="Appointment", readonly=True, copy=False)
    start = fields.Datetime(compute="_compute_start_stop", store=True, help="The part of day booked, from.")
    stop = fields.Datetime(compute="_compute_start_stop", store=True, help="The part of day booked, until.")
    slot_text = fields.Char(
        compute="_compute_slot_text",
        string="When",
        help="The day and part of day, as the customer reads them.",
    )

    def init(self):
        # One live booking per reminder, however often or concurrently its form is posted.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS dealer_service_booking_one_per_reminder
                    ON dealer_service_booking (reminder_id) WHERE state != 'cancelled'
                """
            )
        )

    @api.depends("partner_id", "booking_date", "day_part")
    def _compute_display_name(self):
        parts = dict(self._fields["day_part"]._description_selection(self.env))
        for booking in self:
            booking.display_name = _(
                "%(customer)s, %(day)s %(part)s",
                customer=booking.partner_id.name or "",
                day=format_date(self.env, booking.booking_date),
                part=(parts.get(booking.day_part) or "").lower(),
            )

    @api.depends("booking_date", "day_part", "company_id.dealer_timezone")
    def _compute_start_stop(self):
        for booking in self:
            if booking.booking_date and booking.day_part:
                booking.start, booking.stop = booking._dealer_event_times()
            else:
                booking.start = booking.stop = False

    @api.depends("booking_date", "day_part")
    @api.depends_context("lang")
    def _compute_slot_text(self):
        for booking in self:
            if not booking.booking_date or not booking.day_part:
                booking.slot_text = False
                continue
            booking.slot_text = _(
                "%(day)s, %(part)s",
                day=format_date(self.env, booking.booking_date, date_format="full"),
                part=day_part_label(self.env, booking.day_part),
            )

    # ------------------------------------------------------------
    # CAPACITY
    # ------------------------------------------------------------

    @api.model
    def _dealer_first_day(self, company):
        """The first day a customer may book: tomorrow, in the dealership's time zone."""
        return company._dealer_local_now().date() + timedelta(days=1)

    @api.model
    def _dealer_booked(self, company, date_from, date_to):
        """The live bookings per day and part of day of ``company``: Counter{(date, part): n}."""
        groups = self._read_group(
            [
                ("company_id", "=", company.id),
                ("booking_date", ">=", date_from),
                ("booking_date", "<=", date_to),
                ("state", "in", ACTIVE_STATES),
            ],
            ["booking_date:day", "day_part"],
            ["__count"],
        )
        return Counter({(day, part): count for day, part, count in groups})

    @api.model
    def _dealer_free_days(self, company):
        """The days a customer can book, with the parts of day that have room.

        :return: [(date, ["morning", "afternoon"]), ...], full and closed days left out
        """
        first = self._dealer_first_day(company)
        last = first + timedelta(days=company.dealer_booking_horizon_days - 1)
        booked = self._dealer_booked(company, first, last)
        days = []
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            if not company._dealer_booking_day_open(day):
                continue
            parts = [
                part
                for part, _label in DAY_PARTS
                if booked[day, part] < company._dealer_booking_capacity(part)
            ]
            if parts:
                days.append((day, parts))
        return days

    @api.model
    def _dealer_check_slot(self, company, day, day_part):
        """Refuse a day the customer cannot book, saying why."""
        first = self._dealer_first_day(company)
        if day < first:
            raise UserError(_("Please choose a day from tomorrow on."))
        if day >= first + timedelta(days=company.dealer_booking_horizon_days):
            raise UserError(
                _("Online bookings go %(days)s days ahead at most.", days=company.dealer_booking_horizon_days)
            )
        if not company._dealer_booking_day_open(day) or not company._dealer_booking_capacity(day_part):
            raise UserError(_("The service desk does not take bookings then; please choose another time."))
        if self._dealer_booked(company, day, day)[day, day_part] >= company._dealer_booking_capacity(
            day_part
        ):
            raise UserError(
                _(
                    "%(day)s is fully booked for that part of the day; please choose another time.",
                    day=format_date(self.env, day),
                )
            )

    # ------------------------------------------------------------
    # BOOKING
    # ------------------------------------------------------------

    @api.model
    def _dealer_request(self, reminder, day, day_part, note=""):
        """Book ``day_part`` of ``day`` for the vehicle of ``reminder``, as its customer asked.

        Runs without a user (the reminder's link is the customer's key): the
        caller gives a privileged environment. The reminder's row and the
        day's row are written first, so that a second post of the same form,
        or another customer taking the day's last slot, waits for this one
        and is then run again, seeing it.

        :return: the booking (the reminder's existing one if it has one)
        """
        reminder.ensure_one()
        if day_part not in DAY_PART_HOURS:
            raise UserError(_("Please choose the morning or the afternoon."))
        company = reminder.company_id
        self.env.cr.execute(
            SQL(
                "UPDATE dealer_loyalty_reminder SET write_date = now() AT TIME ZONE 'UTC' WHERE id = %s",
                reminder.id,
            )
        )
        existing = self.search([("reminder_id", "=", reminder.id), ("state", "!=", "cancelled")], limit=1)
        if existing:
            return existing
        self.env["dealer.service.booking.day"]._dealer_lock(company, day)
        self._dealer_check_slot(company, day, day_part)
        desk = (
            company.dealer_booking_user_id
            or reminder.program_id.user_id
            or reminder.user_id
            or self.env.ref("base.user_admin")
        )
        booking = self.create(
            {
                "reminder_id": reminder.id,
                "company_id": company.id,
                "partner_id": reminder.partner_id.id,
                "vehicle_id": reminder.vehicle_id.id,
                "booking_date": day,
                "day_part": day_part,
                "note": (note or "").strip()[:2000] or False,
                "user_id": desk.id,
            }
        )
        # The customer hears from the desk's answer, not from a calendar invitation to a request.
        # The note is plain text typed by whoever holds the link: escaped, never markup.
        booking.calendar_event_id = reminder.with_context(
            no_mail_to_attendees=True
        )._dealer_create_appointment(
            booking.start, booking.stop, desk, description=booking.note and plaintext2html(booking.note)
        )
        booking.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(booking),
            summary=_("Confirm or move the booking of %(customer)s", customer=booking.partner_id.name),
            user_id=desk.id,
        )
        reminder.message_post(
            body=_("The customer booked a visit online: %(booking)s.", booking=booking.display_name),
            author_id=reminder.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return booking

    def _dealer_event_times(self):
        """The booking's part of day as the appointment's start and stop, in UTC."""
        self.ensure_one()
        zone = pytz.timezone(self.company_id.dealer_timezone or "UTC")
        first_hour, last_hour = DAY_PART_HOURS[self.day_part]
        return tuple(
            zone.localize(datetime.combine(self.booking_date, time(hour)))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
            for hour in (first_hour, last_hour)
        )

    # ------------------------------------------------------------
    # THE DESK'S ANSWER
    # ------------------------------------------------------------

    def write(self, vals):
        forced = FLOW_FIELDS & vals.keys()
        if forced and not self.env.su:
            labels = ", ".join(sorted(self._fields[name]._description_string(self.env) for name in forced))
            raise AccessError(
                _(
                    "%(fields)s of a service booking are set when the customer books and change only "
                    "through its buttons (confirm, cancel) or by moving its day.",
                    fields=labels,
                )
            )
        moving = self.browse()
        if MOVE_FIELDS & vals.keys():
            if self.filtered(lambda booking: booking.state == "cancelled"):
                raise UserError(_("A cancelled booking cannot be moved."))
            moving = self.filtered(
                lambda booking: booking.state in ACTIVE_STATES
                and any(booking[fname] != vals[fname] for fname in MOVE_FIELDS & vals.keys())
            )
            if vals.get("booking_date"):
                self._dealer_check_move_day(fields.Date.to_date(vals["booking_date"]))
        res = super().write(vals)
        if moving:
            moving._dealer_moved()
        return res

    def _dealer_check_move_day(self, day):
        """Refuse to move the bookings to a day already gone at their dealership."""
        for booking in self:
            if day != booking.booking_date and day < booking.company_id._dealer_local_now().date():
                raise UserError(
                    _(
                        "The booking of %(customer)s cannot be moved to %(day)s: the day is in the past.",
                        customer=booking.partner_id.name,
                        day=format_date(self.env, day),
                    )
                )

    def _dealer_write_flow(self, vals):
        """Write the bookings' flow values for an action the user may perform.

        The user's own rights on the bookings are checked first; the write
        itself is done as superuser because write() refuses these fields to everyone.
        """
        self.check_access("write")
        return self.sudo().write(vals)

    def _dealer_moved(self):
        """Staff gave the bookings another day: the appointment follows, the customer is told."""
        for booking in self:
            booking.calendar_event_id.with_context(no_mail_to_attendees=True).write(
                {"start": booking.start, "stop": booking.stop}
            )
        self._dealer_write_flow({"state": "moved"})
        self.activity_ids.action_feedback(feedback=_("Moved"))
        self._dealer_notify_customer("moved")

    def action_confirm(self):
        if self.filtered(lambda booking: booking.state != "requested"):
            raise UserError(_("Only requested bookings are confirmed."))
        self._dealer_write_flow({"state": "confirmed"})
        self.activity_ids.action_feedback(feedback=_("Confirmed"))
        self._dealer_notify_customer("confirmed")
        return True

    def action_cancel(self):
        if self.filtered(lambda booking: booking.state == "cancelled"):
            raise UserError(_("The booking is already cancelled."))
        self._dealer_write_flow({"state": "cancelled"})
        self.activity_ids.unlink()
        self.calendar_event_id.with_context(no_mail_to_attendees=True).action_archive()
        return True

    def _dealer_notify_customer(self, event):
        """Tell the customers that their booking is ``event`` ("confirmed", "moved"): e-mail, else SMS."""
        mail_template = self.env.ref(
            f"dealer_loyalty.mail_template_booking_{event}", raise_if_not_found=False
        )
        sms_template = self.env.ref(f"dealer_loyalty.sms_template_booking_{event}", raise_if_not_found=False)
        for booking in self:
            partner = booking.partner_id
            if partner.email and mail_template:
                booking.message_post_with_source(
                    mail_template, message_type="comment", subtype_xmlid="mail.mt_comment"
                )
            elif (partner.mobile or partner.phone) and sms_template:
                booking._message_sms_with_template(template=sms_template, partner_ids=partner.ids)
            else:
                booking.message_post(
                    body=_("The customer has no e-mail or mobile number: tell them by phone."),
                    subtype_xmlid="mail.mt_note",
                )
