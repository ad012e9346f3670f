# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.dealer_vehicle_ownership import OWNERSHIP_END_REASONS


class DealerVehicleChangeOwner(models.TransientModel):
    _name = "dealer.vehicle.change.owner"
    _description = "Change Vehicle Owner"

    vehicle_id = fields.Many2one("fleet.vehicle", required=True, readonly=True)
    current_owner_id = fields.Many2one(related="vehicle_id.dealer_owner_id", string="Current Owner")
    new_owner_id = fields.Many2one(
        "res.partner",
        string="New Owner",
        help="Leave empty when the customer no longer owns the vehicle and the new owner is unknown.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    end_reason = fields.Selection(
        OWNERSHIP_END_REASONS,
        string="Reason",
        required=True,
        compute="_compute_end_reason",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("new_owner_id")
    def _compute_end_reason(self):
        for wizard in self:
            wizard.end_reason = "sold" if wizard.new_owner_id else "no_longer_owns"

    def action_confirm(self):
        self.ensure_one()
        if self.new_owner_id == self.current_owner_id:
            raise UserError(_("The new owner is the current owner."))
        self.vehicle_id.with_context(
            dealer_loyalty_ownership_end_reason=self.end_reason,
            dealer_loyalty_ownership_date=self.date,
        ).dealer_owner_id = self.new_owner_id
        return {"type": "ir.actions.act_window_close"}
