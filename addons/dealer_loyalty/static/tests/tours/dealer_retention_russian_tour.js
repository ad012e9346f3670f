/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// The retention overview as a Russian-speaking dealer user sees it.
registry.category("web_tour.tours").add("dealer_retention_russian_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Dealer Loyalty",
            trigger: ".o_app[data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_root']",
            run: "click",
        },
        {
            content: "The menu speaks Russian",
            trigger: ".o_menu_sections [data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_retention']:contains('Удержание')",
            run: "click",
        },
        {
            content: "Open the overview",
            trigger: ".dropdown-item[data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_overview']",
            run: "click",
        },
        {
            content: "The programs are shown with their Russian names",
            trigger: ".o_kanban_record:contains('Продление страховки')",
        },
    ],
});
