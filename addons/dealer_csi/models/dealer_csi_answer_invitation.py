# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools.misc import format_date

CSI_STATES = [
    ("to_send", "To Send"),
    ("sent", "Sent"),
    ("to_call", "To Call"),
    ("answered", "Answered"),
    ("expired", "Expired"),
    ("skipped", "Skipped"),
    ("failed", "Failed"),
    ("withdrawn", "Withdrawn"),
]
# Invitations that reached the customer (or were on a call list): the response rate's base.
INVITED_STATES = ("sent", "to_call", "answered", "expired", "failed")
# Invitations that can still be answered (by the customer, or by an agent for them).
FILLABLE_STATES = ("to_send", "sent", "to_call")
# Invitations sent per batch; a batch that fails is retried one by one.
DISPATCH_BATCH_SIZE = 500
# Invitations a cron run sends before it hands over to the next run.
DISPATCH_RUN_LIMIT = 5000


class DealerCsiAnswerInvitation(models.AbstractModel):
    """A CSI answer set as an invitation: sent by e-mail or SMS, withdrawn, restored, expired.

    Inherited by ``survey.user_input``; it says how a failed sending is
    recorded (``_dealer_mark_send_failed``) for the sender.
    """

    _name = "dealer.csi.answer.invitation"
    _description = "Invitations"
    _inherit = ["dealer.message.sender"]

    dealer_csi_state = fields.Selection(CSI_STATES, string="Invitation", index="btree_not_null", copy=False)
    dealer_reason = fields.Char(string="Why", help="Why the invitation was skipped, failed or expired.")
    dealer_invited_on = fields.Date(string="Invited On", readonly=True, index="btree_not_null")
    dealer_withdrawn_from = fields.Selection(
        CSI_STATES, string="State Before Withdrawal", readonly=True, copy=False
    )

    @api.model
    def _dealer_dispatch_invitations(self, limit=DISPATCH_RUN_LIMIT):
        """Send the invitations waiting to be sent, by channel, in batches.

        Contact checks (blacklist, consent when the setting asks for it,
        contact data) skip with the reason; a failing batch is retried one
        by one so only the culprit fails. Returns the number still waiting.
        """
        pending = self.search([("dealer_csi_state", "=", "to_send")], order="id", limit=limit)
        configs = {
            (config.company_id.id, config.department): config
            for config in self.env["dealer.csi.config"]
            .with_context(active_test=False)
            .search([("company_id", "in", pending.dealer_company_id.ids)])
        }
        for start in range(0, len(pending), DISPATCH_BATCH_SIZE):
            batch = pending[start : start + DISPATCH_BATCH_SIZE]
            for (company_id, department, channel), invitations in batch.grouped(
                lambda answer: (answer.dealer_company_id.id, answer.dealer_department, answer.dealer_channel)
            ).items():
                config = configs.get((company_id, department))
                invitations = invitations._dealer_skip_uncontactable(
                    channel, bool(config and config.consent_required)
                )
                if not invitations:
                    continue
                # The day the invitation goes out is the dealership's: its answer window counts from it.
                company = self.env["res.company"].browse(company_id)
                today = company._dealer_local_now().date() if company else fields.Date.context_today(self)
                if channel == "phone":
                    invitations._dealer_open_calls(today)
                else:
                    invitations._dealer_isolate_failures(
                        lambda answers, config=config, channel=channel, today=today: answers._dealer_send(
                            config, channel, today
                        )
                    )
        if pending.filtered(lambda answer: answer.dealer_csi_state == "sent"):
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()
        remaining = self.search_count([("dealer_csi_state", "=", "to_send")])
        if remaining:
            self.env.ref("dealer_csi.ir_cron_dealer_csi_invitations")._trigger()
        return remaining

    def _dealer_skip_uncontactable(self, channel, consent):
        """Skip the invitations whose customer cannot be reached on ``channel``; return the rest."""
        refusals = self.partner_id._dealer_contact_refusals(channel, consent)
        reasons = {
            "blacklisted": _("The customer's contact is blacklisted."),
            "no_consent": _("No marketing consent for this channel."),
            "no_address": _("No contact data for this channel."),
        }
        no_customer = _("No customer.")
        # Archived since the invitation was made (merged into another, left us): as the run
        # that makes invitations, the sending asks only active customers.
        archived = _("The customer is archived.")

        def skip_reason(answer):
            if answer.partner_id and not answer.partner_id.active:
                return archived
            return reasons.get(refusals.get(answer.partner_id.id), no_customer)

        skipped = self.filtered(
            lambda answer: answer.partner_id.id in refusals
            or not answer.partner_id
            or not answer.partner_id.active
        )
        for reason, answers in skipped.grouped(skip_reason).items():
            answers.write({"dealer_csi_state": "skipped", "dealer_reason": reason})
        return self - skipped

    def _dealer_mark_send_failed(self, reason):
        self.write({"dealer_csi_state": "failed", "dealer_reason": reason})

    def _dealer_send(self, config, channel, today):
        if channel == "email":
            template = (config and config.mail_template_id) or self.env.ref(
                "dealer_csi.mail_template_csi_invitation"
            )
            self._dealer_queue_mails(template)
            sent = self
        else:
            template = (config and config.sms_template_id) or self.env.ref(
                "dealer_csi.sms_template_csi_invitation"
            )
            sent = self._dealer_queue_sms(template)
        sent.write({"dealer_csi_state": "sent", "dealer_invited_on": today})

    def _dealer_withdraw(self, reason):
        """Take the invitations out of the figures: unanswered ones close, answered ones stop counting."""
        for state, answers in (
            self.filtered(lambda answer: answer.dealer_csi_state != "withdrawn")
            .grouped("dealer_csi_state")
            .items()
        ):
            answers._dealer_drop_calls()
            answers.write(
                {"dealer_csi_state": "withdrawn", "dealer_withdrawn_from": state, "dealer_reason": reason}
            )

    def _dealer_restore(self):
        """Put withdrawn invitations back where they were; a dropped call goes back in the queue."""
        for state, answers in self.grouped("dealer_withdrawn_from").items():
            answers.write(
                {
                    "dealer_csi_state": "to_send" if state in (False, "to_call") else state,
                    "dealer_withdrawn_from": False,
                    "dealer_reason": False,
                }
            )

    @api.model
    def _dealer_close_answer_windows(self, now=None):
        """Expire the invitations whose answer window has passed unanswered."""
        lapsed = self.search(
            [
                ("dealer_kind", "!=", False),
                ("dealer_csi_state", "in", FILLABLE_STATES),
                ("state", "!=", "done"),
                ("deadline", "<", now or fields.Datetime.now()),
            ]
        )
        if lapsed:
            lapsed._dealer_drop_calls()
            lapsed.write(
                {
                    "dealer_csi_state": "expired",
                    "dealer_reason": _("Not answered in time."),
                    "dealer_callback_at": False,
                }
            )
        return lapsed

    # ------------------------------------------------------------
    # VISIT CORRECTIONS
    # ------------------------------------------------------------

    def _dealer_post_correction_note(self, body):
        """Note a visit's correction on its survey, in the name of whoever corrected it.

        The visit is corrected by dealership users who may have no e-mail
        address (the DMS connection, a clerk): then the note is the system's,
        and its text names them.
        """
        author = self.env["res.partner"]._dealer_note_author()
        # sudo: the answer set is closed to the users correcting its visit; the note is the trace.
        for answer in self.sudo():
            answer.message_post(body=body, author_id=author.id)

    def _dealer_note_answers_moved(self, values):
        """Note an answered survey moving to another advisor or month (``values``: what it is about to get)."""
        self.ensure_one()
        moves = []
        advisor = values.get("dealer_advisor_id")
        if advisor is not None and advisor != self.dealer_advisor_id:
            moves.append(
                _(
                    "from %(old)s to %(new)s",
                    old=self.dealer_advisor_id.name or _("no advisor"),
                    new=advisor.name or _("no advisor"),
                )
            )
        moved_to = values.get("dealer_visit_date")
        old_date = self.dealer_visit_date
        if moved_to and old_date and (moved_to.year, moved_to.month) != (old_date.year, old_date.month):
            moves.append(
                _(
                    "from the month of %(old)s to %(new)s",
                    old=format_date(self.env, old_date, date_format="LLLL y"),
                    new=format_date(self.env, moved_to, date_format="LLLL y"),
                )
            )
        if moves:
            self._dealer_post_correction_note(
                _(
                    "%(user)s corrected the visit: these answers (CSI %(score)s / 100) moved %(moves)s.",
                    user=self.env.user.name,
                    score=round(self.dealer_csi_score),
                    moves="; ".join(moves),
                )
            )
