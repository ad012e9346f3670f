# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models, tools

# The programs whose reminders carry a link to book a visit at the service desk.
BOOKABLE_TYPES = frozenset({"service", "first_service", "inspection", "warranty", "declined_work"})


class DealerLoyaltyReminderBooking(models.AbstractModel):
    """The customer's personal links in a reminder: its booking page and the customer's portal.

    Inherited by ``dealer.loyalty.reminder``; it gives the sender's e-mails
    their ending (``_dealer_mail_endings``), the booking link.
    """

    _name = "dealer.loyalty.reminder.booking"
    _description = "Booking Links"
    _inherit = ["dealer.message.sender"]

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

    @api.depends("booking_ids.state")
    def _compute_is_booked(self):
        for reminder in self:
            reminder.is_booked = any(booking.state != "cancelled" for booking in reminder.booking_ids)

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

    def action_open_bookings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_loyalty.dealer_service_booking_action")
        if len(self.booking_ids) == 1:
            action.update(res_id=self.booking_ids.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("reminder_id", "=", self.id)]
        return action
