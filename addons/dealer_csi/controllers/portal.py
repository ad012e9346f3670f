# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.dealer_csi_answer_invitation import FILLABLE_STATES


class DealerCsiCustomerPortal(CustomerPortal):
    """The satisfaction surveys a customer was invited to and can still answer, on /my."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dealer_survey_count" in counters:
            values["dealer_survey_count"] = len(self._dealer_open_surveys())
        return values

    def _dealer_open_surveys(self):
        """The logged-in person's open CSI invitations, newest visit first.

        Survey only lets the invited person answer under their own login, so
        the invitations are the user's own, not their company's.
        """
        # sudo: portal users may not read answer sets; the domain keeps to the user's own
        # invitations, and each carries its answer token, which is the customer's key anyway.
        invitations = (
            request.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", request.env.user.partner_id.id),
                    ("dealer_kind", "!=", False),
                    ("test_entry", "=", False),
                    ("state", "!=", "done"),
                    ("dealer_csi_state", "in", FILLABLE_STATES),
                    "|",
                    ("deadline", "=", False),
                    ("deadline", ">", fields.Datetime.now()),
                ],
                order="dealer_visit_date desc, id desc",
            )
        )
        # A month whose figures are final takes no answers either (not a stored field).
        return invitations.filtered(lambda invitation: not invitation._dealer_answer_refusal())

    @http.route(["/my/surveys"], type="http", auth="user", website=True)
    def portal_my_dealer_surveys(self, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "dealer_surveys", "invitations": self._dealer_open_surveys()})
        return request.render("dealer_csi.portal_my_surveys", values)
