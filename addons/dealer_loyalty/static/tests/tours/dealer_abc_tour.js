/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("dealer_abc_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Dealer Loyalty",
            trigger: ".o_app[data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_root']",
            run: "click",
        },
        {
            content: "Open the analyses",
            trigger: ".o_menu_sections [data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_analysis']",
            run: "click",
        },
        {
            content: "Choose the ABC analysis",
            trigger: ".dropdown-item[data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_analysis_abc']",
            run: "click",
        },
        {
            content: "Analyse the last twelve months",
            trigger: ".modal button[name='action_open']",
            run: "click",
        },
        {
            content: "Customers are ranked",
            trigger: ".o_list_view .o_data_row td[name='abc_class']:contains('A')",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_control_panel .o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The classes are drawn",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Back to the list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Tick the class A customers",
            trigger: ".o_list_view .o_data_row td[name='abc_class']:contains('A')",
            run() {
                for (const row of document.querySelectorAll(".o_list_view .o_data_row")) {
                    if (row.querySelector("td[name='abc_class']").textContent.trim() === "A") {
                        row.querySelector(".o_list_record_selector input").click();
                    }
                }
            },
        },
        {
            content: "Turn them into a call list",
            trigger: ".o_control_panel button[name='action_dealer_create_call_list']",
            run: "click",
        },
        {
            content: "The call list is there",
            trigger: ".o_breadcrumb:contains('Call list')",
        },
    ],
});
