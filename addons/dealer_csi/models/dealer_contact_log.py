# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CONTACT_TYPES = [
    ("call_in", "Incoming call"),
    ("call_out", "Outgoing call"),
    ("walk_in", "Showroom visit"),
]
CALLER_STATUSES = [
    ("customer", "Customer"),
    ("prospect", "Prospect"),
    ("targeted", "Targeted call"),
]
PURPOSES = [
    ("sales", "Sales"),
    ("service", "Service"),
    ("parts", "Parts"),
    ("complaint", "Complaint"),
    ("roadside", "Roadside assistance"),
    ("other", "Other"),
]
GENDERS = [("female", "Female"), ("male", "Male"), ("other", "Other / not said")]
# Fewer digits than this are not a phone number worth looking up.
MIN_PHONE_DIGITS = 6
# A number typed without its country code matches stored numbers ending with
# these many of its last digits.
SUBSCRIBER_DIGITS = 8
OUTCOMES = [
    ("informed", "Information given"),
    ("appointment", "Appointment booked"),
    ("test_drive", "Test drive booked"),
    ("quote", "Quote to send"),
    ("callback", "Call back"),
    ("transferred", "Passed to a colleague"),
    ("complaint", "Complaint registered"),
    ("no_interest", "Not interested"),
]


class DealerContactLog(models.Model):
    _name = "dealer.contact.log"
    _description = "Contact Registration"
    _inherit = ["mail.thread", "mail.activity.mixin", "dealer.csi.flow.fields"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "contact_name"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    contact_type = fields.Selection(CONTACT_TYPES, string="Contact", required=True, default="call_in")
    phone = fields.Char(help="Typing the number finds the customer.")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        check_company=True,
        help="Found by phone number. Left empty, a prospect is created from the name on save.",
    )
    contact_name = fields.Char(
        string="Name", compute="_compute_contact_name", store=True, readonly=False, precompute=True
    )
    email = fields.Char()
    caller_status = fields.Selection(
        CALLER_STATUSES,
        compute="_compute_caller_status",
        store=True,
        readonly=False,
        precompute=True,
    )
    source_id = fields.Many2one(
        "utm.source",
        string="Source",
        compute="_compute_source_id",
        store=True,
        readonly=False,
        precompute=True,
        help="How the contact found the dealership: advertisement, website, recommendation...",
    )
    campaign_id = fields.Many2one("utm.campaign", string="Campaign")
    purpose = fields.Selection(PURPOSES, required=True, default="sales")
    gender = fields.Selection(GENDERS)
    user_id = fields.Many2one(
        "res.users", string="Handled By", default=lambda self: self.env.user, index=True, check_company=True
    )
    outcome = fields.Selection(OUTCOMES)
    note = fields.Text()
    follow_up_date = fields.Date(
        string="Follow Up On", help="Creates a to-do for the person handling the contact."
    )
    vehicle_interest = fields.Char(string="Vehicle of Interest")
    # Set when the registration creates the prospect: the sources' efficiency counts them.
    is_new_prospect = fields.Boolean(string="Created as Prospect", readonly=True, copy=False)
    # What the person answering the phone should know about the caller.
    partner_complaint_open_count = fields.Integer(related="partner_id.dealer_complaint_open_count")
    partner_csi_last_score = fields.Float(related="partner_id.dealer_csi_last_score")
    partner_csi_count = fields.Integer(related="partner_id.dealer_csi_count")

    _dealer_flow_fields = frozenset({"is_new_prospect"})

    @api.depends("partner_id")
    def _compute_contact_name(self):
        for log in self:
            if log.partner_id:
                log.contact_name = log.partner_id.name

    @api.depends("partner_id", "contact_type", "campaign_id")
    def _compute_caller_status(self):
        for log in self:
            if log.contact_type == "call_out" and log.campaign_id:
                log.caller_status = "targeted"
            elif log.partner_id and log.partner_id.dealer_segment not in (False, "prospect"):
                log.caller_status = "customer"
            else:
                log.caller_status = "prospect"

    @api.depends("partner_id")
    def _compute_source_id(self):
        for log in self:
            if log.partner_id.dealer_source_id and not log.source_id:
                log.source_id = log.partner_id.dealer_source_id

    @api.onchange("phone")
    def _onchange_phone(self):
        if not self.phone:
            return
        partner = self._dealer_match_phone(self.phone, self.company_id)
        if partner:
            self.partner_id = partner

    @api.model
    def _dealer_match_phone(self, phone, company=None):
        """The customer with this phone or mobile number, in any usual notation, or nothing.

        First the exact number (international form, or as typed); then, for a
        number typed without its country code, the stored numbers ending with
        the same subscriber digits. Several matches: the one changed most
        recently (a family sharing a landline) is the best guess; staff can
        still pick another.
        """
        digits = "".join(char for char in phone or "" if char.isdigit())
        Partner = self.env["res.partner"]
        if len(digits) < MIN_PHONE_DIGITS:
            return Partner
        country = (company or self.env.company).country_id
        sanitized = Partner._phone_format(number=phone, country=country) if country else False
        company_domain = [("company_id", "in", [False, company.id])] if company else []
        exact = [("phone_mobile_search", "=", phone)]
        if sanitized:
            exact = ["|", ("phone_sanitized", "=", sanitized), *exact]
        partner = Partner.search(exact + company_domain, order="write_date desc", limit=1)
        if partner or phone.strip().startswith(("+", "00")):
            return partner
        subscriber = digits.lstrip("0")[-SUBSCRIBER_DIGITS:]
        return Partner.search(
            [("phone_mobile_search", "=like", f"%{subscriber}")] + company_domain,
            order="write_date desc",
            limit=1,
        )

    @api.constrains("phone", "partner_id", "contact_name", "contact_type")
    def _check_contact(self):
        for log in self:
            if not log.partner_id and not log.contact_name:
                raise ValidationError(_("Give the caller's name or pick the customer."))

    @api.model_create_multi
    def create(self, vals_list):
        self._dealer_check_flow_fields(vals_list, creating=True)
        for vals in vals_list:
            if vals.get("phone") and not vals.get("partner_id"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                partner = self._dealer_match_phone(vals["phone"], company)
                if partner:
                    vals["partner_id"] = partner.id
        logs = super().create(vals_list)
        logs.filtered(lambda log: not log.partner_id)._dealer_create_prospects()
        logs.filtered("follow_up_date")._dealer_schedule_follow_ups()
        return logs

    def write(self, vals):
        self._dealer_check_flow_fields([vals])
        res = super().write(vals)
        if vals.get("follow_up_date"):
            self._dealer_schedule_follow_ups()
        return res

    def _dealer_flow_fields_refusal(self, labels):
        return _(
            "%(fields)s: set when registering an unknown caller creates their prospect, never by hand.",
            fields=labels,
        )

    def _dealer_create_prospects(self):
        """Unknown callers become prospects, with the source they came through."""
        partners = self.env["res.partner"].create(
            [
                {
                    "name": log.contact_name,
                    "phone": log.phone,
                    "email": log.email,
                    "company_id": log.company_id.id,
                    "dealer_segment": "prospect",
                    "dealer_source_id": log.source_id.id,
                }
                for log in self
            ]
        )
        for log, partner in zip(self, partners, strict=True):
            log._dealer_write_flow(
                {"partner_id": partner.id, "is_new_prospect": True, "caller_status": log.caller_status}
            )

    def _dealer_schedule_follow_ups(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        for log in self:
            log.activity_schedule(
                activity_type_id=todo.id,
                date_deadline=log.follow_up_date,
                user_id=(log.user_id or self.env.user).id,
                summary=_("Follow up: %(name)s", name=log.contact_name),
                note=log.note,
            )

    def action_save_and_new(self):
        """Quick entry: keep the receptionist on a fresh form for the next caller."""
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "views": [(self.env.ref("dealer_csi.dealer_contact_log_view_form_quick").id, "form")],
            "target": "new",
            "name": _("Register a Contact"),
            "context": {
                "default_contact_type": self.contact_type,
                "default_campaign_id": self.campaign_id.id,
            },
        }

    def action_open_customer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    @api.model
    def _dealer_recent_counts(self, partners, days=90):
        since = fields.Datetime.now() - timedelta(days=days)
        return dict(
            self._read_group(
                [("partner_id", "in", partners.ids), ("date", ">=", since)], ["partner_id"], ["__count"]
            )
        )
