# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL, split_every
from odoo.tools.misc import format_date

from odoo.addons.dealer_loyalty.models.dealer_visit import DEPARTMENTS

_logger = logging.getLogger(__name__)

CSI_CHANNELS = [
    ("email", "E-mail link"),
    ("sms", "SMS link"),
    ("phone", "Follow-up call (agent fills in the survey)"),
]
# The dashboard's trend: months shown and the height (px) of a bar at CSI 100.
TREND_MONTHS = 6
TREND_BAR_HEIGHT = 40
# A creation run inserting this many invitations refreshes the planner statistics.
ANALYZE_AFTER_ROWS = 5000
# Answer sets created per ORM call by the daily run.
CREATE_BATCH_SIZE = 2000
# Bulk creation by the system: no followers, creation message or tracking.
BULK_CREATE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


class DealerCsiConfig(models.Model):
    _name = "dealer.csi.config"
    _description = "CSI Survey Settings"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    department = fields.Selection(DEPARTMENTS, required=True, tracking=True)
    survey_id = fields.Many2one(
        "survey.survey",
        string="Survey",
        required=True,
        tracking=True,
        domain=[("survey_type", "=", "dealer_csi")],
    )
    delay_days = fields.Integer(
        string="Delay (days)",
        default=3,
        tracking=True,
        help="Days after the visit or the vehicle handover that the customer is asked.",
    )
    catch_up_days = fields.Integer(
        string="Catch Up (days)",
        default=7,
        help="Visits whose survey day passed at most this many days ago are still surveyed, "
        "e.g. after a late DMS import.",
    )
    channel = fields.Selection(CSI_CHANNELS, required=True, default="email", tracking=True)
    consent_required = fields.Boolean(
        string="Needs Marketing Consent",
        help="Only customers who agreed to marketing on the channel are asked.",
    )
    payer_customer = fields.Boolean(string="Customer-paid", default=True)
    payer_insurance = fields.Boolean(string="Insurance", default=True)
    payer_warranty = fields.Boolean(string="Manufacturer Warranty")
    payer_internal = fields.Boolean(string="Internal")
    user_id = fields.Many2one(
        "res.users",
        string="Call Agent",
        default=lambda self: self.env.user,
        check_company=True,
        help="Gets the follow-up calls of the phone channel.",
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Department Manager",
        default=lambda self: self.env.user,
        check_company=True,
        tracking=True,
        help="Responsible for the complaints opened by low scores.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=[("model", "=", "survey.user_input")],
        default=lambda self: self.env.ref(
            "dealer_csi.mail_template_csi_invitation", raise_if_not_found=False
        ),
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain=[("model", "=", "survey.user_input")],
        default=lambda self: self.env.ref("dealer_csi.sms_template_csi_invitation", raise_if_not_found=False),
    )
    target_csi = fields.Float(
        string="CSI Target",
        default=85.0,
        digits=(5, 1),
        tracking=True,
        help="The CSI (0-100) the department aims for; the dashboard and the monthly report mark a "
        "month below it.",
    )
    # Dashboard figures. A CSI month is the month of the visit date, as in the
    # analyses and the monthly report; the current month is still filling up,
    # so the last complete month is shown beside it.
    dashboard_month_label = fields.Char(compute="_compute_dashboard")
    dashboard_previous_month_label = fields.Char(compute="_compute_dashboard")
    csi_month = fields.Float(string="CSI This Month", compute="_compute_dashboard")
    nps_month = fields.Float(string="NPS This Month", compute="_compute_dashboard")
    response_rate_month = fields.Float(string="Response Rate", compute="_compute_dashboard")
    invitation_count_month = fields.Integer(string="Invited This Month", compute="_compute_dashboard")
    answer_count_month = fields.Integer(string="Answers This Month", compute="_compute_dashboard")
    csi_month_below_target = fields.Boolean(compute="_compute_dashboard")
    csi_previous_month = fields.Float(string="CSI Last Month", compute="_compute_dashboard")
    nps_previous_month = fields.Float(string="NPS Last Month", compute="_compute_dashboard")
    response_rate_previous_month = fields.Float(
        string="Response Rate Last Month", compute="_compute_dashboard"
    )
    invitation_count_previous_month = fields.Integer(
        string="Invited Last Month", compute="_compute_dashboard"
    )
    answer_count_previous_month = fields.Integer(string="Answers Last Month", compute="_compute_dashboard")
    csi_previous_month_below_target = fields.Boolean(compute="_compute_dashboard")
    call_to_do_count = fields.Integer(string="Calls to Make", compute="_compute_dashboard")
    complaint_open_count = fields.Integer(string="Open Complaints", compute="_compute_dashboard")
    complaint_overdue_count = fields.Integer(string="Overdue Complaints", compute="_compute_dashboard")
    csi_trend = fields.Json(string="CSI Trend", compute="_compute_dashboard")
    csi_target_height = fields.Integer(compute="_compute_dashboard")

    _sql_constraints = [
        (
            "department_company_unique",
            "UNIQUE(company_id, department)",
            "Each department has one survey setting per company.",
        ),
        (
            "days_positive",
            "CHECK(delay_days >= 0 AND catch_up_days >= 0)",
            "Delay and catch-up days cannot be negative.",
        ),
    ]

    @api.constrains("target_csi")
    def _check_target_csi(self):
        for config in self:
            if not 0.0 <= config.target_csi <= 100.0:
                raise ValidationError(
                    _("%(config)s: the CSI target is a score from 0 to 100.", config=config.name)
                )

    @api.model
    @tools.ormcache("company_id")
    def _dealer_longest_wait(self, company_id):
        """Days from a visit to its last possible invitation (delay plus catch-up), for the company.

        Read for every answer set shown or checked (whether its month is
        final), so kept in the registry cache; changed settings clear it.
        """
        configs = self.sudo().with_context(active_test=False).search([("company_id", "=", company_id)])
        return max((config.delay_days + config.catch_up_days for config in configs), default=0)

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if {"delay_days", "catch_up_days", "company_id", "active"} & vals.keys():
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.constrains("payer_customer", "payer_insurance", "payer_warranty", "payer_internal")
    def _check_payer_types(self):
        for config in self:
            if not config._dealer_payer_types():
                raise ValidationError(
                    _("%(config)s: choose at least one payer type to survey.", config=config.name)
                )

    @api.constrains("channel", "mail_template_id", "sms_template_id")
    def _check_channel_template(self):
        for config in self:
            if config.channel == "email" and not config.mail_template_id:
                raise ValidationError(_("%(config)s: choose the invitation e-mail.", config=config.name))
            if config.channel == "sms" and not config.sms_template_id:
                raise ValidationError(_("%(config)s: choose the invitation SMS.", config=config.name))

    def _dealer_payer_types(self):
        self.ensure_one()
        return [
            payer for payer in ("customer", "insurance", "warranty", "internal") if self[f"payer_{payer}"]
        ]

    # ------------------------------------------------------------
    # DASHBOARD
    # ------------------------------------------------------------

    def _compute_dashboard(self):
        today = fields.Date.context_today(self)
        month_start = today.replace(day=1)
        previous_start = month_start - relativedelta(months=1)
        Report = self.env["dealer.csi.report"]
        domain = [("company_id", "in", self.company_id.ids), ("department", "in", self.mapped("department"))]

        def figures(date_from, date_to):
            groups = Report._read_group(
                domain + [("date", ">=", date_from), ("date", "<", date_to)],
                ["company_id", "department"],
                ["csi_score:avg", "nps:avg", "response_rate:avg", "answered_count:sum", "__count"],
            )
            return {(company.id, department): rest for company, department, *rest in groups}

        this_month = figures(month_start, month_start + relativedelta(months=1))
        last_month = figures(previous_start, month_start)
        trend_start = month_start - relativedelta(months=TREND_MONTHS - 1)
        trend = {
            (company.id, department, fields.Date.to_date(month)): csi
            for company, department, month, csi in Report._read_group(
                domain + [("date", ">=", trend_start), ("answered_count", "=", 1)],
                ["company_id", "department", "date:month"],
                ["csi_score:avg"],
            )
        }
        months = [trend_start + relativedelta(months=offset) for offset in range(TREND_MONTHS)]
        Input = self.env["survey.user_input"]
        calls = {
            (company.id, department): count
            for company, department, count in Input._read_group(
                [("dealer_csi_state", "=", "to_call"), ("dealer_company_id", "in", self.company_id.ids)],
                ["dealer_company_id", "dealer_department"],
                ["__count"],
            )
        }
        Complaint = self.env["dealer.complaint"]
        complaint_domain = [("is_closed", "=", False), ("company_id", "in", self.company_id.ids)]
        open_complaints = {
            (company.id, department): count
            for company, department, count in Complaint._read_group(
                complaint_domain, ["company_id", "department"], ["__count"]
            )
        }
        overdue = {
            (company.id, department): count
            for company, department, count in Complaint._read_group(
                complaint_domain + [("is_overdue", "=", True)], ["company_id", "department"], ["__count"]
            )
        }
        empty = (None, None, None, 0, 0)
        for config in self:
            key = (config.company_id.id, config.department)
            config.dashboard_month_label = format_date(self.env, month_start, date_format="MMMM yyyy")
            config.dashboard_previous_month_label = format_date(
                self.env, previous_start, date_format="MMMM yyyy"
            )
            for period, values in (("month", this_month), ("previous_month", last_month)):
                csi, nps, rate, answers, count = values.get(key, empty)
                config[f"csi_{period}"] = csi or 0.0
                config[f"nps_{period}"] = nps or 0.0
                config[f"response_rate_{period}"] = rate or 0.0
                config[f"answer_count_{period}"] = answers or 0
                config[f"invitation_count_{period}"] = count
                config[f"csi_{period}_below_target"] = bool(answers) and (csi or 0.0) < config.target_csi
            config.call_to_do_count = calls.get(key, 0)
            config.complaint_open_count = open_complaints.get(key, 0)
            config.complaint_overdue_count = overdue.get(key, 0)
            config.csi_target_height = config._dealer_trend_height(config.target_csi)
            # A month without answers has no CSI: None draws a gap, where 0 would draw
            # the worst score there is.
            scores = [trend.get((*key, month)) for month in months]
            config.csi_trend = (
                [
                    {
                        "label": format_date(self.env, month, date_format="MMM"),
                        "csi": round(score, 1) if score is not None else None,
                        "height": config._dealer_trend_height(score) if score is not None else 0,
                        "below_target": score is not None and score < config.target_csi,
                    }
                    for month, score in zip(months, scores, strict=True)
                ]
                if any(score is not None for score in scores)
                else []
            )

    @api.model
    def _dealer_trend_height(self, score):
        """The height (px) of a dashboard trend bar at ``score``; 2 px keeps a CSI of 0 visible."""
        return round(score * TREND_BAR_HEIGHT / 100) + 2

    def _dealer_open(self, model, name, domain, context=None):
        self.ensure_one()
        if model == "survey.user_input":
            return self.env["survey.user_input"]._dealer_answers_action(name, domain, context)
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": domain,
            "context": context or {},
        }

    def action_open_answers(self):
        return self._dealer_open(
            "survey.user_input",
            _("CSI Answers"),
            [("dealer_department", "=", self.department), ("dealer_company_id", "=", self.company_id.id)],
        )

    def action_open_calls(self):
        return self._dealer_open(
            "survey.user_input",
            _("Survey Calls"),
            [
                ("dealer_department", "=", self.department),
                ("dealer_company_id", "=", self.company_id.id),
                ("dealer_csi_state", "=", "to_call"),
            ],
        )

    def action_open_complaints(self):
        return self._dealer_open(
            "dealer.complaint",
            _("Complaints"),
            [("department", "=", self.department), ("company_id", "=", self.company_id.id)],
            {"search_default_filter_open": 1},
        )

    def action_open_overdue_complaints(self):
        return self._dealer_open(
            "dealer.complaint",
            _("Overdue Complaints"),
            [
                ("department", "=", self.department),
                ("company_id", "=", self.company_id.id),
                ("is_overdue", "=", True),
            ],
        )

    def action_run_now(self):
        self.check_access("write")  # managers only: it sends to customers at once
        # sudo: the invitations' own fields are written by the schedule only;
        # the manager's right to run it was checked above.
        self.sudo()._dealer_create_invitations()
        self.env["survey.user_input"].sudo()._dealer_dispatch_invitations()
        return True

    # ------------------------------------------------------------
    # INVITATIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_dealer_csi_invitations(self):
        """Daily: create the due invitations and re-surveys, send them, expire unworked calls."""
        configs = self.search([])
        Cron = self.env["ir.cron"]
        for done, config in enumerate(configs):
            try:
                with self.env.cr.savepoint():
                    config._dealer_create_invitations()
            except psycopg2.errors.SerializationFailure:
                # Another run claimed this setting and committed while this
                # one was running: that run has the invitations.
                _logger.info("CSI survey setting %s is being run by another process", config.id)
            except Exception:
                _logger.exception("CSI survey setting %s (%s) could not invite", config.name, config.id)
            Cron._notify_progress(done=done + 1, remaining=len(configs) - done - 1)
        Input = self.env["survey.user_input"]
        try:
            with self.env.cr.savepoint():
                self.env["dealer.complaint"]._dealer_create_resurveys()
        except psycopg2.errors.SerializationFailure:
            _logger.info("The complaint re-surveys are being created by another process")
        except Exception:
            _logger.exception("The complaint re-surveys could not be created")
        Input._dealer_expire_calls()
        Input._dealer_dispatch_invitations()

    def _dealer_create_invitations(self, today=None):
        """Create the survey invitations of the visits whose survey day has come.

        The candidates are chosen set-based, one ``SELECT`` per setting over
        the department's done visits without an invitation; the invitations
        are then created through the ORM in batches, with their survey's
        questions, as the survey's own invitations are. Invitations start
        "to send"; sending them is the dispatch step.

        Never twice: a run first claims the setting (a second run at the same
        moment skips it), and the unique index on the visit stops what a
        claim cannot see (see ``_dealer_create_answers``).

        :param today: the day the run is for (default: today at each setting's dealership)
        :return: the number of invitations created
        """
        self.env.flush_all()
        created = 0
        for config in self:
            if not config._dealer_claim():
                _logger.info("CSI survey setting %s is being run by another process", config.id)
                continue
            day = today or config.company_id._dealer_local_now().date()
            date_to = day - timedelta(days=config.delay_days)
            date_from = date_to - timedelta(days=config.catch_up_days)
            # The rows are the invitations' own values, by field name.
            self.env.cr.execute(
                SQL(
                    """
                    SELECT v.partner_id, p.email, p.name AS nickname, 'visit' AS dealer_kind,
                           v.id AS dealer_visit_id, v.company_id AS dealer_company_id,
                           v.vehicle_id AS dealer_vehicle_id, v.department AS dealer_department,
                           v.user_id AS dealer_advisor_id, %(agent)s AS dealer_agent_id,
                           %(channel)s AS dealer_channel, 'to_send' AS dealer_csi_state,
                           v.date AS dealer_visit_date
                      FROM dealer_visit v
                      JOIN res_partner p ON p.id = v.partner_id
                     WHERE v.company_id = %(company)s
                       AND v.department = %(department)s
                       AND v.state = 'done'
                       AND v.date BETWEEN %(date_from)s AND %(date_to)s
                       AND p.active
                       AND (NOT EXISTS (SELECT 1 FROM dealer_visit_line l WHERE l.visit_id = v.id)
                            OR EXISTS (SELECT 1 FROM dealer_visit_line l
                                        WHERE l.visit_id = v.id AND l.declined IS NOT TRUE
                                          AND l.payer_type IN %(payers)s))
                       AND NOT EXISTS (SELECT 1 FROM survey_user_input i
                                        WHERE i.dealer_visit_id = v.id AND i.dealer_kind = 'visit')
                     ORDER BY v.id
                    """,
                    agent=(config.user_id or config.manager_id).id or None,
                    channel=config.channel,
                    company=config.company_id.id,
                    department=config.department,
                    date_from=date_from,
                    date_to=date_to,
                    payers=tuple(config._dealer_payer_types()),
                )
            )
            rows = self.env.cr.dictfetchall()
            if rows:
                # Take the visits' rows as of this run: a correction of one of
                # them (advisor, date, customer, cancellation) made meanwhile by
                # another connection, committed or not, conflicts with this
                # update, and one of the two is run again (a request is retried,
                # this run leaves the visit to the next). Without it, the run
                # would invite with the visit as it was before the correction,
                # and the correction would not see the invitation to follow.
                self.env.cr.execute(
                    SQL(
                        "UPDATE dealer_visit SET write_date = write_date WHERE id IN %s",
                        tuple(row["dealer_visit_id"] for row in rows),
                    )
                )
            created += self._dealer_create_answers(config.survey_id, rows)
        if created >= ANALYZE_AFTER_ROWS:
            # Fresh statistics keep the next run's duplicate checks on the
            # visit index instead of a scan of a table the planner thinks empty.
            self.env.cr.execute("ANALYZE survey_user_input")
        return created

    def _dealer_claim(self):
        """Claim the setting for this transaction's invitation run; False if another run has it.

        The row lock is held until the transaction ends, without waiting: two
        runs never create the same setting's invitations side by side. A run
        that committed after this transaction began cannot be seen; the unique
        index catches its invitations (see ``_dealer_create_answers``).
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM dealer_csi_config WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                self.id,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _dealer_create_answers(self, survey, vals_list):
        """Create CSI answer sets of ``survey`` through the ORM, in batches, as ``_create_answer`` would.

        Each answer set gets the survey's questions and its own access token.
        Mail side effects (followers, creation message, tracking) are off:
        nobody follows an invitation. Their stored figures go in with the
        insert, computed once per batch (see ``survey.user_input``'s
        ``_add_precomputed_values``).

        A batch meeting an answer set this transaction cannot see (created by
        a run that committed meanwhile: the unique index on the visit or the
        complaint says so) is created again one by one, leaving those out; a
        batch left out entirely stops the creation, as that run has the rest.

        :param survey: the ``survey.survey`` the answer sets are for
        :param vals_list: the answer sets' own values (customer and CSI fields)
        :return: the number of answer sets created
        """
        Input = self.env["survey.user_input"].with_context(**BULK_CREATE_CONTEXT)
        common = {"survey_id": survey.id, "test_entry": False}
        if survey.questions_selection == "all":
            # Every answer set of the survey gets the same questions: pick them once.
            common["predefined_question_ids"] = [
                Command.set(survey._prepare_user_input_predefined_questions().ids)
            ]
        limited = survey.is_attempts_limited and survey.access_mode != "public"
        created = 0
        for batch in split_every(CREATE_BATCH_SIZE, vals_list):
            values = [
                dict(common, **vals, **({"invite_token": Input._generate_invite_token()} if limited else {}))
                for vals in batch
            ]
            try:
                with self.env.cr.savepoint():
                    Input.create(values)
                batch_created = len(values)
            except psycopg2.errors.UniqueViolation:
                batch_created = 0
                for vals in values:
                    try:
                        with self.env.cr.savepoint():
                            Input.create(vals)
                        batch_created += 1
                    except psycopg2.errors.UniqueViolation:
                        continue
                _logger.info(
                    "%s of %s CSI answer sets of %s were created by another run meanwhile",
                    len(values) - batch_created,
                    len(values),
                    survey.display_name,
                )
            created += batch_created
            # The answer sets are not needed further: keep the cache small.
            self.env.invalidate_all()
            if not batch_created:
                break
        return created
