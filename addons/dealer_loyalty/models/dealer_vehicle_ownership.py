# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

OWNERSHIP_END_REASONS = [
    ("sold", "Sold to another customer"),
    ("no_longer_owns", "No longer owns the vehicle"),
    ("scrapped", "Scrapped"),
    ("stolen", "Stolen"),
    ("other", "Other"),
]


class DealerVehicleOwnership(models.Model):
    _name = "dealer.vehicle.ownership"
    _description = "Vehicle Ownership"
    _order = "vehicle_id, date_start desc, id desc"

    vehicle_id = fields.Many2one("fleet.vehicle", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Owner", required=True, index=True, ondelete="restrict"
    )
    date_start = fields.Date(string="Owner Since", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="Owner Until")
    end_reason = fields.Selection(OWNERSHIP_END_REASONS)
    is_current = fields.Boolean(compute="_compute_is_current", store=True)
    company_id = fields.Many2one(related="vehicle_id.company_id", store=True, index=True)

    @api.depends("date_end")
    def _compute_is_current(self):
        for ownership in self:
            ownership.is_current = not ownership.date_end

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for ownership in self:
            if ownership.date_end and ownership.date_end < ownership.date_start:
                raise ValidationError(_("An ownership cannot end before it starts."))
