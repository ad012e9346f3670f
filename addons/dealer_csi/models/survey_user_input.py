# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.dealer_loyalty.models.dealer_visit import DEPARTMENTS

from .dealer_csi_config import CSI_CHANNELS

CSI_KINDS = [("visit", "After a visit"), ("recovery", "After a complaint")]
CSI_STATES = [
    ("to_send", "To Send"),
    ("sent", "Sent"),
    ("to_call", "To Call"),
    ("answered", "Answered"),
    ("expired", "Call Expired"),
    ("skipped", "Skipped"),
    ("failed", "Failed"),
]
# Invitations an agent may still fill in for the customer.
FILLABLE_STATES = ("to_send", "sent", "to_call", "expired")
NPS_CLASSES = [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor")]
# Invitations sent per batch; a batch that fails is retried one by one.
DISPATCH_BATCH_SIZE = 500
# Invitations a cron run sends before it hands over to the next run.
DISPATCH_RUN_LIMIT = 5000


def nps_class(value):
    """The NPS class of a 0-10 'would you recommend us' answer."""
    if value >= 9:
        return "promoter"
    if value >= 7:
        return "passive"
    return "detractor"


class SurveyUserInput(models.Model):
    _name = "survey.user_input"
    _inherit = ["survey.user_input", "dealer.message.sender"]

    dealer_kind = fields.Selection(CSI_KINDS, string="CSI Survey", readonly=True)
    dealer_visit_id = fields.Many2one("dealer.visit", string="Visit", readonly=True, index="btree_not_null")
    dealer_visit_date = fields.Date(string="Visit Date", readonly=True)
    dealer_complaint_id = fields.Many2one(
        "dealer.complaint", string="Complaint Re-surveyed", readonly=True, index="btree_not_null"
    )
    dealer_company_id = fields.Many2one(
        "res.company", string="Company", readonly=True, index="btree_not_null"
    )
    dealer_vehicle_id = fields.Many2one("fleet.vehicle", string="Vehicle", readonly=True)
    dealer_department = fields.Selection(DEPARTMENTS, string="Department", readonly=True)
    dealer_advisor_id = fields.Many2one(
        "res.users",
        string="Advisor / Salesperson",
        readonly=True,
        index="btree_not_null",
        help="The advisor or salesperson of the visit the survey is about.",
    )
    dealer_agent_id = fields.Many2one(
        "res.users", string="Call Agent", index="btree_not_null", help="Makes the follow-up call."
    )
    dealer_channel = fields.Selection(CSI_CHANNELS, string="Channel")
    dealer_partner_phone = fields.Char(related="partner_id.phone", string="Customer Phone")
    dealer_partner_mobile = fields.Char(related="partner_id.mobile", string="Customer Mobile")
    dealer_can_fill_in = fields.Boolean(compute="_compute_dealer_can_fill_in")
    dealer_csi_state = fields.Selection(CSI_STATES, string="Invitation", index="btree_not_null", copy=False)
    dealer_reason = fields.Char(string="Why", help="Why the invitation was skipped, failed or expired.")
    dealer_invited_on = fields.Date(string="Invited On", readonly=True, index="btree_not_null")
    dealer_call_deadline = fields.Date(string="Call By", readonly=True)
    dealer_csi_score = fields.Float(
        string="CSI Score",
        compute="_compute_dealer_scores",
        store=True,
        compute_sudo=True,
        aggregator="avg",
        digits=(5, 1),
        help="0-100: the CSI questions' answers, each scaled to 0-100, averaged.",
    )
    dealer_nps_score = fields.Integer(
        string="Recommend (0-10)", compute="_compute_dealer_scores", store=True, compute_sudo=True
    )
    dealer_nps_class = fields.Selection(
        NPS_CLASSES, string="NPS Class", compute="_compute_dealer_scores", store=True, compute_sudo=True
    )
    dealer_is_scored = fields.Boolean(compute="_compute_dealer_scores", store=True, compute_sudo=True)
    dealer_complaint_ids = fields.One2many("dealer.complaint", "user_input_id", string="Complaints")

    def init(self):
        res = super().init()
        # "Never twice": one invitation per visit, one re-survey per complaint,
        # whatever runs at the same time.
        for index_name, column, kind in (
            ("survey_user_input_dealer_visit_uniq", "dealer_visit_id", "visit"),
            ("survey_user_input_dealer_complaint_uniq", "dealer_complaint_id", "recovery"),
        ):
            if not tools.index_exists(self._cr, index_name):
                self._cr.execute(
                    SQL(
                        "CREATE UNIQUE INDEX %s ON %s (%s) WHERE dealer_kind = %s",
                        SQL.identifier(index_name),
                        SQL.identifier(self._table),
                        SQL.identifier(column),
                        kind,
                    )
                )
        return res

    # ------------------------------------------------------------
    # SCORES
    # ------------------------------------------------------------

    @api.depends(
        "state",
        "user_input_line_ids.value_scale",
        "user_input_line_ids.suggested_answer_id",
        "user_input_line_ids.skipped",
    )
    def _compute_dealer_scores(self):
        for user_input in self:
            scores, recommend = [], None
            if user_input.state == "done" and user_input.survey_id.survey_type == "dealer_csi":
                for line in user_input.user_input_line_ids:
                    role = line.question_id.dealer_csi_role
                    if not role or line.skipped:
                        continue
                    value = line._dealer_scaled_value()
                    if value is None:
                        continue
                    if role == "recommend" and line.answer_type == "scale":
                        recommend = line.value_scale
                    elif role == "score":
                        scores.append(value)
            user_input.dealer_is_scored = bool(scores)
            user_input.dealer_csi_score = sum(scores) / len(scores) if scores else 0.0
            user_input.dealer_nps_score = recommend if recommend is not None else 0
            user_input.dealer_nps_class = nps_class(recommend) if recommend is not None else False

    @api.depends_context("uid")
    @api.depends("state", "dealer_csi_state", "dealer_agent_id")
    def _compute_dealer_can_fill_in(self):
        for answer in self:
            answer.dealer_can_fill_in = bool(answer.id) and answer._dealer_may_fill_in()

    def _mark_done(self):
        res = super()._mark_done()
        csi = self.filtered("dealer_kind")
        if csi:
            csi.dealer_csi_state = "answered"
            csi.activity_ids.action_feedback(feedback=_("Survey answered."))
            csi._dealer_open_low_score_complaints()
            csi.filtered(
                lambda answer: answer.dealer_kind == "recovery"
            ).dealer_complaint_id._dealer_record_resurvey()
        return res

    def _dealer_open_low_score_complaints(self):
        """Open a complaint for the department manager for each low-scored visit survey."""
        low = self.filtered(
            lambda answer: answer.dealer_kind == "visit"
            and answer.dealer_is_scored
            and answer.dealer_csi_score < answer.dealer_company_id.dealer_csi_complaint_threshold
            and not answer.dealer_complaint_ids
        )
        if not low:
            return self.env["dealer.complaint"]
        configs = {
            (config.company_id.id, config.department): config
            for config in self.env["dealer.csi.config"]
            .with_context(active_test=False)
            .search([("company_id", "in", low.dealer_company_id.ids)])
        }
        # The customer's answers open the complaint whoever they are: the
        # complaint belongs to the dealership, not to the customer answering.
        return (
            self.env["dealer.complaint"]
            .sudo()
            .create(
                [
                    answer._dealer_low_score_complaint_values(
                        configs.get((answer.dealer_company_id.id, answer.dealer_department))
                    )
                    for answer in low
                ]
            )
        )

    def _dealer_low_score_complaint_values(self, config):
        score = self.dealer_csi_score
        return {
            "name": _(
                "Low CSI score (%(score)s) after %(visit)s",
                score=round(score),
                visit=self.dealer_visit_id.name,
            ),
            "partner_id": self.partner_id.id,
            "vehicle_id": self.dealer_vehicle_id.id,
            "visit_id": self.dealer_visit_id.id,
            "company_id": self.dealer_company_id.id,
            "department": self.dealer_department,
            "user_id": (config.manager_id if config else self.dealer_advisor_id).id,
            "user_input_id": self.id,
            "channel": "survey",
            "severity": "high" if score < 30 else "medium",
        }

    # ------------------------------------------------------------
    # INVITATIONS
    # ------------------------------------------------------------

    @api.model
    def _dealer_dispatch_invitations(self, limit=DISPATCH_RUN_LIMIT):
        """Send the invitations waiting to be sent, by channel, in batches.

        Contact checks (blacklist, consent when the setting asks for it,
        contact data) skip with the reason; a failing batch is retried one
        by one so only the culprit fails. Returns the number still waiting.
        """
        today = fields.Date.context_today(self)
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
                if channel == "phone":
                    invitations._dealer_open_calls(today)
                else:
                    invitations._dealer_isolate_failures(
                        lambda answers, config=config, channel=channel: answers._dealer_send(
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
        skipped = self.filtered(lambda answer: answer.partner_id.id in refusals or not answer.partner_id)
        for reason, answers in skipped.grouped(
            lambda answer: reasons.get(refusals.get(answer.partner_id.id), no_customer)
        ).items():
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
        else:
            template = (config and config.sms_template_id) or self.env.ref(
                "dealer_csi.sms_template_csi_invitation"
            )
            self._dealer_queue_sms(template)
        self.write({"dealer_csi_state": "sent", "dealer_invited_on": today})

    def _dealer_open_calls(self, today):
        """Put the invitations on their agent's call list, as phone-call activities."""
        call_type = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": answer.id,
                    "activity_type_id": call_type.id,
                    "user_id": (answer.dealer_agent_id or self.env.user).id,
                    "date_deadline": today,
                    "summary": _("Satisfaction call: %(customer)s", customer=answer.partner_id.name),
                }
                for answer in self
            ]
        )
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
        """Drop the follow-up calls nobody made in time, with their activities."""
        today = today or fields.Date.context_today(self)
        expired = self.search([("dealer_csi_state", "=", "to_call"), ("dealer_call_deadline", "<", today)])
        if not expired:
            return expired
        expired.activity_ids.unlink()
        expired.write({"dealer_csi_state": "expired", "dealer_reason": _("Nobody made the call in time.")})
        return expired

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _dealer_answers_action(self, name, domain, context=None):
        """The CSI answer list (its own views, not the survey app's) on ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_csi.dealer_csi_answer_action")
        action.update({"name": name, "domain": domain, "context": context or {}})
        return action

    def _dealer_may_fill_in(self):
        """Whether the current user may fill this survey in for the customer:
        the call agent it was given to, or a CSI manager, while it is open."""
        self.ensure_one()
        user = self.env.user
        return (
            self.state != "done"
            and self.dealer_csi_state in FILLABLE_STATES
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
        return {"type": "ir.actions.act_url", "url": self.get_start_url(), "target": "self"}

    def action_dealer_not_reached(self):
        """The customer could not be reached or did not want to answer: close the call."""
        open_calls = self.filtered(
            lambda answer: answer.dealer_csi_state == "to_call" and answer._dealer_may_fill_in()
        )
        open_calls.activity_ids.action_feedback(feedback=_("Customer not reached."))
        open_calls.write({"dealer_csi_state": "failed", "dealer_reason": _("Customer not reached.")})
        return True

    def action_dealer_open_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "dealer.complaint",
            "view_mode": "form",
            "res_id": self.dealer_complaint_ids[:1].id,
        }


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    dealer_score = fields.Float(
        string="Score (0-100)",
        compute="_compute_dealer_score",
        store=True,
        aggregator="avg",
        help="The answer scaled to 0-100, for CSI questions.",
    )

    @api.depends("value_scale", "suggested_answer_id", "skipped", "question_id.dealer_csi_role")
    def _compute_dealer_score(self):
        for line in self:
            value = line._dealer_scaled_value() if line.question_id.dealer_csi_role == "score" else None
            line.dealer_score = value or 0.0

    def _dealer_scaled_value(self):
        """The answer on a 0-100 scale, or None when it does not score."""
        question = self.question_id
        if self.skipped:
            return None
        if self.answer_type == "scale":
            span = question.scale_max - question.scale_min
            return (self.value_scale - question.scale_min) * 100.0 / span if span else None
        if self.answer_type == "suggestion" and self.suggested_answer_id:
            best = max(question.suggested_answer_ids.mapped("answer_score") or [0.0])
            return self.suggested_answer_id.answer_score * 100.0 / best if best > 0 else None
        return None
