# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class DealerServiceBookingDay(models.Model):
    """A day of a service desk that has online bookings: the row its bookings queue on.

    Every booking of a day writes its row before counting the day's bookings.
    Two customers booking the same day at the same moment thus cannot both
    see a free slot: the second waits for the first, then fails to serialize
    and is run again (as Odoo runs a request again), counting the first.
    """

    _name = "dealer.service.booking.day"
    _description = "Service Desk Booking Day"
    _order = "date desc"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    date = fields.Date(required=True)

    _sql_constraints = [
        ("company_date_unique", "UNIQUE(company_id, date)", "A service desk has one row per day."),
    ]

    def _dealer_lock(self, company, day):
        """Take the row of ``company``'s ``day`` for the rest of the transaction (made if missing)."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO dealer_service_booking_day (company_id, date, create_uid, write_uid,
                                                        create_date, write_date)
                VALUES (%(company)s, %(day)s, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                        now() AT TIME ZONE 'UTC')
                ON CONFLICT (company_id, date)
                DO UPDATE SET write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                """,
                company=company.id,
                day=day,
                uid=self.env.uid,
            )
        )
