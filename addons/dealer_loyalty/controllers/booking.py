# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import format_date

from ..models.dealer_service_booking import DAY_PART_HOURS
from .main import is_link_token


class DealerServiceBookingPage(http.Controller):
    """The booking page a service, inspection, warranty or declined-work reminder links to.

    The link's token is the customer's key: no account, no login.
    """

    def _dealer_reminder(self, token):
        """The reminder of ``token``, whatever its state (the page says why it cannot be booked)."""
        if not is_link_token(token):
            return None
        # sudo: nobody is logged in; the token, known only to the customer's messages, is the key.
        reminder = (
            request.env["dealer.loyalty.reminder"].sudo().search([("booking_token", "=", token)], limit=1)
        )
        return reminder or None

    def _dealer_page(self, template, reminder, status=200, **values):
        """Render ``template`` in the customer's language (the site's own without a customer)."""
        if reminder:
            lang = reminder.partner_id.lang
            if lang and request.env["res.lang"]._get_data(code=lang).code:
                request.update_context(lang=lang)
            reminder = reminder.with_env(request.env(su=True))
            if values.get("booking"):
                values["booking"] = values["booking"].with_env(reminder.env)
        company = reminder.company_id if reminder else request.env.company
        values.update(
            reminder=reminder,
            company=company,
            html_data={"lang": request.env.lang.replace("_", "-")},
        )
        return request.render(template, values, status=status)

    def _dealer_unavailable(self, reminder):
        """The friendly page of a link that does not open the booking, or None when it does."""
        if not reminder:
            return self._dealer_page("dealer_loyalty.booking_unavailable", None, status=404, reason="unknown")
        if not reminder._dealer_booking_link_valid():
            return self._dealer_page(
                "dealer_loyalty.booking_unavailable", reminder, status=410, reason="expired"
            )
        return None

    def _dealer_booking(self, reminder):
        return reminder.booking_ids.filtered(lambda booking: booking.state != "cancelled")[:1]

    def _dealer_form(self, reminder, error=None, values=None):
        Booking = request.env["dealer.service.booking"].sudo()
        env = request.env
        days = [
            {
                "date": day,
                "label": format_date(env, day, date_format="EEE d MMM"),
                "parts": [(part, f"{fields.Date.to_string(day)}:{part}") for part in parts],
            }
            for day, parts in Booking._dealer_free_days(reminder.company_id)
        ]
        return self._dealer_page(
            "dealer_loyalty.booking_page",
            reminder,
            status=400 if error else 200,
            days=days,
            part_hours={part: f"{first}:00–{last}:00" for part, (first, last) in DAY_PART_HOURS.items()},
            error=error,
            posted=values or {},
        )

    @http.route("/dealer/book/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False)
    def booking_page(self, token, **kwargs):
        reminder = self._dealer_reminder(token)
        booking = reminder and self._dealer_booking(reminder)
        if booking:
            # A booked visit stays visible through the link, also once the link has expired.
            return self._dealer_page("dealer_loyalty.booking_done", reminder, booking=booking)
        return self._dealer_unavailable(reminder) or self._dealer_form(reminder)

    @http.route("/dealer/book/<string:token>", type="http", auth="public", methods=["POST"], sitemap=False)
    def booking_submit(self, token, slot="", note="", **kwargs):
        reminder = self._dealer_reminder(token)
        unavailable = self._dealer_unavailable(reminder)
        if unavailable:
            return unavailable
        day, _sep, day_part = (slot or "").partition(":")
        try:
            day = fields.Date.to_date(day)
        except ValueError:
            day = None
        if not day or day_part not in DAY_PART_HOURS:
            return self._dealer_form(
                reminder,
                error=request.env._("Please choose a day and a part of the day."),
                values={"note": note},
            )
        try:
            # sudo: the customer books through the reminder's key; the booking checks the desk's capacity.
            request.env["dealer.service.booking"].sudo()._dealer_request(reminder, day, day_part, note)
        except UserError as error:
            return self._dealer_form(reminder, error=error.args[0], values={"note": note, "slot": slot})
        # Post/redirect/get: reloading the confirmation does not post the form again.
        return request.redirect(f"/dealer/book/{token}", code=303)
