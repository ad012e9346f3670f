# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .fleet_vehicle import plausible_readings


class FleetVehicleOdometer(models.Model):
    _inherit = "fleet.vehicle.odometer"

    # Readings are read per vehicle for every mileage estimate.
    vehicle_id = fields.Many2one(index=True)
    dealer_visit_id = fields.Many2one(
        "dealer.visit", string="Visit", index="btree_not_null", ondelete="cascade", readonly=True
    )
    dealer_suspect = fields.Boolean(
        string="Suspect",
        compute="_compute_dealer_suspect",
        store=True,
        help="The reading does not fit the vehicle's other readings (it goes backwards, or implies more "
        "kilometres a day than the company's maximum). It is left out of the mileage estimate until "
        "someone confirms or corrects it.",
    )
    dealer_confirmed = fields.Boolean(
        string="Confirmed",
        copy=False,
        help="Someone checked this reading: it is trusted even if it does not fit the others.",
    )

    @api.depends(
        "vehicle_id.dealer_odometer_ids.value",
        "vehicle_id.dealer_odometer_ids.date",
        "vehicle_id.dealer_odometer_ids.dealer_confirmed",
        "vehicle_id.dealer_handover_date",
        "vehicle_id.dealer_condition",
    )
    def _compute_dealer_suspect(self):
        suspects = set()
        for vehicle in self.vehicle_id:
            max_daily_km = (vehicle.company_id or self.env.company).dealer_max_daily_km
            logs = vehicle.dealer_odometer_ids.filtered("date")
            # (date, km, position): the position tells equal readings apart.
            readings = [(log.date, log.value, index) for index, log in enumerate(logs, start=1)]
            pinned = [reading for reading, log in zip(readings, logs, strict=True) if log.dealer_confirmed]
            if vehicle.dealer_condition == "new" and vehicle.dealer_handover_date:
                handover = (vehicle.dealer_handover_date, 0.0, 0)
                readings.append(handover)
                pinned.append(handover)
            kept = {reading[2] for reading in plausible_readings(readings, max_daily_km, pinned)}
            suspects.update(log.id for index, log in enumerate(logs, start=1) if index not in kept)
        for reading in self:
            reading.dealer_suspect = reading.id in suspects

    def action_dealer_confirm(self):
        """The reading is right after all (a car really driven that far)."""
        self.write({"dealer_confirmed": True})
        return True

    def action_dealer_discard(self):
        """Forget a wrong reading: a visit keeps no odometer, any other reading is deleted."""
        if self.filtered("dealer_confirmed"):
            raise UserError(_("A confirmed reading cannot be discarded: correct its value instead."))
        from_visits = self.filtered("dealer_visit_id")
        from_visits.dealer_visit_id.write({"odometer": 0})
        (self - from_visits).exists().unlink()
        return True
