# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, fields, models
from odoo.exceptions import UserError


class DealerPointsStatement(models.TransientModel):
    _name = "dealer.points.statement"
    _inherit = ["dealer.membership.card.wizard"]
    _description = "Points Statement Period"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=12),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    def action_print(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(_("The period ends before it starts."))
        return self.env.ref("dealer_membership.action_report_dealer_points_statement").report_action(
            self.card_id,
            data={
                "card_ids": self.card_id.ids,
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
            config=False,
        )
