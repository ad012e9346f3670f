/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("dealer_loyalty_app_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the app from the home menu",
            trigger: ".o_app[data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_root']",
            run: "click",
        },
        {
            content: "The app opens on the dealership dashboard, with its figures",
            trigger: ".o_dealer_dashboard .o_dealer_dashboard_section[data-section='retention'] .o_dealer_dashboard_tile",
        },
        {
            content: "A tile opens the list behind its figure",
            trigger: ".o_dealer_dashboard_section[data-section='service_desk'] .o_dealer_dashboard_tile:contains('Due in 90 days')",
            run: "click",
        },
        {
            content: "The vehicles due are listed",
            trigger: ".o_list_view .o_data_row:contains('DASH090')",
        },
    ],
});
