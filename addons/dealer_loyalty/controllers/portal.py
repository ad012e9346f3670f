# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.misc import formatLang

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .main import preferences_values, save_preferences


class DealerCustomerPortal(CustomerPortal):
    """The customer's own vehicles, their service history and contact preferences on /my."""

    _dealer_vehicles_per_page = 20

    def _prepare_portal_layout_values(self):
        self._dealer_use_customer_lang()
        return super()._prepare_portal_layout_values()

    def _dealer_use_customer_lang(self):
        """Speak the customer's language on their pages, as their messages do.

        Odoo's routing prefers the language cookie set on the first page seen,
        the login page in the browser's language, to the user's own; a language
        asked for in the URL (/et/my) still wins.
        """
        lang = request.env["ir.http"].get_nearest_lang(request.env.user.lang)
        asked_in_url = request.httprequest.path.startswith(f"/{request.lang.url_code}/")
        if lang and lang != request.env.lang and not asked_in_url:
            request.update_context(lang=lang)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dealer_vehicle_count" in counters:
            Vehicle = request.env["fleet.vehicle"]
            values["dealer_vehicle_count"] = (
                Vehicle.search_count(self._dealer_vehicles_domain()) if Vehicle.has_access("read") else 0
            )
        return values

    def _dealer_vehicles_domain(self):
        """The vehicles the customer (the company, for a company's contact) owns now."""
        partner = request.env.user.partner_id
        return [("dealer_owner_id", "child_of", [partner.commercial_partner_id.id])]

    def _dealer_visits_domain(self, vehicle):
        """The customer's own done visits of a vehicle: a previous owner's visits stay private."""
        partner = request.env.user.partner_id
        return [
            ("vehicle_id", "=", vehicle.id),
            ("partner_id", "child_of", [partner.commercial_partner_id.id]),
            ("state", "=", "done"),
        ]

    def _dealer_mileages(self, vehicles_sudo):
        """The last plausible odometer reading of each vehicle, with its unit, in the user's language.

        Fleet's own "last odometer" is the highest reading ever entered, a typo included;
        the readings the service prediction left out as suspect are not shown either.
        """
        readings = (
            request.env["fleet.vehicle.odometer"]
            .sudo()
            .search_read(
                [
                    ("vehicle_id", "in", vehicles_sudo.ids),
                    ("dealer_suspect", "=", False),
                    ("date", "!=", False),
                ],
                ["vehicle_id", "date", "value"],
                order="vehicle_id, date desc, value desc",
            )
        )
        values = {}
        for reading in readings:
            values.setdefault(reading["vehicle_id"][0], reading)
        return {
            vehicle.id: {
                "text": f"{formatLang(request.env, values[vehicle.id]['value'], digits=0)} {self._dealer_unit(vehicle)}",
                "date": values[vehicle.id]["date"],
            }
            for vehicle in vehicles_sudo
            if vehicle.id in values
        }

    def _dealer_unit(self, vehicle):
        """The vehicle's odometer unit (km, mi) in the user's language."""
        units = dict(vehicle._fields["odometer_unit"]._description_selection(request.env))
        return units.get(vehicle.odometer_unit, "")

    @http.route(["/my/vehicles", "/my/vehicles/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_dealer_vehicles(self, page=1, **kwargs):
        values = self._prepare_portal_layout_values()
        Vehicle = request.env["fleet.vehicle"]
        domain = self._dealer_vehicles_domain()
        pager = portal_pager(
            url="/my/vehicles",
            total=Vehicle.search_count(domain),
            page=page,
            step=self._dealer_vehicles_per_page,
        )
        # Searched as the user, so that the portal record rules apply; read with sudo
        # for display only, as the user may not read the model, the brand, the readings.
        vehicles = Vehicle.search(
            domain,
            order="dealer_next_service_date asc nulls last, id",
            limit=self._dealer_vehicles_per_page,
            offset=pager["offset"],
        ).sudo()
        values.update(
            {
                "page_name": "dealer_vehicles",
                "today": fields.Date.context_today(request.env.user),
                "default_url": "/my/vehicles",
                "pager": pager,
                "vehicles": vehicles,
                "mileages": self._dealer_mileages(vehicles),
            }
        )
        return request.render("dealer_loyalty.portal_my_vehicles", values)

    @http.route(["/my/vehicles/<int:vehicle_id>"], type="http", auth="user", website=True)
    def portal_my_dealer_vehicle(self, vehicle_id, **kwargs):
        values = self._prepare_portal_layout_values()
        try:
            vehicle_sudo = self._document_check_access("fleet.vehicle", vehicle_id)
        except (AccessError, MissingError) as error:
            # Someone else's car or no car at all: the same answer, nothing to learn from it.
            raise NotFound() from error
        # The history is searched as the user too: only the customer's own visits.
        visits = request.env["dealer.visit"].search(self._dealer_visits_domain(vehicle_sudo)).sudo()
        vehicle_sudo = vehicle_sudo.with_context(lang=request.env.lang)
        values.update(
            {
                "page_name": "dealer_vehicle",
                "today": fields.Date.context_today(request.env.user),
                "vehicle": vehicle_sudo,
                "visits": visits,
                "mileage": self._dealer_mileages(vehicle_sudo).get(vehicle_sudo.id),
                "unit": self._dealer_unit(vehicle_sudo),
                "explanation": vehicle_sudo.dealer_next_service_explanation,
            }
        )
        return request.render("dealer_loyalty.portal_my_vehicle", values)

    @http.route(["/my/preferences"], type="http", auth="user", website=True, methods=["GET"])
    def portal_my_dealer_preferences(self, **kwargs):
        return self._dealer_render_preferences()

    @http.route(["/my/preferences"], type="http", auth="user", website=True, methods=["POST"])
    def portal_my_dealer_preferences_save(self, **post):
        # sudo: a portal user may not write partners; this changes only the consents of the
        # logged-in person's own contact, as the token page of their messages does.
        save_preferences(request.env.user.partner_id.sudo(), post)
        return self._dealer_render_preferences(saved=True)

    def _dealer_render_preferences(self, saved=False):
        values = self._prepare_portal_layout_values()
        values.update(preferences_values(request.env.user.partner_id, saved))
        values["page_name"] = "dealer_preferences"
        return request.render("dealer_loyalty.portal_my_preferences", values)
