/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("dealer_reminder_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Dealer Loyalty: the retention overview comes first",
            trigger: ".o_app[data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_root']",
            run: "click",
        },
        {
            content: "Retention menu",
            trigger: ".o_menu_sections [data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_retention']",
            run: "click",
        },
        {
            content: "The retention overview",
            trigger: ".dropdown-item[data-menu-xmlid='dealer_loyalty.dealer_loyalty_menu_overview']",
            run: "click",
        },
        {
            content: "Drill into the calls waiting for staff on the tour's program",
            trigger: ".o_kanban_record:contains('Tour Insurance Calls') a[name='action_open_to_do']:contains('1')",
            run: "click",
        },
        {
            content: "Open the call",
            trigger: ".o_list_view .o_data_row:contains('Tour Call Customer') td[name='partner_id']",
            run: "click",
        },
        {
            content: "The call script is at hand",
            trigger: ".o_form_view .o_field_widget[name='call_script_html']:contains('Tour Call Customer')",
        },
        {
            content: "Nobody answers",
            trigger: ".o_form_view button[name='action_call_no_answer']",
            run: "click",
        },
        {
            content: "The call comes back later, and says so",
            trigger: ".o_form_view .alert:contains('No answer (call 1)')",
        },
    ],
});
