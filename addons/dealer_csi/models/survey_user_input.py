# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import copy
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.dealer_loyalty.models.dealer_visit import DEPARTMENTS

from .dealer_csi_answer_invitation import FILLABLE_STATES
from .dealer_csi_config import CSI_CHANNELS

CSI_KINDS = [("visit", "After a visit"), ("recovery", "After a complaint")]
# What a CSI user may write on an answer set: the call's outcome. Everything
# else (scores, state, advisor, visit) is written by the survey flow only.
CALL_OUTCOME_FIELDS = frozenset({"dealer_callback_at", "dealer_call_note"})
# Managers also hand calls to agents.
MANAGER_FIELDS = CALL_OUTCOME_FIELDS | {"dealer_agent_id"}
NPS_CLASSES = [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor")]
# Contacts and visits shown on a call card.
CARD_HISTORY = 5


def nps_class(value):
    """The NPS class of a 0-10 'would you recommend us' answer."""
    if value >= 9:
        return "promoter"
    if value >= 7:
        return "passive"
    return "detractor"


class SurveyUserInput(models.Model):
    _name = "survey.user_input"
    _inherit = [
        "survey.user_input",
        "dealer.csi.answer.invitation",
        "dealer.csi.answer.call",
        "dealer.csi.flow.fields",
        # Last: the invitation and call mixins fill in its hooks.
        "dealer.message.sender",
    ]

    # The customer's key to their survey: whoever holds it answers as the customer.
    # CSI users read answers and work calls without it (an agent opens the survey
    # through action_dealer_fill_in); survey managers and the sending flow use it.
    access_token = fields.Char(groups="survey.group_survey_user")
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
    dealer_channel = fields.Selection(CSI_CHANNELS, string="Channel")
    dealer_partner_phone = fields.Char(related="partner_id.phone", string="Customer Phone")
    dealer_partner_mobile = fields.Char(related="partner_id.mobile", string="Customer Mobile")
    dealer_can_fill_in = fields.Boolean(compute="_compute_dealer_can_fill_in")
    # The stored scores are computed before the insert (precompute): invitations
    # are created by the thousand, and a second write of every new row (an
    # UPDATE through all the table's indexes) would cost more than the insert.
    # (compute and store restated: a field defined here alone would warn that
    # precompute needs them.)
    scoring_percentage = fields.Float(compute="_compute_scoring_values", store=True, precompute=True)
    scoring_total = fields.Float(compute="_compute_scoring_values", store=True, precompute=True)
    scoring_success = fields.Boolean(compute="_compute_scoring_success", store=True, precompute=True)
    dealer_csi_score = fields.Float(
        string="CSI Score",
        compute="_compute_dealer_scores",
        store=True,
        precompute=True,
        compute_sudo=True,
        aggregator="avg",
        digits=(5, 1),
        help="0-100: the CSI questions' answers, each scaled to 0-100, averaged.",
    )
    dealer_nps_score = fields.Integer(
        string="Recommend (0-10)",
        compute="_compute_dealer_scores",
        store=True,
        precompute=True,
        compute_sudo=True,
    )
    dealer_nps_class = fields.Selection(
        NPS_CLASSES,
        string="NPS Class",
        compute="_compute_dealer_scores",
        store=True,
        precompute=True,
        compute_sudo=True,
    )
    dealer_is_scored = fields.Boolean(
        compute="_compute_dealer_scores", store=True, precompute=True, compute_sudo=True
    )
    dealer_complaint_ids = fields.One2many("dealer.complaint", "user_input_id", string="Complaints")
    dealer_is_csi_manager = fields.Boolean(compute="_compute_dealer_is_csi_manager")
    # The call card: what was done on the visit and how the customer was last in touch.
    dealer_visit_line_ids = fields.One2many(related="dealer_visit_id.line_ids", string="Work Done")
    dealer_last_contact_ids = fields.Many2many(
        "dealer.contact.log", compute="_compute_dealer_customer_history", string="Last Contacts"
    )
    dealer_last_visit_ids = fields.Many2many(
        "dealer.visit", compute="_compute_dealer_customer_history", string="Last Visits"
    )

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
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        surveys = self.env["survey.survey"].browse({vals.get("survey_id") for vals in vals_list} - {None})
        csi_surveys = set(surveys.filtered(lambda survey: survey.survey_type == "dealer_csi").ids)
        for vals in vals_list:
            flow_values = any(name.startswith("dealer_") for name in vals)
            if vals.get("survey_id") not in csi_surveys and not flow_values:
                continue
            if not self.env.su and flow_values:
                raise AccessError(
                    _("Satisfaction survey invitations are created by the surveys' schedule only.")
                )
            if vals.get("test_entry"):
                # A manager's test run of the survey: never about a visit, never in the figures.
                if flow_values:
                    raise AccessError(_("A test run of a satisfaction survey is not about a visit."))
                continue
            # "Take Again" or a hand-made answer set would count nothing and
            # leave the customer believing they changed their answers.
            if not vals.get("dealer_kind") or vals.get("survey_id") not in csi_surveys:
                raise UserError(_("A satisfaction survey is answered through its invitation only, once."))
        return super().create(vals_list)

    def _add_precomputed_values(self, vals_list):
        """Compute the stored figures once per distinct set of the values they depend on.

        The ORM computes them on a new record per answer set. Invitations are
        created by the thousand with the same survey, questions and state and
        no answers, so they share their figures: those of the first of each
        group are given to the others. Sound as long as the computations read
        only what they depend on, which the recomputation of stored fields
        assumes as well.

        Answer sets created with their answers (a copy) are left to the
        computation after the insert: an answer's score is set when the
        answer itself is created, after the answer set's figures.
        """
        dependencies = self._dealer_precompute_dependencies()
        after_insert = [name for name in dependencies if self._fields[name].type == "one2many"]
        precomputable = {name for name, field in self._fields.items() if field.precompute}
        groups = defaultdict(list)
        for vals in vals_list:
            if any(vals.get(name) for name in after_insert):
                continue
            key = tuple(repr(vals[name]) if name in vals else None for name in dependencies)
            groups[key, frozenset(precomputable.intersection(vals))].append(vals)
        for first, *others in groups.values():
            super()._add_precomputed_values([first])
            precomputed = first.get("__precomputed__", ())
            for vals in others:
                vals.update({field.name: copy.deepcopy(first[field.name]) for field in precomputed})
                vals["__precomputed__"] = set(precomputed)
        return None

    @api.model
    def _dealer_precompute_dependencies(self):
        """The fields the precomputed fields are computed from, through computed and related ones."""
        names, seen = set(), set()
        todo = [field for field in self._fields.values() if field.precompute]
        while todo:
            field = todo.pop()
            if field in seen:
                continue
            seen.add(field)
            for path in self.pool.field_depends[field]:
                dependency = self._fields[path.split(".")[0]]
                names.add(dependency.name)
                if dependency.compute or dependency.related:
                    todo.append(dependency)
        return sorted(names)

    def write(self, vals):
        if not self.env.su and self._dealer_write_touches_csi(vals):
            allowed = (
                MANAGER_FIELDS
                if self.env.user.has_group("dealer_csi.dealer_csi_group_manager")
                else CALL_OUTCOME_FIELDS
            )
            forced = {
                name
                for name in vals
                if name not in allowed and not name.startswith(("message_", "activity_"))
            }
            if forced:
                labels = ", ".join(
                    sorted(self._fields[name]._description_string(self.env) for name in forced)
                )
                raise AccessError(
                    _(
                        "%(fields)s of a satisfaction survey are set by the survey itself (the customer's "
                        "answers, the visit and the invitation's progress); you can record the call's "
                        "outcome only.",
                        fields=labels,
                    )
                )
        if "dealer_invited_on" in vals and "deadline" not in vals:
            # The answer window starts when the invitation goes out.
            for company, answers in self.grouped("dealer_company_id").items():
                super(SurveyUserInput, answers).write(
                    dict(vals, deadline=answers._dealer_answer_deadline(vals["dealer_invited_on"], company))
                )
            return True
        res = super().write(vals)
        if vals.get("dealer_agent_id"):
            # A call handed over leaves the former agent's list for the new one's.
            self.filtered(lambda answer: answer.dealer_csi_state == "to_call").activity_ids.write(
                {"user_id": vals["dealer_agent_id"]}
            )
        if vals.get("dealer_callback_at"):
            # The call comes back on the agent's list on the day asked for,
            # and is not dropped as unmade before that day.
            for answer in self.filtered(lambda answer: answer.dealer_csi_state == "to_call"):
                callback_day = fields.Date.context_today(answer, answer.dealer_callback_at)
                answer.activity_ids.write({"date_deadline": callback_day})
                if answer.dealer_call_deadline and answer.dealer_call_deadline < callback_day:
                    answer._dealer_write_flow({"dealer_call_deadline": callback_day})
        return res

    def _dealer_write_touches_csi(self, vals):
        """Whether a write reaches CSI figures: on a CSI answer set, or turning one into it."""
        if any(name.startswith("dealer_") and name not in MANAGER_FIELDS for name in vals):
            return True
        if (
            vals.get("survey_id")
            and self.env["survey.survey"].browse(vals["survey_id"]).sudo().survey_type == "dealer_csi"
        ):
            return True
        return any(
            answer.dealer_kind or answer.survey_id.survey_type == "dealer_csi" for answer in self.sudo()
        )

    def unlink(self):
        if not self.env.su and any(answer.dealer_kind for answer in self):
            raise AccessError(
                _("Satisfaction survey answers are never deleted: a cancelled visit withdraws its survey.")
            )
        return super().unlink()

    def _dealer_check_answers_editable(self):
        """The customer's answers are stored by the survey pages only (they run as superuser)."""
        if any(answer.dealer_kind for answer in self.sudo()):
            raise AccessError(
                _("A customer's satisfaction answers are given on the survey page only and cannot be edited.")
            )

    @api.model
    def _dealer_answer_deadline(self, invited_on, company):
        if not invited_on:
            return False
        company = company or self.env.company
        days = company.dealer_csi_answer_days
        # Until the end of the window's last day at the dealership, stored in UTC.
        end = datetime.combine(fields.Date.to_date(invited_on) + timedelta(days=days + 1), time.min)
        zone = pytz.timezone(company.dealer_timezone or "UTC")
        return zone.localize(end).astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------
    # SCORES
    # ------------------------------------------------------------

    @api.depends(
        "state",
        "survey_id.survey_type",
        "user_input_line_ids.value_scale",
        "user_input_line_ids.suggested_answer_id",
        "user_input_line_ids.skipped",
    )
    def _compute_dealer_scores(self):
        # Only completed CSI answer sets score. The others (every invitation
        # while it waits, created by the thousand) get their empty scores at once.
        answered = self.filtered(lambda user_input: user_input.state == "done").filtered(
            lambda user_input: user_input.survey_id.survey_type == "dealer_csi"
        )
        unscored = self - answered
        unscored.dealer_is_scored = False
        unscored.dealer_csi_score = 0.0
        unscored.dealer_nps_score = 0
        unscored.dealer_nps_class = False
        for user_input in answered:
            scores, recommend = [], None
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

    @api.depends_context("uid")
    def _compute_dealer_is_csi_manager(self):
        self.dealer_is_csi_manager = self.env.user.has_group("dealer_csi.dealer_csi_group_manager")

    @api.depends("partner_id")
    def _compute_dealer_customer_history(self):
        Contact, Visit = self.env["dealer.contact.log"], self.env["dealer.visit"]
        for answer in self:
            partner = answer.partner_id
            answer.dealer_last_contact_ids = (
                Contact.search([("partner_id", "=", partner.id)], order="date desc", limit=CARD_HISTORY)
                if partner
                else Contact
            )
            answer.dealer_last_visit_ids = (
                Visit.search(
                    [("partner_id", "=", partner.id), ("state", "=", "done")],
                    order="date desc",
                    limit=CARD_HISTORY,
                )
                if partner
                else Visit
            )

    def _mark_done(self):
        csi = self.filtered("dealer_kind")
        # Answers of the past (demo data, a migration from an earlier CSI tool)
        # are loaded as superuser without the window and month checks.
        history = self.env.su and self.env.context.get("dealer_csi_history")
        for answer in csi:
            refusal = (not history and answer._dealer_answer_refusal()) or answer._dealer_missing_answers()
            if refusal:
                raise ValidationError(refusal)
        res = super()._mark_done()
        if csi:
            # sudo: the answers are in; the invitation's progress is the flow's own field.
            csi.sudo().write({"dealer_csi_state": "answered", "dealer_callback_at": False})
            csi.activity_ids.action_feedback(feedback=_("Survey answered."))
            self.env["dealer.complaint"]._dealer_open_from_answers(csi)
            csi.filtered(
                lambda answer: answer.dealer_kind == "recovery"
            ).dealer_complaint_id._dealer_record_resurvey()
        return res

    def _dealer_answer_refusal(self):
        """Why this invitation cannot take answers any more, or None while it can."""
        self.ensure_one()
        if self.state == "done":
            return _("These answers were already given: a satisfaction survey is answered once.")
        if self.dealer_csi_state == "withdrawn":
            return _("This survey is no longer open: the visit it was about was cancelled.")
        if self.dealer_csi_state not in FILLABLE_STATES or (
            self.deadline and self.deadline < fields.Datetime.now()
        ):
            return _("The time to answer this survey has passed.")
        if self._dealer_month_closed():
            return _("The time to answer this survey has passed: its month's satisfaction figures are final.")
        return None

    def _dealer_month_closed(self, visit_date=None):
        """Whether the month the answers count in (the visit's) is final."""
        self.ensure_one()
        visit_date = visit_date or self.dealer_visit_date
        if not visit_date or self.dealer_kind != "visit":
            return False
        company = self.dealer_company_id or self.env.company
        # The dealership's day: the survey page and the daily jobs run in no time zone of theirs.
        return company._dealer_local_now().date() >= company._dealer_csi_month_closes_on(
            visit_date.replace(day=1)
        )

    def _dealer_missing_answers(self):
        """The required questions left unanswered, as a message, or None."""
        self.ensure_one()
        answered = self.user_input_line_ids.filtered(lambda line: not line.skipped).question_id
        questions = self.predefined_question_ids or self.survey_id.question_ids
        missing = (
            questions.filtered(
                lambda question: question.constr_mandatory
                and not question.is_page
                and question not in answered
            )
            - self._get_inactive_conditional_questions()
        )
        if not missing:
            return None
        return _(
            "Answer the required questions first: %(questions)s",
            questions=", ".join(missing.mapped("title")),
        )

    def _dealer_complaint_values(self, config):
        """The complaint a low score or a detractor opens, with the customer's words quoted."""
        self.ensure_one()
        score = self.dealer_csi_score
        low = self.dealer_is_scored and score < self.dealer_company_id.dealer_csi_complaint_threshold
        if low:
            name = _(
                "Low CSI score (%(score)s) after %(visit)s",
                score=round(score),
                visit=self.dealer_visit_id.name,
            )
        else:
            name = _(
                "Would not recommend us (%(nps)s/10) after %(visit)s",
                nps=self.dealer_nps_score,
                visit=self.dealer_visit_id.name,
            )
        return {
            "name": name,
            "partner_id": self.partner_id.id,
            "vehicle_id": self.dealer_vehicle_id.id,
            "visit_id": self.dealer_visit_id.id,
            "company_id": self.dealer_company_id.id,
            "department": self.dealer_department,
            "user_id": (config.manager_id if config else self.dealer_advisor_id).id,
            "user_input_id": self.id,
            "channel": "survey",
            "severity": "high" if low and score < 30 else "medium",
            "description": self.env["dealer.complaint"]._dealer_quote(
                self._dealer_customer_comments(), _("The customer says")
            ),
        }

    def _dealer_customer_comments(self):
        """The customer's own words: (question, text) of every free-text answer and comment."""
        self.ensure_one()
        return [
            (line.question_id.title, line.value_char_box or line.value_text_box)
            for line in self.user_input_line_ids
            if not line.skipped
            and line.answer_type in ("char_box", "text_box")
            and (line.value_char_box or line.value_text_box or "").strip()
        ]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _dealer_answers_action(self, name, domain, context=None):
        """The CSI answer list (its own views, not the survey app's) on ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_csi.dealer_csi_answer_action")
        action.update({"name": name, "domain": domain, "context": context or {}})
        return action

    def get_start_url(self):
        """The invitation link opens the survey in the customer's language.

        The survey pages take their language from the URL: without it the
        customer would read the survey, and its error messages, in whatever
        language their browser or a previous visit left in a cookie.
        """
        url = super().get_start_url()
        lang = self.partner_id.lang if self.dealer_kind else False
        if not lang or len(self.env["res.lang"].get_installed()) < 2:
            return url
        lang_data = self.env["res.lang"]._get_data(code=lang)
        return f"/{lang_data.url_code}{url}" if lang_data.url_code else url

    def _dealer_form_action(self):
        """This answer set in the CSI answer form (not the survey app's)."""
        self.ensure_one()
        action = self._dealer_answers_action(_("Survey Answers"), [("id", "=", self.id)])
        form = self.env.ref("dealer_csi.survey_user_input_view_form_dealer_csi")
        action.update({"res_id": self.id, "view_mode": "form", "views": [(form.id, "form")]})
        return action

    def action_dealer_open_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "dealer.complaint",
            "view_mode": "form",
            "res_id": self.dealer_complaint_ids[:1].id,
        }
