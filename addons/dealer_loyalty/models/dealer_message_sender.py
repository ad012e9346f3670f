# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import uuid

from lxml import etree, html
from markupsafe import Markup

from odoo import _, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

# What a batch mail renders besides the body, as mail.template.send_mail_batch does.
MAIL_RENDER_FIELDS = (
    "auto_delete",
    "email_cc",
    "email_from",
    "email_to",
    "mail_server_id",
    "model",
    "partner_to",
    "reply_to",
    "res_id",
    "scheduled_date",
    "subject",
)

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

    def _dealer_mail_endings(self):
        """What ends each record's e-mail after its template's body (e.g. a personal link).

        :return: {record id: Markup}, records without an ending left out
        """
        return {}

    def _dealer_isolate_failures(self, send):
        """Run ``send`` on the batch; if it fails, one by one, failing only the culprits."""
        try:
            with self.env.cr.savepoint():
                send(self)
            return
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            # Another run is sending these records right now: nothing failed. The
            # whole run is rolled back and run again on fresh data (Odoo retries a
            # request; the hourly job comes back), which finds them sent.
            raise
        except Exception:
            _logger.info(
                "Sending %s %s failed as a batch; retrying one by one", len(self), self._name, exc_info=True
            )
        for record in self:
            try:
                with self.env.cr.savepoint():
                    send(record)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:
                _logger.warning("%s %s could not be sent: %s", self._name, record.id, error)
                record._dealer_mark_send_failed(_("Could not be sent: %(error)s", error=str(error)[:200]))

    # ------------------------------------------------------------
    # CALLS: one call-list mechanism for everything that phones customers
    # ------------------------------------------------------------

    def _dealer_call_task(self):
        """What the call task of this record says: {"user": res.users, "summary": str, "note": html}."""
        raise NotImplementedError

    def _dealer_calls_opened(self, today):
        """Record that the calls are on the call list from ``today`` (the records' own state)."""
        raise NotImplementedError

    def _dealer_open_calls(self, today):
        """Put the records on their callers' call lists, as phone-call activities due ``today``."""
        if not self:
            return
        call_type = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id(self._name)
        tasks = [(record, record._dealer_call_task()) for record in self]
        # Assigned quietly: the call list is the caller's queue, not an e-mail per call.
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "activity_type_id": call_type.id,
                    "user_id": (task["user"] or self.env.user).id,
                    "date_deadline": today,
                    "summary": task["summary"],
                    "note": task.get("note") or False,
                }
                for record, task in tasks
            ]
        )
        self._dealer_calls_opened(today)

    def _dealer_call_unanswered(self, attempts, max_attempts, next_call, feedback):
        """Count an unanswered call of this record.

        The call task comes back on the date ``next_call`` while attempts are
        left; after the last one it is closed with ``feedback``.

        :return: whether another attempt is planned
        """
        self.ensure_one()
        if attempts >= max_attempts:
            self.activity_ids.action_feedback(feedback=feedback)
            return False
        self.activity_ids.write({"date_deadline": next_call})
        return True

    def _dealer_drop_calls(self):
        """Take the records' open calls off the call lists (expired, withdrawn, settled elsewhere)."""
        self.activity_ids.unlink()

    def _dealer_queue_sms(self, template):
        """Queue ``template``'s SMS to the records' customers through Odoo's mass SMS.

        Core renders the bodies in each customer's language, sanitises the
        numbers with the customer's country, cancels blacklisted numbers and
        logs each SMS on its record. The records whose SMS core cancelled are
        marked failed with core's reason.

        :return: the records whose SMS is queued
        """
        all_sms = self._message_sms_schedule_mass(template=template, mass_keep_log=True)
        # Core creates one SMS per record, in the records' order.
        failures = dict(self.env["sms.sms"]._fields["failure_type"]._description_selection(self.env))
        cancelled = self.browse()
        for record, sms in zip(self, all_sms, strict=True):
            if sms.state == "canceled":
                record._dealer_mark_send_failed(failures.get(sms.failure_type) or _("The SMS was cancelled."))
                cancelled |= record
        return self - cancelled

    def _dealer_queue_mails(self, template):
        """Render ``template`` for the records and queue their e-mails, as
        ``mail.template.send_mail_batch`` does, in one batch.

        Core compiles the QWeb body once per record; here it is compiled once
        per language for all records (``_dealer_render_bodies``). The messages
        are created first, then their e-mails: created through the e-mail,
        each message body would be sanitised a third time, for the e-mail's
        cache, which is most of the creation's cost. Templates with a layout
        or attachments go through ``send_mail_batch``.

        :return: the queued ``mail.mail``
        """
        endings = self._dealer_mail_endings()
        if template.email_layout_xmlid or template.attachment_ids or template.report_template_ids:
            mails = template.send_mail_batch(self.ids)
            for mail in mails.filtered(lambda mail: mail.res_id in endings):
                mail.body_html = Markup(mail.body_html or "") + endings[mail.res_id]
            return mails
        template._send_check_access(self.ids)
        rendered = template._generate_template(self.ids, MAIL_RENDER_FIELDS)
        bodies = self._dealer_render_bodies(template)
        for res_id, ending in endings.items():
            bodies[res_id] = Markup(bodies[res_id] or "") + ending
        # Queued by the system: the customers' e-mails are not the user's messages.
        Mail = self.env["mail.mail"].sudo()
        message_values, mail_values = [], []
        for record in self:
            values = rendered[record.id]
            values.update(body=bodies[record.id], body_html=bodies[record.id])
            values["recipient_ids"] = [(4, pid) for pid in values.pop("partner_ids", None) or []]
            if "email_from" in values and not values["email_from"]:
                values.pop("email_from")
            message_values.append(
                {"message_type": "email_outgoing"}  # the e-mail's default for its message
                | {fname: value for fname, value in values.items() if Mail._fields[fname].inherited}
            )
            mail_values.append(
                {"is_notification": False}  # as created with its message: not a notification
                | {fname: value for fname, value in values.items() if not Mail._fields[fname].inherited}
            )
        messages = self.env["mail.message"].sudo().create(message_values)
        for values, message in zip(mail_values, messages, strict=True):
            values["mail_message_id"] = message.id
        return Mail.create(mail_values)

    def _dealer_render_bodies(self, template):
        """The body of ``template`` rendered for each record: {record id: body}.

        The body is rendered in one QWeb call per language, looping over the
        records with ``object`` bound to each as core binds it, a separator
        between them; the local links are then made absolute, as core does.
        """
        if not self:
            return {}
        separator = Markup(f"<!--dealer-{uuid.uuid4().hex}-->")
        bodies = {}
        for lang_template, res_ids in template._classify_per_lang(self.ids).values():
            source = lang_template.body_html
            if not source:
                bodies.update(dict.fromkeys(res_ids, ""))
                continue
            root = html.fragment_fromstring(source, create_parent="div")
            loop = etree.Element("t", {"t-foreach": "dealer_records", "t-as": "object"})
            loop.text, root.text = root.text, None
            loop.extend(list(root))
            etree.SubElement(loop, "t", {"t-out": "dealer_separator"})
            root.append(loop)
            variables = lang_template._render_eval_context()
            # In the language's environment, as core binds ``object``: what the records
            # write themselves (a title, a number's digit grouping) reads as the customer reads.
            lang_env = lang_template.env
            variables.update(dealer_records=lang_env[self._name].browse(res_ids), dealer_separator=separator)
            rendered = lang_env["ir.qweb"]._render(root, variables)[5:-6]  # without the wrapping <div>
            bodies.update(zip(res_ids, rendered.split(separator)[: len(res_ids)], strict=True))
        return template._render_template_postprocess(self._name, bodies)
