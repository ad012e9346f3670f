# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime


class DealerCsiAnswerCall(models.AbstractModel):
    """A CSI answer set on the phone channel: the follow-up call, its attempts and its expiry.

    Inherited by ``survey.user_input``; it fills in the sender's call-list
    hooks (``_dealer_call_task``, ``_dealer_calls_opened``).
    """

    _name = "dealer.csi.answer.call"
    _description = "Survey Calls"
    _inherit = ["dealer.message.sender"]

    dealer_agent_id = fields.Many2one(
        "res.users", string="Call Agent", index="btree_not_null", help="Makes the follow-up call."
    )
    dealer_call_deadline = fields.Date(string="Call By", readonly=True)
    dealer_call_attempts = fields.Integer(string="Call Attempts", readonly=True, copy=False)
    dealer_callback_at = fields.Datetime(
        string="Call Back At", copy=False, help="When to try the customer again."
    )
    dealer_call_note = fields.Text(string="Call Notes", copy=False)

    def _dealer_call_task(self):
        return {
            "user": self.dealer_agent_id,
            "summary": _("Satisfaction call: %(customer)s", customer=self.partner_id.name),
        }

    def _dealer_calls_opened(self, today):
        for company, answers in self.grouped("dealer_company_id").items():
            answers.write(
                {
                    "dealer_csi_state": "to_call",
                    "dealer_invited_on": today,
                    "dealer_call_deadline": today + timedelta(days=company.dealer_csi_call_expiry_days),
                }
            )

    @api.model
    def _dealer_expire_calls(self, today=None):
        """Drop the follow-up calls nobody made in time and close the lapsed answer windows."""
        today = today or fields.Date.context_today(self)
        expired = self.search([("dealer_csi_state", "=", "to_call"), ("dealer_call_deadline", "<", today)])
        if expired:
            expired._dealer_drop_calls()
            expired.write(
                {"dealer_csi_state": "expired", "dealer_reason": _("Nobody made the call in time.")}
            )
        return expired | self._dealer_close_answer_windows()

    def _dealer_may_fill_in(self):
        """Whether the current user may fill this survey in for the customer:
        the call agent it was given to, or a CSI manager, while it is open."""
        self.ensure_one()
        user = self.env.user
        company = self.sudo().dealer_company_id
        return (
            not self._dealer_answer_refusal()
            and (not company or company in user.company_ids)
            and (self.sudo().dealer_agent_id == user or user.has_group("dealer_csi.dealer_csi_group_manager"))
        )

    def action_dealer_fill_in(self):
        """Open the survey for the agent to fill in on the customer's behalf."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(
                _("%(customer)s has already answered this survey.", customer=self.partner_id.name)
            )
        if not self._dealer_may_fill_in():
            raise UserError(
                _("Only the call agent or a CSI manager can fill in this survey while it is open.")
            )
        # sudo: the link carries the customer's token, which CSI users may not read;
        # the agent (or manager) was checked above.
        return {"type": "ir.actions.act_url", "url": self.sudo().get_start_url(), "target": "self"}

    def action_dealer_not_reached(self):
        """The customer did not answer the phone: try again later, until the attempts run out."""
        open_calls = self.filtered(
            lambda answer: answer.dealer_csi_state == "to_call" and answer._dealer_may_fill_in()
        )
        now = fields.Datetime.now()
        early = open_calls.filtered(
            lambda answer: answer.dealer_callback_at and answer.dealer_callback_at > now
        )
        if early:
            raise UserError(
                _(
                    "The next call to %(customer)s is due %(when)s: an earlier try does not count as an attempt.",
                    customer=early[0].partner_id.name,
                    when=format_datetime(self.env, early[0].dealer_callback_at, dt_format="short"),
                )
            )
        for answer in open_calls:
            company = answer.dealer_company_id or self.env.company
            attempts = answer.dealer_call_attempts + 1
            callback = now + timedelta(hours=company.dealer_csi_call_retry_hours)
            callback_day = fields.Date.context_today(answer, callback)
            reason = _("Customer not reached after %(count)s calls.", count=attempts)
            if not answer._dealer_call_unanswered(
                attempts, company.dealer_csi_call_max_attempts, callback_day, reason
            ):
                answer._dealer_write_flow(
                    {
                        "dealer_csi_state": "failed",
                        "dealer_reason": reason,
                        "dealer_call_attempts": attempts,
                        "dealer_callback_at": False,
                    }
                )
                continue
            answer._dealer_write_flow(
                {
                    "dealer_call_attempts": attempts,
                    "dealer_callback_at": callback,
                    "dealer_call_deadline": max(answer.dealer_call_deadline or callback_day, callback_day),
                    "dealer_reason": _(
                        "Not reached (call %(count)s); call again %(when)s.",
                        count=attempts,
                        when=format_datetime(self.env, callback, dt_format="short"),
                    ),
                }
            )
        return True
