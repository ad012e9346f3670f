# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class FleetVehicleModel(models.Model):
    _inherit = "fleet.vehicle.model"

    dealer_service_interval_km = fields.Integer(
        string="Service Every (km)", help="Leave empty to use the company default."
    )
    dealer_service_interval_months = fields.Integer(
        string="Service Every (months)", help="Leave empty to use the company default."
    )
