# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, models
from odoo.tools import plaintext2html

_logger = logging.getLogger(__name__)


class DealerMessageSender(models.AbstractModel):
    """Batch sending shared by everything that writes to customers (reminders, surveys).

    The records have a ``partner_id`` and a chatter; they say how a failed one
    is recorded in ``_dealer_mark_send_failed``.
    """

    _name = "dealer.message.sender"
    _description = "Customer Message Sending"

    def _dealer_mark_send_failed(self, reason):
        raise NotImplementedError

    def _dealer_sms_suffix(self):
        """What ends this record's SMS (e.g. a marketing opt-out), or an empty string."""
        return ""

    def _dealer_isolate_failures(self, send):
        """Run ``send`` on the batch; if it fails, one by one, failing only the culprits."""
        try:
            with self.env.cr.savepoint():
                send(self)
            return
        except Exception:
            _logger.info(
                "Sending %s %s failed as a batch; retrying one by one", len(self), self._name, exc_info=True
            )
        for record in self:
            try:
                with self.env.cr.savepoint():
                    send(record)
            except Exception as error:
                _logger.warning("%s %s could not be sent: %s", self._name, record.id, error)
                record._dealer_mark_send_failed(_("Could not be sent: %(error)s", error=str(error)[:200]))

    def _dealer_queue_sms(self, template):
        """Render ``template`` for each record, log it on the record's chatter and queue the SMS."""
        bodies = template._render_field("body", self.ids, compute_lang=True)
        for record in self:
            suffix = record._dealer_sms_suffix()
            if suffix:
                bodies[record.id] = f"{bodies[record.id].rstrip()} {suffix}"
        messages = self._message_log_batch(
            bodies={record_id: plaintext2html(body) for record_id, body in bodies.items()},
            message_type="sms",
        )
        message_by_record = {message.res_id: message for message in messages}
        self.env["sms.sms"].sudo().create(  # SMS are queued by the system, not by the user's rights
            [
                {
                    "number": partner.phone_sanitized or partner.mobile or partner.phone,
                    "body": bodies[record.id],
                    "partner_id": partner.id,
                    "mail_message_id": message_by_record[record.id].id,
                    "state": "outgoing",
                }
                for record in self
                for partner in record.partner_id
            ]
        )
