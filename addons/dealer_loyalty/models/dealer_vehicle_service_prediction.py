# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools.misc import format_date, formatLang

# Below this span between the first and last plausible reading, a daily
# mileage estimate is noise (two readings a day apart say nothing).
MIN_MILEAGE_SPAN_DAYS = 14
# The driving of this last stretch (days) gives the km a day used for predictions.
RECENT_MILEAGE_DAYS = 365

SERVICE_RULES = [
    ("time", "Time since last service"),
    ("mileage", "Mileage since last service"),
    ("first_time", "First service: time since handover"),
    ("first_mileage", "First service: mileage since handover"),
    ("handover", "No service yet: time since handover"),
    ("none", "Not enough data"),
]


def plausible_readings(readings, max_daily_km, pinned=(), anchors=()):
    """The odometer readings that tell one consistent story, oldest first.

    Two readings agree when the later one is not lower and implies at most
    ``max_daily_km`` a day since the earlier. The kept readings are the
    longest chain in which each agrees with the one before: one typo (an
    extra digit, a reading going backwards) is outvoted by the readings
    around it. Between chains of equal length, the one with the earlier
    readings wins: history stands until later readings say otherwise.

    :param readings: iterable of (date, km, ...) tuples, in any order
    :param max_daily_km: the highest plausible average daily mileage
    :param pinned: readings known to be right (confirmed by staff): the
        chain keeps as many of them as it can, before anything else
    :param anchors: readings that are likely right (0 km at a new car's
        handover): kept over ordinary readings
    :return: list of the kept tuples, oldest first
    """
    pinned, anchors = set(pinned), set(anchors)

    def agrees(older, newer):
        if newer[1] < older[1]:
            return False
        days = (newer[0] - older[0]).days
        return newer[1] - older[1] <= max_daily_km * max(days, 1)

    ordered = sorted(readings)
    weights = [(reading in pinned, reading in anchors) for reading in ordered]
    best = []  # per reading: (score, chain of indices) of the best chain ending there
    for index, reading in enumerate(ordered):
        chain = [index]
        score = (weights[index][0], weights[index][1], 1)
        for previous in range(index):
            if not agrees(ordered[previous], reading):
                continue
            previous_score, previous_chain = best[previous]
            candidate = (
                previous_score[0] + weights[index][0],
                previous_score[1] + weights[index][1],
                previous_score[2] + 1,
            )
            # Higher score first; at equal score, the chain of earlier readings.
            if candidate > score or (candidate == score and previous_chain + [index] < chain):
                score, chain = candidate, previous_chain + [index]
        best.append((score, chain))
    if not best:
        return []
    top = max(score for score, _chain in best)
    chain = min(chain for score, chain in best if score == top)
    return [ordered[index] for index in chain]


def daily_mileage(readings):
    """Average km a day of the recent driving, 0 when unknown.

    The readings of the last year (before the latest reading) say how the
    car is driven now; without two of them far enough apart, the whole
    history.
    """
    if len(readings) < 2:
        return 0.0
    latest = readings[-1][0]
    recent = [reading for reading in readings if reading[0] >= latest - timedelta(days=RECENT_MILEAGE_DAYS)]
    for span in (recent, readings):
        (first_date, first_km), (last_date, last_km) = span[0], span[-1]
        days = (last_date - first_date).days
        if days >= MIN_MILEAGE_SPAN_DAYS:
            return round((last_km - first_km) / days, 2)
    return 0.0


def predict_next_service(plan, last_service, readings, daily_km, handover_date, is_new):
    """Predict the next service: the earlier of the time and the mileage limit.

    :param plan: dict with interval_km, interval_months, first_km, first_months
    :param last_service: (date, km) of the last maintenance visit, or None
    :param readings: plausible (date, km) readings, oldest first
    :param daily_km: average daily mileage (0 when unknown)
    :param handover_date: delivery date to the customer, or None
    :param is_new: whether the vehicle was sold new (first service applies)
    :return: (date or False, due km or 0, rule)
    """
    if last_service:
        start_date, start_km = last_service
        months, km = plan["interval_months"], plan["interval_km"]
        time_rule, mileage_rule = "time", "mileage"
    elif handover_date and is_new:
        start_date, start_km = handover_date, 0
        months, km = plan["first_months"], plan["first_km"]
        time_rule, mileage_rule = "first_time", "first_mileage"
    elif handover_date:
        start_date, start_km = handover_date, 0
        months, km = plan["interval_months"], 0
        time_rule, mileage_rule = "handover", "handover"
    else:
        return False, 0, "none"
    candidates = []
    if months:
        candidates.append((start_date + relativedelta(months=months), time_rule))
    due_km = start_km + km if km else 0
    if km and daily_km > 0:
        reference_date, reference_km = readings[-1] if readings else (start_date, start_km)
        if reference_date < start_date:
            reference_date, reference_km = start_date, start_km
        days_left = max((due_km - reference_km) / daily_km, 0)
        candidates.append((reference_date + timedelta(days=round(days_left)), mileage_rule))
    if not candidates:
        return False, due_km, "none"
    due_date, rule = min(candidates)
    return due_date, due_km, rule


class DealerVehicleServicePrediction(models.AbstractModel):
    """When a vehicle's next service is due, predicted from its service visits and odometer readings.

    Inherited by ``fleet.vehicle``, whose maintenance visits, odometer
    readings, handover date, condition (new or used) and service plan (the
    vehicle's, its model's or its company's intervals) the prediction reads.
    """

    _name = "dealer.vehicle.service.prediction"
    _description = "Vehicle Service Prediction"

    dealer_last_service_date = fields.Date(
        string="Last Service", compute="_compute_dealer_service_plan", store=True
    )
    dealer_last_service_odometer = fields.Integer(
        string="Last Service Odometer", compute="_compute_dealer_service_plan", store=True
    )
    dealer_daily_mileage = fields.Float(
        string="Average Daily Mileage",
        compute="_compute_dealer_service_plan",
        store=True,
        digits=(16, 1),
        help="Kilometres a day, estimated from the plausible odometer readings.",
    )
    dealer_next_service_date = fields.Date(
        string="Next Service (predicted)", compute="_compute_dealer_service_plan", store=True, index=True
    )
    dealer_next_service_km = fields.Integer(
        string="Next Service At (km)", compute="_compute_dealer_service_plan", store=True
    )
    dealer_next_service_rule = fields.Selection(
        SERVICE_RULES, string="Decided By", compute="_compute_dealer_service_plan", store=True
    )
    dealer_first_service_due = fields.Date(
        string="First Service Due",
        compute="_compute_dealer_service_plan",
        store=True,
        help="A new car's first service, until a maintenance visit is recorded.",
    )
    dealer_next_service_explanation = fields.Char(
        string="Why this date", compute="_compute_dealer_next_service_explanation"
    )

    def _dealer_service_plan_values(self):
        """The effective service plan: the vehicle's, else its model's, else its company's."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return {
            "interval_km": self.dealer_service_interval_km
            or self.model_id.dealer_service_interval_km
            or company.dealer_service_interval_km,
            "interval_months": self.dealer_service_interval_months
            or self.model_id.dealer_service_interval_months
            or company.dealer_service_interval_months,
            "first_km": company.dealer_first_service_km,
            "first_months": company.dealer_first_service_months,
            "max_daily_km": company.dealer_max_daily_km,
        }

    @api.depends(
        "dealer_visit_ids.state",
        "dealer_visit_ids.date",
        "dealer_visit_ids.odometer",
        "dealer_visit_ids.is_maintenance",
        "dealer_odometer_ids.value",
        "dealer_odometer_ids.date",
        "dealer_odometer_ids.dealer_suspect",
        "dealer_handover_date",
        "dealer_condition",
        "dealer_service_interval_km",
        "dealer_service_interval_months",
        "model_id.dealer_service_interval_km",
        "model_id.dealer_service_interval_months",
    )
    def _compute_dealer_service_plan(self):
        last_services, readings_by_vehicle = self._dealer_fetch_service_history()
        plans = {}
        for vehicle in self:
            plan_key = (
                vehicle.company_id,
                vehicle.model_id,
                vehicle.dealer_service_interval_km,
                vehicle.dealer_service_interval_months,
            )
            plan = plans.get(plan_key) or plans.setdefault(plan_key, vehicle._dealer_service_plan_values())
            last_service = last_services.get(vehicle.id)
            readings = list(readings_by_vehicle.get(vehicle.id, []))
            if vehicle.dealer_condition == "new" and vehicle.dealer_handover_date:
                readings.append((vehicle.dealer_handover_date, 0.0))
            readings = plausible_readings(readings, plan["max_daily_km"])
            daily = daily_mileage(readings)
            is_new = vehicle.dealer_condition == "new"
            due_date, due_km, rule = predict_next_service(
                plan, last_service, readings, daily, vehicle.dealer_handover_date, is_new
            )
            vehicle.dealer_last_service_date = last_service[0] if last_service else False
            vehicle.dealer_last_service_odometer = last_service[1] if last_service else 0
            vehicle.dealer_daily_mileage = daily
            vehicle.dealer_next_service_date = due_date
            vehicle.dealer_next_service_km = due_km
            vehicle.dealer_next_service_rule = rule
            first_due = False
            # Once a maintenance visit is done, the first service is behind the car, however early.
            if is_new and vehicle.dealer_handover_date and not last_service:
                first_due = predict_next_service(
                    plan, None, readings, daily, vehicle.dealer_handover_date, True
                )[0]
            vehicle.dealer_first_service_due = first_due

    def _dealer_fetch_service_history(self):
        """Last maintenance visit and odometer readings of the vehicles, in two queries.

        :return: ({vehicle id: (date, km)}, {vehicle id: [(date, km), ...]})
        """
        stored = self.filtered("id")
        saved_ids = [vehicle_id for vehicle_id in stored._ids if isinstance(vehicle_id, int)]
        last_services, readings = {}, {}
        if saved_ids:
            self.env["dealer.visit"].flush_model(
                ["vehicle_id", "state", "is_maintenance", "date", "odometer"]
            )
            self.env["fleet.vehicle.odometer"].flush_model(
                ["vehicle_id", "date", "value", "dealer_suspect", "dealer_visit_id"]
            )
            # A suspect reading says nothing of the km at that service: None, estimated below.
            # One index lookup per vehicle (LATERAL): during a large import the
            # statistics still describe the tables before it, and a plan over all
            # the vehicles at once chosen on those can read every visit per vehicle.
            self.env.cr.execute(
                """
                SELECT vehicle.id, last.date, last.km
                  FROM unnest(%s::int[]) AS vehicle (id)
            CROSS JOIN LATERAL (
                       SELECT visit.date, CASE WHEN reading.dealer_suspect THEN NULL ELSE visit.odometer END AS km
                         FROM dealer_visit visit
                    LEFT JOIN fleet_vehicle_odometer reading ON reading.dealer_visit_id = visit.id
                        WHERE visit.vehicle_id = vehicle.id AND visit.state = 'done' AND visit.is_maintenance
                     ORDER BY visit.date DESC, visit.odometer DESC, visit.id DESC
                        LIMIT 1
                   ) last
                """,
                [saved_ids],
            )
            last_services = {vehicle_id: (day, km) for vehicle_id, day, km in self.env.cr.fetchall()}
            self.env.cr.execute(
                """
                SELECT vehicle_id, date, value FROM fleet_vehicle_odometer
                 WHERE vehicle_id = ANY(%s) AND date IS NOT NULL AND dealer_suspect IS NOT TRUE
                """,
                [saved_ids],
            )
            for vehicle_id, day, km in self.env.cr.fetchall():
                readings.setdefault(vehicle_id, []).append((day, km))
        # Records being edited in a form are not in the database yet: read them through the ORM.
        for vehicle in self - self.browse(saved_ids):
            services = vehicle.dealer_visit_ids.filtered(lambda v: v.state == "done" and v.is_maintenance)
            last = max(services, key=lambda v: (v.date, v.odometer, v.id), default=None)
            if last:
                last_services[vehicle.id] = (last.date, last.odometer)
            readings[vehicle.id] = [
                (log.date, log.value)
                for log in vehicle.dealer_odometer_ids
                if log.date and not log.dealer_suspect
            ]
        for vehicle_id, (day, km) in last_services.items():
            if km is None:
                before = [value for reading_day, value in readings.get(vehicle_id, []) if reading_day <= day]
                last_services[vehicle_id] = (day, max(before, default=0))
            elif not km:
                last_services[vehicle_id] = (day, 0)
        return last_services, readings

    @api.depends("dealer_next_service_rule", "dealer_next_service_date", "dealer_daily_mileage")
    def _compute_dealer_next_service_explanation(self):
        for vehicle in self:
            vehicle.dealer_next_service_explanation = vehicle._dealer_explain_next_service()

    def _dealer_explain_next_service(self):
        """One sentence telling the user which rule decided the predicted date."""
        self.ensure_one()
        plan = self._dealer_service_plan_values()
        rule = self.dealer_next_service_rule
        values = {
            "months": plan["interval_months"],
            "first_months": plan["first_months"],
            "km": formatLang(self.env, self.dealer_next_service_km, digits=0),
            "first_km": formatLang(self.env, plan["first_km"], digits=0),
            "daily": formatLang(self.env, round(self.dealer_daily_mileage), digits=0),
            "last_service": format_date(self.env, self.dealer_last_service_date),
            "handover": format_date(self.env, self.dealer_handover_date),
        }
        if rule == "time" and self.dealer_daily_mileage:
            return _(
                "Time decides: %(months)s months after the last service (%(last_service)s), "
                "before the car reaches %(km)s km at about %(daily)s km a day.",
                **values,
            )
        if rule == "time":
            return _(
                "Time decides: %(months)s months after the last service (%(last_service)s); "
                "the daily mileage is not known yet.",
                **values,
            )
        if rule == "mileage":
            return _(
                "Mileage decides: at about %(daily)s km a day the car reaches %(km)s km "
                "before the %(months)s-month limit.",
                **values,
            )
        if rule == "first_time":
            return _(
                "First service: %(first_months)s months after handover (%(handover)s), "
                "before the car reaches %(first_km)s km.",
                **values,
            )
        if rule == "first_mileage":
            return _(
                "First service: at about %(daily)s km a day the car reaches %(first_km)s km "
                "before %(first_months)s months after handover.",
                **values,
            )
        if rule == "handover":
            return _("No service recorded yet: %(months)s months after handover (%(handover)s).", **values)
        return _("No service visit and no handover date: nothing to predict from.")

    def _dealer_recompute_service_plan(self):
        """Recompute predictions after a change the ORM cannot see (company settings)."""
        if not self:
            return
        fnames = [
            name for name, field in self._fields.items() if field.compute == "_compute_dealer_service_plan"
        ]
        for fname in fnames:
            self.env.add_to_compute(self._fields[fname], self)
        self._recompute_recordset(fnames)
