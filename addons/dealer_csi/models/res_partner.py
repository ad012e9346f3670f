# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, fields, models

from .survey_user_input import NPS_CLASSES

CONTACT_DAYS = 90


class ResPartner(models.Model):
    _inherit = "res.partner"

    dealer_csi_last_score = fields.Float(
        string="Last CSI",
        compute="_compute_dealer_csi_stats",
        groups="dealer_csi.dealer_csi_group_user",
        digits=(5, 1),
    )
    dealer_csi_avg_score = fields.Float(
        string="Average CSI",
        compute="_compute_dealer_csi_stats",
        groups="dealer_csi.dealer_csi_group_user",
        digits=(5, 1),
    )
    dealer_csi_count = fields.Integer(
        string="Surveys Answered",
        compute="_compute_dealer_csi_stats",
        groups="dealer_csi.dealer_csi_group_user",
    )
    dealer_nps_class = fields.Selection(
        NPS_CLASSES,
        string="NPS Class",
        compute="_compute_dealer_csi_stats",
        groups="dealer_csi.dealer_csi_group_user",
        help="From the last answer.",
    )
    dealer_complaint_open_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_dealer_csi_stats",
        groups="dealer_csi.dealer_csi_group_user",
    )
    dealer_contact_recent_count = fields.Integer(
        string="Contacts (90 days)",
        compute="_compute_dealer_csi_stats",
        groups="dealer_csi.dealer_csi_group_user",
    )

    def _compute_dealer_csi_stats(self):
        # The card shows every member of staff how the customer feels; the
        # answers themselves stay behind the CSI record rules.
        Input = self.env["survey.user_input"].sudo()
        answered_domain = [
            ("partner_id", "in", self.ids),
            ("dealer_kind", "=", "visit"),
            ("state", "=", "done"),
            ("dealer_csi_state", "=", "answered"),
            ("dealer_is_scored", "=", True),
            ("dealer_company_id", "in", self.env.companies.ids),
        ]
        averages = {
            partner: (count, average)
            for partner, count, average in Input._read_group(
                answered_domain, ["partner_id"], ["__count", "dealer_csi_score:avg"]
            )
        }
        last = {}
        for answer in Input.search(answered_domain, order="end_datetime desc, id desc"):
            last.setdefault(answer.partner_id.id, answer)
        complaints = dict(
            self.env["dealer.complaint"]._read_group(
                [("partner_id", "in", self.ids), ("is_closed", "=", False)], ["partner_id"], ["__count"]
            )
        )
        contacts = self.env["dealer.contact.log"]._dealer_recent_counts(self, CONTACT_DAYS)
        for partner in self:
            count, average = averages.get(partner, (0, 0.0))
            last_answer = last.get(partner.id)
            partner.dealer_csi_count = count
            partner.dealer_csi_avg_score = average or 0.0
            partner.dealer_csi_last_score = last_answer.dealer_csi_score if last_answer else 0.0
            partner.dealer_nps_class = last_answer.dealer_nps_class if last_answer else False
            partner.dealer_complaint_open_count = complaints.get(partner, 0)
            partner.dealer_contact_recent_count = contacts.get(partner, 0)

    def _dealer_csi_action(self, model, name, domain, context=None):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "name": name,
            "view_mode": "list,form",
            "domain": domain,
            "context": dict(context or {}, default_partner_id=self.id),
        }

    def action_dealer_open_csi_answers(self):
        self.ensure_one()
        return self.env["survey.user_input"]._dealer_answers_action(
            _("Satisfaction Surveys"), [("partner_id", "=", self.id), ("dealer_kind", "!=", False)]
        )

    def action_dealer_open_complaints(self):
        return self._dealer_csi_action(
            "dealer.complaint",
            _("Complaints"),
            [("partner_id", "=", self.id)],
            {"search_default_filter_open": 1},
        )

    def action_dealer_open_contacts(self):
        since = fields.Datetime.now() - timedelta(days=CONTACT_DAYS)
        return self._dealer_csi_action(
            "dealer.contact.log",
            _("Contacts"),
            [("partner_id", "=", self.id), ("date", ">=", fields.Datetime.to_string(since))],
        )
