# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

CONSENT_CHANNELS = ("email", "sms", "letter", "phone")
# The keys in the customers' links (secrets.token_urlsafe): anything else, a NUL byte among
# others, is an unknown link before it reaches the database.
_LINK_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_link_token(token):
    """Whether ``token`` can be the key of a customer's link (booking page, preferences page)."""
    return isinstance(token, str) and bool(_LINK_TOKEN_RE.fullmatch(token))


def preferences_values(partner, saved=False):
    """The values of the preferences form, in the customer's language (token page and portal)."""
    partner = partner.with_context(lang=partner.lang or request.env.lang)
    return {
        "partner": partner,
        "company": partner.company_id or request.env.company,
        "saved": saved,
        "consents": {channel: partner[f"dealer_consent_{channel}"] for channel in CONSENT_CHANNELS},
    }


def save_preferences(partner, post):
    """Store the consents ticked on the preferences form, as given by the customer."""
    partner.with_context(dealer_loyalty_consent_source="customer").write(
        {f"dealer_consent_{channel}": bool(post.get(channel)) for channel in CONSENT_CHANNELS}
    )


class DealerPreferences(http.Controller):
    """The customer's contact preferences, reached from the unsubscribe link of a message."""

    def _dealer_partner(self, token):
        # sudo: the token is the customer's key; nobody is logged in.
        partner = (
            request.env["res.partner"].sudo().search([("dealer_preferences_token", "=", token)], limit=1)
            if is_link_token(token)
            else None
        )
        if not partner:
            raise NotFound()
        return partner

    def _dealer_render(self, partner, saved=False):
        return request.render("dealer_loyalty.preferences_page", preferences_values(partner, saved))

    @http.route("/dealer/preferences/<string:token>", type="http", auth="public", methods=["GET"])
    def preferences(self, token, **kwargs):
        return self._dealer_render(self._dealer_partner(token))

    @http.route("/dealer/preferences/<string:token>", type="http", auth="public", methods=["POST"])
    def preferences_save(self, token, **post):
        partner = self._dealer_partner(token)
        save_preferences(partner, post)
        return self._dealer_render(partner, saved=True)

    # One-click unsubscribe (RFC 8058): the mail client posts without a form or a session.
    @http.route(
        "/dealer/preferences/<string:token>/unsubscribe",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def unsubscribe(self, token, **post):
        partner = self._dealer_partner(token)
        partner.with_context(dealer_loyalty_consent_source="customer").write({"dealer_consent_email": False})
        return self._dealer_render(partner, saved=True)
