/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("dealer_csi_app_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the app from the home menu",
            trigger: ".o_app[data-menu-xmlid='dealer_csi.dealer_csi_menu_root']",
            run: "click",
        },
        {
            content: "The dashboard shows the department's survey setting",
            trigger: ".o_kanban_record:contains('Tour service survey')",
        },
    ],
});

function rate(questionText, label) {
    return {
        content: `Answer "${questionText}" with ${label}`,
        trigger: `.js_question-wrapper:contains('${questionText}') label.o_survey_choice_btn:contains('${label}')`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("dealer_csi_call_survey_tour", {
    url: "/odoo/action-dealer_csi.dealer_csi_call_action",
    steps: () => [
        {
            content: "The customer waits on the call list",
            trigger: ".o_data_row .o_data_cell:contains('Tina Tourist')",
            run: "click",
        },
        {
            content: "Fill the survey in while talking to her",
            trigger: "button[name='action_dealer_fill_in']",
            run: "click",
        },
        {
            content: "Start the survey",
            trigger: "button[value='start']:not(.disabled)",
            run: "click",
        },
        rate("get an appointment", "5"),
        rate("service advisor", "5"),
        rate("work and the costs", "4"),
        rate("right the first time", "5"),
        rate("time promised", "4"),
        rate("value for money", "5"),
        {
            content: "Would she recommend us: 9",
            trigger: ".js_question-wrapper:contains('recommend us') label.o_survey_choice_btn:eq(9)",
            run: "click",
        },
        {
            content: "Submit her answers",
            trigger: "button[value='finish']:not(.disabled)",
            run: "click",
        },
        {
            content: "The survey thanks the customer",
            trigger: ".o_survey_finished, .o_survey_result:contains('Thank you')",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_csi_complaint_tour", {
    url: "/odoo/action-dealer_csi.dealer_complaint_action",
    steps: () => [
        {
            content: "Open the complaint",
            trigger: ".o_kanban_record:contains('Car not ready on time')",
            run: "click",
        },
        {
            content: "Try to close it straight away",
            trigger: ".o_statusbar_status button:contains('Resolved')",
            run: "click",
        },
        {
            content: "A resolution is asked for",
            trigger: ".modal .modal-body:contains('without a resolution')",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Go to the resolution",
            trigger: ".o_notebook .nav-link:contains('Resolution')",
            run: "click",
        },
        {
            content: "Write down what was done",
            trigger: ".o_field_widget[name='resolution'] textarea",
            run: "edit Loan car for the day and the labour refunded.",
        },
        {
            content: "Root cause",
            trigger: ".o_notebook .nav-link:contains('Complaint')",
            run: "click",
        },
        {
            content: "Why it happened",
            trigger: ".o_field_widget[name='root_cause'] textarea",
            run: "edit Parts ordered too late.",
        },
        {
            content: "Save: the complaint closes now that it has a resolution",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The complaint is resolved",
            trigger: ".o_form_saved .ribbon:contains('Resolved')",
        },
    ],
});
