# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.osv import expression
from odoo.tools import SQL

SEGMENTS = [
    ("prospect", "Prospect"),
    ("active", "Active"),
    ("regular", "Regular"),
    ("lost", "Lost"),
]
CHANNELS = [
    ("email", "E-mail"),
    ("sms", "SMS"),
    ("letter", "Letter"),
    ("phone", "Phone"),
]
CONSENT_SOURCES = [
    ("form", "Customer form"),
    ("dms", "DMS import"),
    ("phone", "Phone call"),
    ("showroom", "Showroom"),
    ("website", "Website"),
    ("customer", "By the customer (preferences page)"),
    ("written", "Signed form"),
    ("other", "Other"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    dealer_segment = fields.Selection(
        SEGMENTS,
        string="Customer Segment",
        tracking=True,
        index=True,
        copy=False,
        help="Prospect: no visit yet. Active: visited recently. Regular: visits often. "
        "Lost: no visit for a long time. Thresholds are set in Settings.",
    )
    dealer_customer_code = fields.Char(
        string="DMS Customer Code", copy=False, index="btree_not_null", tracking=True
    )
    dealer_birthday = fields.Date(string="Birthday")
    dealer_source_id = fields.Many2one(
        "utm.source", string="Lead Source", tracking=True, help="How the customer found the dealership."
    )
    dealer_preferred_channel = fields.Selection(CHANNELS, string="Preferred Channel", tracking=True)
    dealer_preferences_token = fields.Char(
        copy=False,
        index="btree_not_null",
        groups="base.group_system",
        help="The customer's key to their contact preferences page, in the unsubscribe links.",
    )
    dealer_consent_email = fields.Boolean(string="E-mail Marketing", tracking=True, copy=False)
    dealer_consent_email_date = fields.Date(string="E-mail Consent Changed", copy=False)
    dealer_consent_email_source = fields.Selection(
        CONSENT_SOURCES, string="E-mail Consent Source", copy=False
    )
    dealer_consent_sms = fields.Boolean(string="SMS Marketing", tracking=True, copy=False)
    dealer_consent_sms_date = fields.Date(string="SMS Consent Changed", copy=False)
    dealer_consent_sms_source = fields.Selection(CONSENT_SOURCES, string="SMS Consent Source", copy=False)
    dealer_consent_letter = fields.Boolean(string="Letters", tracking=True, copy=False)
    dealer_consent_letter_date = fields.Date(string="Letter Consent Changed", copy=False)
    dealer_consent_letter_source = fields.Selection(
        CONSENT_SOURCES, string="Letter Consent Source", copy=False
    )
    dealer_consent_phone = fields.Boolean(string="Phone Calls", tracking=True, copy=False)
    dealer_consent_phone_date = fields.Date(string="Phone Consent Changed", copy=False)
    dealer_consent_phone_source = fields.Selection(CONSENT_SOURCES, string="Phone Consent Source", copy=False)
    dealer_vehicle_ids = fields.One2many("fleet.vehicle", "dealer_owner_id", string="Vehicles")
    dealer_vehicle_count = fields.Integer(compute="_compute_dealer_visit_stats", string="Vehicle Count")
    dealer_visit_ids = fields.One2many("dealer.visit", "partner_id", string="Visits")
    dealer_visit_count = fields.Integer(compute="_compute_dealer_visit_stats", string="Visit Count")
    dealer_first_visit_date = fields.Date(compute="_compute_dealer_visit_stats", string="First Visit")
    dealer_last_visit_date = fields.Date(compute="_compute_dealer_visit_stats", string="Last Visit")
    dealer_next_service_date = fields.Date(
        compute="_compute_dealer_visit_stats",
        string="Next Service",
        help="The earliest predicted service of the customer's vehicles.",
    )
    dealer_total_revenue = fields.Monetary(
        compute="_compute_dealer_visit_stats",
        string="Total Revenue",
        currency_field="dealer_currency_id",
        help="Revenue of the customer's done visits, declined work excluded.",
    )
    dealer_reminder_count = fields.Integer(compute="_compute_dealer_reminder_count", string="Reminder Count")
    dealer_currency_id = fields.Many2one(
        "res.currency", compute="_compute_dealer_visit_stats", string="Dealer Currency"
    )

    def init(self):
        res = super().init()
        # The DMS customer code is unique per company; partners shared by all
        # companies (no company) count as one more company.
        tools.create_unique_index(
            self._cr,
            "res_partner_dealer_customer_code_company_uniq",
            self._table,
            ["dealer_customer_code", "COALESCE(company_id, 0)"],
        )
        return res

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_dealer_visit_stats(self):
        done_domain = [("partner_id", "in", self.ids), ("state", "=", "done")]
        stats = {
            partner: (count, first, last, total)
            for partner, count, first, last, total in self.env["dealer.visit"]._read_group(
                done_domain, ["partner_id"], ["__count", "date:min", "date:max", "amount_total:sum"]
            )
        }
        vehicle_stats = {
            partner: (count, next_service)
            for partner, count, next_service in self.env["fleet.vehicle"]._read_group(
                [("dealer_owner_id", "in", self.ids)],
                ["dealer_owner_id"],
                ["__count", "dealer_next_service_date:min"],
            )
        }
        currency = self.env.company.currency_id
        for partner in self:
            count, first, last, total = stats.get(partner, (0, False, False, 0.0))
            partner.dealer_visit_count = count
            partner.dealer_first_visit_date = first
            partner.dealer_last_visit_date = last
            partner.dealer_total_revenue = total
            partner.dealer_vehicle_count, partner.dealer_next_service_date = vehicle_stats.get(
                partner, (0, False)
            )
            partner.dealer_currency_id = currency

    def _compute_dealer_reminder_count(self):
        counts = dict(
            self.env["dealer.loyalty.reminder"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.dealer_reminder_count = counts.get(partner, 0)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dealer_stamp_consent_changes(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._dealer_stamp_consent_changes(vals)
        return super().write(vals)

    def _dealer_preferences_url(self):
        """The customer's contact preferences page (made on first use), as an absolute URL."""
        self.ensure_one()
        # sudo: the token is kept from staff; only links in the customer's own messages carry it.
        partner = self.sudo()
        if not partner.dealer_preferences_token:
            partner.dealer_preferences_token = secrets.token_urlsafe(24)
        return f"{partner.get_base_url()}/dealer/preferences/{partner.dealer_preferences_token}"

    def _dealer_stamp_consent_changes(self, vals):
        """Date and source every consent change, unless the caller gave them."""
        today = fields.Date.context_today(self)
        default_source = self.env.context.get("dealer_loyalty_consent_source", "form")
        for channel, _label in CHANNELS:
            if f"dealer_consent_{channel}" in vals:
                vals.setdefault(f"dealer_consent_{channel}_date", today)
                vals.setdefault(f"dealer_consent_{channel}_source", default_source)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_dealer_open_vehicles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_loyalty.fleet_vehicle_action_dealer")
        action["domain"] = [("dealer_owner_id", "=", self.id)]
        action["context"] = {"default_dealer_owner_id": self.id}
        return action

    def action_dealer_open_reminders(self):
        """Every reminder of the customer, sent or not, with the reason when not."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_loyalty.dealer_loyalty_reminder_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_dealer_open_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_loyalty.dealer_visit_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "search_default_done": 1}
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _dealer_contact_checks(self, channel, consent=True):
        """What must hold for a customer to be contacted on ``channel``, in order.

        :param consent: whether marketing consent for the channel is required
        :return: list of ``(reason, domain)``; a customer failing ``domain``
            cannot be contacted for ``reason`` (``blacklisted``, ``no_consent``
            or ``no_address``). Odoo's e-mail and phone blacklists always apply.
        """
        if channel not in dict(CHANNELS):
            raise ValueError(f"unknown channel {channel!r}")
        checks = []
        if channel == "email":
            checks.append(("blacklisted", [("is_blacklisted", "=", False)]))
        elif channel in ("sms", "phone"):
            checks.append(("blacklisted", [("phone_sanitized_blacklisted", "=", False)]))
        if consent:
            checks.append(("no_consent", [(f"dealer_consent_{channel}", "=", True)]))
        if channel == "email":
            # An address Odoo cannot read (no @, two addresses in one) sends nothing: as good as none.
            checks.append(("no_address", [("email_normalized", "!=", False)]))
        elif channel == "sms":
            checks.append(("no_address", ["|", ("mobile", "!=", False), ("phone", "!=", False)]))
        elif channel == "phone":
            checks.append(("no_address", ["|", ("phone", "!=", False), ("mobile", "!=", False)]))
        else:
            checks.append(("no_address", [("street", "!=", False), ("city", "!=", False)]))
        return checks

    @api.model
    def _dealer_contact_allowed_domain(self, channel, consent=True):
        """Domain of the customers who may receive marketing on ``channel``.

        The one place that decides it: consent for the channel, a usable
        address, and Odoo's e-mail and phone blacklists, which always win.
        """
        return expression.AND([domain for _reason, domain in self._dealer_contact_checks(channel, consent)])

    def _dealer_contact_allowed(self, channel, consent=True):
        """The customers of ``self`` who may receive marketing on ``channel``."""
        return self.filtered_domain(self._dealer_contact_allowed_domain(channel, consent))

    @api.model
    def _dealer_note_author(self):
        """Who signs a chatter note the current user writes: the user, or the system when the user
        has no e-mail address (desk staff, the DMS connection), as a note needs an author who has one."""
        user = self.env.user
        return user.partner_id if user.email else self.env.ref("base.partner_root")

    def _dealer_contact_refusals(self, channel, consent=True):
        """Why customers of ``self`` cannot be contacted on ``channel``: ``{partner_id: reason}``.

        One search per check over the whole set; the first failing check
        gives the reason.
        """
        refusals = {}
        remaining = self
        for reason, domain in self._dealer_contact_checks(channel, consent):
            if not remaining:
                break
            passing = self.with_context(active_test=False).search(
                expression.AND([[("id", "in", remaining.ids)], domain])
            )
            for partner in remaining - passing:
                refusals[partner.id] = reason
            remaining = passing
        return refusals

    @api.model
    def _cron_dealer_update_segments(self):
        for company in self.env["res.company"].search([]):
            self._dealer_update_segments(company=company)

    def _dealer_update_segments(self, company=None):
        """Recompute customer segments from done visits, in one query.

        :param company: whose thresholds apply (default: the current company)
        Works on ``self``, or when empty on every customer of the company:
        with a visit, a segment, or none yet (a prospect). Only changed segments are written, grouped
        by value; the first classification of a customer is not tracked.
        """
        company = company or self.env.company
        today = fields.Date.context_today(self)
        regular_since = today - relativedelta(months=company.dealer_regular_period_months)
        lost_before = today - relativedelta(months=company.dealer_lost_after_months)
        self.env["dealer.visit"].flush_model(["partner_id", "state", "date"])
        self.flush_model(["dealer_segment"])
        if self:
            scope = SQL("p.id IN %s", tuple(self.ids))
            # Aggregate only these customers' visits, not the whole table.
            visit_scope = SQL("AND partner_id IN %s", tuple(self.ids))
        else:
            visit_scope = SQL()
            # Everyone who could be a customer: a contact without any visit
            # is a prospect, so greetings and newsletters reach them too.
            # Staff and the companies themselves are not customers.
            scope = SQL(
                """(p.dealer_segment IS NOT NULL OR stats.partner_id IS NOT NULL
                    OR (p.active AND p.type = 'contact'
                        AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id AND NOT u.share)
                        AND NOT EXISTS (SELECT 1 FROM res_company c WHERE c.partner_id = p.id)))
                   AND (p.company_id IS NULL OR p.company_id = %s)""",
                company.id,
            )
        query = SQL(
            """
            SELECT p.id, p.dealer_segment,
                   CASE WHEN stats.last_date IS NULL THEN 'prospect'
                        WHEN stats.last_date < %(lost_before)s THEN 'lost'
                        WHEN stats.recent_count >= %(min_visits)s THEN 'regular'
                        ELSE 'active' END
              FROM res_partner p
         LEFT JOIN (SELECT partner_id, max(date) AS last_date,
                           count(*) FILTER (WHERE date >= %(regular_since)s) AS recent_count
                      FROM dealer_visit
                     WHERE state = 'done' %(visit_scope)s
                  GROUP BY partner_id) stats ON stats.partner_id = p.id
             WHERE %(scope)s
            """,
            lost_before=lost_before,
            min_visits=company.dealer_regular_min_visits,
            regular_since=regular_since,
            scope=scope,
            visit_scope=visit_scope,
        )
        self.env.cr.execute(query)
        changes = {}
        for partner_id, old_segment, new_segment in self.env.cr.fetchall():
            if old_segment != new_segment:
                changes.setdefault((new_segment, bool(old_segment)), []).append(partner_id)
        for (segment, tracked), partner_ids in changes.items():
            partners = self.browse(partner_ids)
            if not tracked:
                partners = partners.with_context(tracking_disable=True)
            partners.write({"dealer_segment": segment})
        return sum(len(ids) for ids in changes.values())
