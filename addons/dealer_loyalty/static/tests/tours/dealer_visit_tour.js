/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";

// An advisor records a service visit; the vehicle's service history and the
// customer's segment follow.
registry.category("web_tour.tours").add("dealer_visit_tour", {
    url: "/odoo/action-dealer_loyalty.dealer_visit_action",
    steps: () => [
        {
            content: "Create a visit",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Pick the vehicle by its plate",
            trigger: ".o_field_widget[name='vehicle_id'] input",
            run: "edit TOUR001",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('TOUR001')",
            run: "click",
        },
        {
            content: "The owner becomes the customer",
            trigger: ".o_field_widget[name='partner_id'] input:value('Tour Customer')",
        },
        {
            content: "Enter the odometer reading",
            trigger: ".o_field_widget[name='odometer'] input",
            run: "edit 12345",
        },
        {
            content: "Add a line",
            trigger: ".o_field_widget[name='line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='name'] input",
            run: "edit Annual service",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='amount'] input",
            run: "edit 250",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Mark the visit as done",
            trigger: ".o_form_saved button[name='action_done']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "Open the vehicle",
            trigger: ".o_field_widget[name='vehicle_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "The visit is the vehicle's last service",
            trigger: ".o_field_widget[name='dealer_last_service_odometer']:contains('12,345')",
        },
        {
            content: "The prediction is explained",
            trigger: ".o_field_widget[name='dealer_next_service_explanation']:contains('decides')",
        },
        {
            content: "Back to the visit",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('VIS/')",
            run: "click",
        },
        {
            content: "Open the customer",
            trigger: ".o_field_widget[name='partner_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "Open the dealership tab",
            trigger: ".o_notebook a.nav-link:contains('Dealership')",
            run: "click",
        },
        {
            content: "The customer is now active",
            trigger: ".o_field_widget[name='dealer_segment']:contains('Active')",
        },
    ],
});
