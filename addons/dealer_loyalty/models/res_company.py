# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Segment and service plan periods: beyond, the dates computed from them leave the calendar.
MAX_SETTING_MONTHS = 1200
MONTH_FIELDS = (
    "dealer_regular_period_months",
    "dealer_lost_after_months",
    "dealer_service_interval_months",
    "dealer_first_service_months",
)
SEGMENT_FIELDS = ("dealer_regular_min_visits", "dealer_regular_period_months", "dealer_lost_after_months")
SERVICE_PLAN_FIELDS = (
    "dealer_service_interval_km",
    "dealer_service_interval_months",
    "dealer_first_service_km",
    "dealer_first_service_months",
    "dealer_max_daily_km",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Segment thresholds (seed 001: prospect / active / regular / lost).
    dealer_regular_min_visits = fields.Integer(
        string="Regular Customer: Visits",
        default=2,
        help="A customer with at least this many visits in the regular period is a regular customer.",
    )
    dealer_regular_period_months = fields.Integer(string="Regular Customer: Period (months)", default=12)
    dealer_lost_after_months = fields.Integer(
        string="Lost Customer After (months)",
        default=12,
        help="A customer whose last visit is older than this is lost.",
    )
    # Service plan defaults, overridden per vehicle model and per vehicle.
    dealer_service_interval_km = fields.Integer(string="Service Every (km)", default=15000)
    dealer_service_interval_months = fields.Integer(string="Service Every (months)", default=12)
    dealer_first_service_km = fields.Integer(string="First Service After (km)", default=1500)
    dealer_first_service_months = fields.Integer(string="First Service After (months)", default=6)
    dealer_max_daily_km = fields.Integer(
        string="Plausible Daily Mileage (km)",
        default=600,
        help="Odometer readings implying more kilometres per day than this are ignored when the "
        "average daily mileage is estimated.",
    )

    # Retention programs: defaults, consent and contact pressure.
    dealer_reminder_lead_days = fields.Integer(
        string="Default Lead Time (days)",
        default=14,
        help="New programs contact the customer this many days before the due date.",
    )
    dealer_reminder_signature = fields.Html(
        string="Reminder Signature",
        help="Closes every reminder e-mail and letter, e.g. the service team's name and phone number.",
    )
    dealer_consent_required_email = fields.Boolean(string="Marketing E-mails Need Consent", default=True)
    dealer_consent_required_sms = fields.Boolean(string="Marketing SMS Need Consent", default=True)
    dealer_consent_required_letter = fields.Boolean(string="Marketing Letters Need Consent", default=False)
    dealer_consent_required_phone = fields.Boolean(string="Marketing Calls Need Consent", default=True)
    dealer_contact_min_gap_days = fields.Integer(
        string="Minimum Days Between Messages",
        default=7,
        help="A customer gets at most one reminder in this many days, whatever the program.",
    )
    dealer_contact_pause_days = fields.Integer(
        string="Pause After a Personal Contact (days)",
        default=3,
        help="No marketing message for this many days after a visit or a call with the customer.",
    )
    dealer_contact_max_postpone_days = fields.Integer(
        string="Hold Back Greetings at Most (days)",
        default=2,
        help="Welcome, thank-you, birthday, holiday and declined-work messages are never skipped for "
        "contact pressure: they wait at most this many days, then go.",
    )
    dealer_call_retry_days = fields.Integer(
        string="Call Again After (days)", default=2, help="When a call was not answered."
    )
    dealer_call_max_attempts = fields.Integer(string="Call Attempts", default=3)
    dealer_call_expiry_days = fields.Integer(
        string="Calls Expire After (days)",
        default=14,
        help="A call nobody made within this many days of its date is dropped from the call list.",
    )
    dealer_timezone = fields.Selection(
        related="partner_id.tz",
        string="Dealership Time Zone",
        readonly=False,
        help="The dealership's local time: its days and its sending hours.",
    )
    dealer_send_from = fields.Float(
        string="Send Messages From",
        default=9.0,
        help="Reminder e-mails and SMS leave no earlier than this local time.",
    )
    dealer_send_until = fields.Float(
        string="Send Messages Until",
        default=20.0,
        help="After this local time, reminder e-mails and SMS wait for the next morning.",
    )

    # Online booking from the reminders: the service desk's capacity.
    dealer_booking_slots_morning = fields.Integer(
        string="Bookings per Morning",
        default=4,
        help="How many customers may book a morning online; 0 closes the mornings to online booking.",
    )
    dealer_booking_slots_afternoon = fields.Integer(
        string="Bookings per Afternoon",
        default=4,
        help="How many customers may book an afternoon online; 0 closes the afternoons to online booking.",
    )
    dealer_booking_saturday = fields.Boolean(
        string="Open on Saturdays", default=True, help="Customers may book Saturdays; Sundays are closed."
    )
    dealer_booking_horizon_days = fields.Integer(
        string="Book up to (days ahead)", default=28, help="How far ahead the booking page offers days."
    )
    dealer_booking_link_days = fields.Integer(
        string="Booking Links Valid (days)",
        default=42,
        help="A reminder's booking link works until this many days after its due date "
        "(or after it was sent, when it was sent later).",
    )
    dealer_booking_user_id = fields.Many2one(
        "res.users",
        string="Service Desk",
        help="Gets the online bookings to confirm; without one, the program's responsible.",
    )

    # Analyses.
    dealer_abc_class_a = fields.Float(
        string="ABC: Class A up to (%)", default=75.0, help="Share of revenue made by class A customers."
    )
    dealer_abc_class_b = fields.Float(string="ABC: Class B up to (%)", default=95.0)
    dealer_slipping_after_months = fields.Integer(
        string="Slipping Away After (months)",
        default=6,
        help="Customers without a visit for this long appear as slipping away in the lost-customer analysis.",
    )
    dealer_attribution_days = fields.Integer(
        string="Attribution Window (days)",
        default=30,
        help="A visit within this many days after a reminder counts for the reminder's program.",
    )

    _sql_constraints = [
        (
            "dealer_analysis_settings_valid",
            "CHECK(dealer_abc_class_a > 0 AND dealer_abc_class_a < dealer_abc_class_b "
            "AND dealer_abc_class_b < 100 AND dealer_slipping_after_months >= 1 AND dealer_attribution_days >= 1)",
            "ABC classes need 0 < A < B < 100 %, and the analysis periods at least 1.",
        ),
        (
            # Ten years at most: beyond, the dates computed from them leave the calendar.
            "dealer_reminder_settings_positive",
            "CHECK(dealer_reminder_lead_days BETWEEN 0 AND 3660 AND dealer_contact_min_gap_days BETWEEN 0 AND 3660 "
            "AND dealer_contact_pause_days BETWEEN 0 AND 3660 AND dealer_contact_max_postpone_days BETWEEN 0 AND 3660 "
            "AND dealer_call_retry_days BETWEEN 1 AND 3660 AND dealer_call_max_attempts >= 1 "
            "AND dealer_call_expiry_days BETWEEN 1 AND 3660)",
            "Reminder settings go from 0 to 3660 days (ten years), and calls need at least one attempt and one day.",
        ),
        (
            "dealer_thresholds_positive",
            "CHECK(dealer_regular_min_visits >= 1 AND dealer_regular_period_months >= 1 "
            "AND dealer_lost_after_months >= 1)",
            "Segment thresholds must be at least 1.",
        ),
        (
            "dealer_service_plan_positive",
            "CHECK(dealer_service_interval_km >= 0 AND dealer_service_interval_months >= 0 "
            "AND dealer_first_service_km >= 0 AND dealer_first_service_months >= 0 AND dealer_max_daily_km > 0)",
            "Service plan values cannot be negative.",
        ),
        (
            "dealer_booking_settings_valid",
            "CHECK(dealer_booking_slots_morning >= 0 AND dealer_booking_slots_afternoon >= 0 "
            "AND dealer_booking_horizon_days BETWEEN 1 AND 366 AND dealer_booking_link_days BETWEEN 1 AND 3660)",
            "Booking capacity cannot be negative; customers book from a day up to a year ahead, and the links "
            "stay valid from a day up to 3660 days (ten years).",
        ),
    ]

    @api.constrains(*MONTH_FIELDS)
    def _check_dealer_months(self):
        # Checked before the segments and service dates are worked out from them: a date a
        # thousand centuries away cannot be computed, and would fail without a word of why.
        for company in self:
            if any(company[fname] > MAX_SETTING_MONTHS for fname in MONTH_FIELDS):
                raise ValidationError(
                    _(
                        "%(company)s: periods in months go up to %(months)s (a hundred years).",
                        months=MAX_SETTING_MONTHS,
                        company=company.name,
                    )
                )

    @api.constrains("dealer_send_from", "dealer_send_until")
    def _check_dealer_sending_hours(self):
        for company in self:
            if not 0 <= company.dealer_send_from < company.dealer_send_until <= 24:
                raise ValidationError(
                    _(
                        "Sending hours run from an earlier to a later time of the same day, "
                        "between 00:00 and 24:00 (%(company)s).",
                        company=company.name,
                    )
                )

    def write(self, vals):
        changed_segments = self._dealer_changing(vals, SEGMENT_FIELDS)
        changed_plans = self._dealer_changing(vals, SERVICE_PLAN_FIELDS)
        res = super().write(vals)
        for company in changed_segments:
            self.env["res.partner"]._dealer_update_segments(company=company)
        if changed_plans:
            vehicles = (
                self.env["fleet.vehicle"]
                .with_context(active_test=False)
                .search([("company_id", "in", changed_plans.ids + [False])])
            )
            vehicles._dealer_recompute_service_plan()
        return res

    def _dealer_changing(self, vals, fnames):
        """The companies of ``self`` for which ``vals`` changes one of ``fnames``."""
        relevant = [name for name in fnames if name in vals]
        return self.filtered(lambda company: any(company[name] != vals[name] for name in relevant))

    def _dealer_local_now(self, now=None):
        """The dealership's wall-clock time (naive), in its own time zone (UTC when none is set)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        zone = pytz.timezone(self.dealer_timezone or "UTC")
        return pytz.utc.localize(now).astimezone(zone).replace(tzinfo=None)

    def _dealer_within_sending_hours(self, local_now):
        """Whether ``local_now`` (the dealership's wall-clock time) is outside its quiet hours."""
        self.ensure_one()
        hour = local_now.hour + local_now.minute / 60
        return self.dealer_send_from <= hour < self.dealer_send_until

    def _dealer_booking_open(self):
        """Whether customers can book online at all: some capacity on some part of the day."""
        self.ensure_one()
        return bool(self.dealer_booking_slots_morning or self.dealer_booking_slots_afternoon)

    def _dealer_booking_capacity(self, day_part):
        """How many online bookings a ``day_part`` ("morning" or "afternoon") of the desk takes."""
        self.ensure_one()
        return self[f"dealer_booking_slots_{day_part}"]

    def _dealer_booking_day_open(self, day):
        """Whether the service desk works on ``day``: Monday to Friday, Saturday if set."""
        self.ensure_one()
        return day.weekday() < 5 or (day.weekday() == 5 and self.dealer_booking_saturday)
