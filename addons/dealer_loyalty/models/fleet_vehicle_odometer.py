# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .dealer_vehicle_service_prediction import plausible_readings


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
    dealer_review = fields.Selection(
        [("right", "Right"), ("wrong", "Wrong")],
        string="Checked",
        copy=False,
        help="Right: someone checked the reading, it is trusted even if it does not fit the others. "
        "Wrong: it is left out for good. A new value clears the check.",
    )

    @api.depends(
        "vehicle_id.dealer_odometer_ids.value",
        "vehicle_id.dealer_odometer_ids.date",
        "vehicle_id.dealer_odometer_ids.dealer_review",
        "vehicle_id.dealer_handover_date",
        "vehicle_id.dealer_condition",
    )
    def _compute_dealer_suspect(self):
        suspects = set()
        for vehicle in self.vehicle_id:
            max_daily_km = (vehicle.company_id or self.env.company).dealer_max_daily_km
            logs = vehicle.dealer_odometer_ids.filtered(lambda log: log.date and log.dealer_review != "wrong")
            # (date, km, position): the position tells equal readings apart.
            readings = [(log.date, log.value, index) for index, log in enumerate(logs, start=1)]
            pinned = [
                reading for reading, log in zip(readings, logs, strict=True) if log.dealer_review == "right"
            ]
            anchors = []
            if vehicle.dealer_condition == "new" and vehicle.dealer_handover_date:
                anchors.append((vehicle.dealer_handover_date, 0.0, 0))
            kept = {
                reading[2]
                for reading in plausible_readings(readings + anchors, max_daily_km, pinned, anchors)
            }
            suspects.update(
                log.id
                for index, log in enumerate(logs, start=1)
                if index not in kept and log.dealer_review != "right"
            )
            suspects.update(
                vehicle.dealer_odometer_ids.filtered(lambda log: log.dealer_review == "wrong").ids
            )
        for reading in self:
            reading.dealer_suspect = reading.id in suspects

    def write(self, vals):
        if "value" in vals and "dealer_review" not in vals:
            # A corrected value has not been checked yet.
            changed = self.filtered(lambda log: log.dealer_review and log.value != vals["value"])
            if changed:
                super(FleetVehicleOdometer, changed).write({"dealer_review": False})
        return super().write(vals)

    def action_dealer_confirm(self):
        """The reading is right after all (a car really driven that far)."""
        self.write({"dealer_review": "right"})
        return True

    def action_dealer_discard(self):
        """The reading is wrong: it stays on record, left out for good, until its value changes."""
        self.write({"dealer_review": "wrong"})
        return True
