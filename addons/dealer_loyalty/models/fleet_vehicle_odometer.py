# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class FleetVehicleOdometer(models.Model):
    _inherit = "fleet.vehicle.odometer"

    # Readings are read per vehicle for every mileage estimate.
    vehicle_id = fields.Many2one(index=True)
    dealer_visit_id = fields.Many2one(
        "dealer.visit", string="Visit", index="btree_not_null", ondelete="cascade", readonly=True
    )
