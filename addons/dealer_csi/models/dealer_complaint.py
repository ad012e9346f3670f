# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from odoo.addons.dealer_loyalty.models.dealer_visit import DEPARTMENTS

from .dealer_csi_config import BULK_CREATE_CONTEXT

SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]
RECEIVED_CHANNELS = [
    ("survey", "Satisfaction survey"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("showroom", "In person"),
    ("letter", "Letter"),
    ("online", "Website / social media"),
    ("manufacturer", "Via the manufacturer"),
]
# An unsatisfied re-survey raises the complaint's severity one level.
NEXT_SEVERITY = {"low": "medium", "medium": "high", "high": "critical"}
VERDICTS = [
    ("satisfied", "Satisfied"),
    ("partly", "Partly satisfied"),
    ("unsatisfied", "Not satisfied"),
]
# Recorded by the complaint's own flow: numbering, closing, scheduling the re-survey.
FLOW_FIELDS = frozenset({"reference", "date_closed", "resolution_days", "resurvey_date"})


class DealerComplaintStage(models.Model):
    _name = "dealer.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closes the Complaint",
        help="Complaints in this stage are resolved: they need a resolution, stop counting as open "
        "and get the re-survey.",
    )


class DealerComplaint(models.Model):
    _name = "dealer.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "dealer.csi.flow.fields"]
    _order = "priority desc, date_deadline, id desc"
    _check_company_auto = True

    reference = fields.Char(readonly=True, copy=False, default=lambda self: _("New"))
    name = fields.Char(string="Subject", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True
    )
    phone = fields.Char(related="partner_id.phone")
    email = fields.Char(related="partner_id.email")
    vehicle_id = fields.Many2one("fleet.vehicle", string="Vehicle", check_company=True)
    visit_id = fields.Many2one("dealer.visit", string="Visit", index="btree_not_null", check_company=True)
    department = fields.Selection(DEPARTMENTS, tracking=True)
    category_id = fields.Many2one("dealer.complaint.category", string="Category", tracking=True, index=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True)
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent")], compute="_compute_priority", store=True, readonly=False
    )
    channel = fields.Selection(RECEIVED_CHANNELS, string="Received Through", required=True, default="phone")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        check_company=True,
    )
    stage_id = fields.Many2one(
        "dealer.complaint.stage",
        string="Stage",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand="_read_group_expand_stages",
        default=lambda self: self.env["dealer.complaint.stage"].search([], limit=1),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, string="Resolved")
    date_received = fields.Datetime(
        string="Received", required=True, default=fields.Datetime.now, tracking=True
    )
    date_deadline = fields.Date(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="From the severity (days set in Settings); can be changed.",
    )
    date_closed = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    resolution_days = fields.Float(
        string="Days to Resolve", readonly=True, copy=False, aggregator="avg", digits=(6, 1)
    )
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    description = fields.Html(string="What the Customer Says")
    root_cause = fields.Text()
    resolution = fields.Text(tracking=True, help="What was done for the customer.")
    customer_verdict = fields.Selection(VERDICTS, string="Customer's Verdict", tracking=True)
    user_input_id = fields.Many2one(
        "survey.user_input", string="Survey Answers", readonly=True, index="btree_not_null"
    )
    survey_score = fields.Float(related="user_input_id.dealer_csi_score", string="CSI Score")
    survey_answers_html = fields.Html(
        string="Survey Answers Given", compute="_compute_survey_answers_html", sanitize=False
    )
    resurvey_date = fields.Date(string="Re-survey On", readonly=True, copy=False)
    resurvey_id = fields.Many2one("survey.user_input", string="Re-survey", readonly=True, copy=False)
    resurvey_score = fields.Float(related="resurvey_id.dealer_csi_score", string="Re-survey Score")
    color = fields.Integer()

    _dealer_flow_fields = FLOW_FIELDS

    @api.depends("severity")
    def _compute_priority(self):
        for complaint in self:
            complaint.priority = "1" if complaint.severity in ("high", "critical") else "0"

    @api.depends("severity", "date_received", "company_id")
    def _compute_date_deadline(self):
        for complaint in self:
            # The dealership's day, whoever records the complaint (the survey page, a daily job).
            company = complaint.company_id or self.env.company
            received = company._dealer_local_now(complaint.date_received or fields.Datetime.now()).date()
            days = complaint.company_id[f"dealer_complaint_days_{complaint.severity or 'medium'}"]
            complaint.date_deadline = received + timedelta(days=days)

    @api.depends("user_input_id")
    def _compute_survey_answers_html(self):
        # The answers that opened the complaint are part of it: everyone who
        # handles complaints reads them here, whoever the visit's advisor was
        # (the answer set itself stays behind the CSI rules).
        for complaint in self:
            lines = complaint.user_input_id.sudo().user_input_line_ids.filtered(lambda line: not line.skipped)
            complaint.survey_answers_html = (
                self.env["ir.qweb"]._render("dealer_csi.complaint_survey_answers", {"lines": lines})
                if lines
                else False
            )

    @api.depends("date_deadline", "is_closed")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            complaint.is_overdue = bool(
                not complaint.is_closed and complaint.date_deadline and complaint.date_deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise ValidationError(_("Overdue can only be searched as true or false."))
        overdue = [
            ("is_closed", "=", False),
            ("date_deadline", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == bool(value):
            return overdue
        return ["!", "&", *overdue]

    @api.model
    def _read_group_expand_stages(self, stages, domain):
        return stages.search([], order=stages._order)

    @api.constrains("stage_id", "resolution")
    def _check_resolution(self):
        for complaint in self:
            if complaint.is_closed and not (complaint.resolution or "").strip():
                raise ValidationError(
                    _(
                        "Complaint %(complaint)s cannot be closed without a resolution: write down "
                        "what was done for the customer.",
                        complaint=complaint.reference,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def _dealer_check_handler(self, vals_list, creating=False):
        """Whoever handles a complaint reads the survey answers behind it (see the
        record rules): linking answers to complaints is the surveys' doing, and
        handing a complaint over is a CSI manager's (or the escalation's)."""
        if self.env.su or self.env.user.has_group("dealer_csi.dealer_csi_group_manager"):
            return
        if any(vals.get("user_input_id") or vals.get("resurvey_id") for vals in vals_list):
            raise AccessError(
                _("Survey answers are attached to complaints by the satisfaction surveys only.")
            )
        if not creating and any(
            "user_id" in vals and complaint.user_id.id != vals["user_id"]
            for vals in vals_list
            for complaint in self
        ):
            raise AccessError(
                _("Only a CSI manager can hand a complaint over to someone else: ask yours to reassign it.")
            )

    def _dealer_flow_fields_refusal(self, labels):
        return _(
            "%(fields)s: set by the complaint's own flow (its number when it is registered, the dates "
            "when it is resolved), never by hand.",
            fields=labels,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._dealer_check_handler(vals_list, creating=True)
        self._dealer_check_flow_fields(vals_list, creating=True)
        for vals in vals_list:
            if vals.get("reference", _("New")) == _("New"):
                vals["reference"] = self.env["ir.sequence"].next_by_code("dealer.complaint") or _("New")
        complaints = super().create(vals_list)
        complaints.filtered("is_closed")._dealer_on_closed()
        for complaint in complaints.filtered(lambda complaint: complaint.user_id and not complaint.is_closed):
            # On the responsible's own to-do list, due on the complaint's deadline.
            complaint._message_subscribe(partner_ids=complaint.user_id.partner_id.ids)
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=complaint.date_deadline,
                user_id=complaint.user_id.id,
                summary=_("Resolve complaint %(reference)s", reference=complaint.reference),
            )
        return complaints

    def write(self, vals):
        self._dealer_check_handler([vals])
        self._dealer_check_flow_fields([vals])
        was_closed = {complaint.id: complaint.is_closed for complaint in self}
        res = super().write(vals)
        if "stage_id" in vals:
            self.filtered(
                lambda complaint: complaint.is_closed and not was_closed[complaint.id]
            )._dealer_on_closed()
            self.filtered(
                lambda complaint: not complaint.is_closed and was_closed[complaint.id]
            )._dealer_write_flow({"date_closed": False, "resolution_days": 0.0, "resurvey_date": False})
        if {"user_id", "severity", "date_received", "company_id"} & vals.keys():
            # The to-do follows the complaint: on the list of whoever handles it now, due on its deadline.
            for complaint in self.filtered(lambda complaint: complaint.user_id):
                complaint._dealer_to_dos().write(
                    {"user_id": complaint.user_id.id, "date_deadline": complaint.date_deadline}
                )
        return res

    def _dealer_to_dos(self):
        """The open to-dos of the complaints' responsibles."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        return self.activity_ids.filtered(lambda activity: activity.activity_type_id == todo)

    def _dealer_on_closed(self):
        now = fields.Datetime.now()
        self._dealer_to_dos().action_feedback(feedback=_("Complaint resolved."))
        for complaint in self:
            complaint._dealer_write_flow(
                {
                    "date_closed": now,
                    "resolution_days": (now - complaint.date_received).total_seconds() / 86400.0,
                    "resurvey_date": (
                        complaint.company_id._dealer_local_now(now).date()
                        + timedelta(days=complaint.company_id.dealer_csi_resurvey_days)
                        if complaint.company_id.dealer_csi_recovery_survey_id and not complaint.resurvey_id
                        else False
                    ),
                }
            )

    # ------------------------------------------------------------
    # RE-SURVEY
    # ------------------------------------------------------------

    def _dealer_create_resurveys(self, today=None):
        """Create the re-surveys of the complaints resolved long enough ago:
        of these complaints, or of all when called on none (the daily run).

        The complaints are chosen set-based and claimed (locked, skipping
        those another run holds); their re-surveys are created through the
        ORM like the visit invitations, then linked. A run that committed
        meanwhile makes the claim fail with a serialization failure, as it
        linked the complaints: a re-run never asks twice.

        :param today: the day the run is for (default: today)
        :return: the number of re-surveys created
        """
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        # The rows are the re-surveys' own values, by field name.
        self.env.cr.execute(
            SQL(
                """
                SELECT rc.dealer_csi_recovery_survey_id AS survey_id, c.partner_id, p.email,
                       p.name AS nickname, 'recovery' AS dealer_kind, c.id AS dealer_complaint_id,
                       c.visit_id AS dealer_visit_id, c.company_id AS dealer_company_id,
                       c.vehicle_id AS dealer_vehicle_id, c.department AS dealer_department,
                       v.user_id AS dealer_advisor_id, c.user_id AS dealer_agent_id,
                       CASE WHEN p.email IS NOT NULL AND p.email != '' THEN 'email' ELSE 'phone' END
                           AS dealer_channel,
                       'to_send' AS dealer_csi_state, v.date AS dealer_visit_date
                  FROM dealer_complaint c
                  JOIN res_company rc ON rc.id = c.company_id
                  JOIN res_partner p ON p.id = c.partner_id
                  LEFT JOIN dealer_visit v ON v.id = c.visit_id
                 WHERE c.resurvey_date <= %(today)s
                   AND c.resurvey_id IS NULL
                   AND c.is_closed
                   AND rc.dealer_csi_recovery_survey_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM survey_user_input i
                                    WHERE i.dealer_complaint_id = c.id AND i.dealer_kind = 'recovery')
                   AND (%(all)s OR c.id IN %(ids)s)
                 ORDER BY c.id
                   FOR NO KEY UPDATE OF c SKIP LOCKED
                """,
                today=today,
                all=not self,
                ids=tuple(self.ids) or (0,),
            )
        )
        by_survey = defaultdict(list)
        for vals in self.env.cr.dictfetchall():
            by_survey[vals["survey_id"]].append(vals)
        Config = self.env["dealer.csi.config"]
        created = sum(
            Config._dealer_create_answers(self.env["survey.survey"].browse(survey_id), vals_list)
            for survey_id, vals_list in by_survey.items()
        )
        if created:
            claimed = [vals["dealer_complaint_id"] for vals_list in by_survey.values() for vals in vals_list]
            resurveys = self.env["survey.user_input"].search(
                [("dealer_kind", "=", "recovery"), ("dealer_complaint_id", "in", claimed)]
            )
            # The system links the re-surveys; users may not (see _dealer_check_handler).
            for resurvey in resurveys.sudo().with_context(**BULK_CREATE_CONTEXT):
                resurvey.dealer_complaint_id.resurvey_id = resurvey
        return created

    def _dealer_record_resurvey(self):
        """The re-survey was answered: its score gives the customer's verdict, unless staff set one.

        A customer still unsatisfied reopens the complaint, one severity
        higher, with the department manager.
        """
        threshold = {company: company.dealer_csi_complaint_threshold for company in self.company_id}
        for complaint in self:
            if not complaint.resurvey_id.dealer_is_scored:
                # No score question answered: no verdict to draw, and nothing to escalate on.
                complaint.message_post(body=_("The customer answered the re-survey without scoring it."))
                continue
            score = complaint.resurvey_id.dealer_csi_score
            limit = threshold[complaint.company_id]
            verdict = "satisfied" if score >= 80 else "partly" if score >= limit else "unsatisfied"
            if not complaint.customer_verdict:
                complaint.customer_verdict = verdict
            complaint.message_post(
                body=_("The customer answered the re-survey: %(score)s / 100.", score=round(score))
            )
            if verdict == "unsatisfied":
                complaint._dealer_escalate(complaint.resurvey_id)

    def _dealer_escalate(self, answers):
        """Reopen the complaint one severity higher, with the department manager, the customer's words quoted."""
        self.ensure_one()
        manager = self._dealer_department_manager() or self.user_id
        severity = NEXT_SEVERITY.get(self.severity, self.severity)
        reopened = self.env["dealer.complaint.stage"].search([("is_closed", "=", False)], limit=1)
        today = self.company_id._dealer_local_now().date()
        # The escalation hands the complaint to the manager, which users may not do by hand.
        self._dealer_write_flow(
            {
                "stage_id": reopened.id if self.is_closed and reopened else self.stage_id.id,
                "severity": severity,
                "user_id": manager.id,
                "customer_verdict": "unsatisfied",
                "date_deadline": today + timedelta(days=self.company_id[f"dealer_complaint_days_{severity}"]),
                "description": (self.description or Markup())
                + self._dealer_quote(answers._dealer_customer_comments(), _("After the resolution")),
            }
        )
        self._message_subscribe(partner_ids=manager.partner_id.ids)
        summary = _("Customer still not satisfied: %(reference)s", reference=self.reference)
        to_dos = self._dealer_to_dos()  # still open, moved to the manager by the write above
        if to_dos:
            to_dos.write({"summary": summary})
        else:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.date_deadline,
                user_id=manager.id,
                summary=summary,
            )
        self.message_post(
            body=_(
                "The customer is still not satisfied (re-survey %(score)s / 100): the complaint is reopened "
                "and escalated to %(manager)s.",
                score=round(answers.dealer_csi_score),
                manager=manager.name,
            )
        )

    def _dealer_department_manager(self):
        self.ensure_one()
        config = (
            self.env["dealer.csi.config"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.company_id.id), ("department", "=", self.department)], limit=1)
        )
        return config.manager_id

    @api.model
    def _dealer_quote(self, comments, heading):
        """The customer's words as quotes, for "What the customer says"."""
        if not comments:
            return Markup()
        quotes = Markup().join(
            Markup("<blockquote><p>%s</p><footer>%s</footer></blockquote>") % (text, question)
            for question, text in comments
        )
        return Markup("<p><strong>%s</strong></p>%s") % (heading, quotes)

    @api.model
    def _dealer_open_from_answers(self, answers):
        """Service recovery: a low CSI or a detractor opens a complaint, or a call-back (Settings).

        A detractor (would not recommend us, 0-6) counts even when the CSI
        score is above the threshold.
        """
        todo = answers.filtered(
            lambda answer: answer.dealer_kind == "visit" and not answer.dealer_complaint_ids
        )
        low = todo.filtered(
            lambda answer: answer.dealer_is_scored
            and answer.dealer_csi_score < answer.dealer_company_id.dealer_csi_complaint_threshold
        )
        detractors = (todo - low).filtered(lambda answer: answer.dealer_nps_class == "detractor")
        action = {answer: answer.dealer_company_id.dealer_csi_detractor_action for answer in detractors}
        to_complain = low | detractors.filtered(lambda answer: action[answer] == "complaint")
        configs = {
            (config.company_id.id, config.department): config
            for config in self.env["dealer.csi.config"]
            .with_context(active_test=False)
            .search([("company_id", "in", todo.dealer_company_id.ids)])
        }
        for answer in detractors.filtered(lambda answer: action[answer] == "activity"):
            config = configs.get((answer.dealer_company_id.id, answer.dealer_department))
            # sudo: the customer's answers schedule the call-back whoever submits them.
            answer.sudo().activity_schedule(
                "mail.mail_activity_data_call",
                user_id=(config.manager_id if config else answer.dealer_advisor_id).id or self.env.uid,
                summary=_(
                    "Call back %(customer)s: would not recommend us (%(nps)s/10)",
                    customer=answer.partner_id.name,
                    nps=answer.dealer_nps_score,
                ),
                note=self._dealer_quote(answer._dealer_customer_comments(), _("The customer says")),
            )
        # sudo: the customer's answers open the complaint whoever they are: the
        # complaint belongs to the dealership, not to the customer answering.
        return self.sudo().create(
            [
                answer._dealer_complaint_values(
                    configs.get((answer.dealer_company_id.id, answer.dealer_department))
                )
                for answer in to_complain
            ]
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_survey_answers(self):
        self.ensure_one()
        return self.user_input_id._dealer_form_action()
