# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _prepare_body_values(self, records):
        """The suite's messages may end with a fixed text, e.g. a marketing SMS's opt-out."""
        bodies = super()._prepare_body_values(records)
        if isinstance(records, self.pool["dealer.message.sender"]):
            for record in records:
                suffix = record._dealer_sms_suffix()
                if suffix:
                    bodies[record.id] = f"{bodies[record.id].rstrip()} {suffix}"
        return bodies
