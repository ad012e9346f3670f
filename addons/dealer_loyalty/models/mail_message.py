# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _find_allowed_model_wise(self, doc_model, doc_dict):
        """Searching a vehicle's messages asks what reading them asks.

        Mail searches messages with the document's read access only; a vehicle
        asks more of portal customers (see ``fleet.vehicle._get_mail_message_access``).
        """
        if doc_model != "fleet.vehicle":
            return super()._find_allowed_model_wise(doc_model, doc_dict)
        vehicles = self.env[doc_model].browse(doc_dict).with_context(active_test=False)
        operation = vehicles._get_mail_message_access(list(doc_dict), "read")
        allowed = vehicles._filtered_access(operation)
        return {message_id for vehicle_id in allowed.ids for message_id in doc_dict[vehicle_id]}
