/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("dealer_membership_app_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the app from the home menu",
            trigger: ".o_app[data-menu-xmlid='dealer_membership.dealer_membership_menu_root']",
            run: "click",
        },
        {
            content: "The app's first screen is shown",
            trigger: ".o_action_manager .o_view_controller",
        },
    ],
});
