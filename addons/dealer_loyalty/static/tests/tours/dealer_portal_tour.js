/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("dealer_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The customer's page counts their cars",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/vehicles']",
            run: "click",
        },
        {
            content: "Their car is listed, with its next service",
            trigger: ".o_dealer_portal_vehicles a:contains('ALICE01')",
            run: "click",
        },
        {
            content: "The car's page says when and why it is due",
            trigger: ".o_dealer_portal_vehicle h3:contains('Next service')",
        },
        {
            content: "Its service history lists the customer's own visit",
            trigger: ".o_dealer_portal_visits li:contains('Oil service')",
        },
        {
            content: "Back to the customer's page by the breadcrumb",
            trigger: ".o_portal_submenu a[href='/my/home'], .o_portal_submenu a[href='/my']",
            run: "click",
        },
        {
            content: "Open the communication preferences",
            trigger: "a[href='/my/preferences']",
            run: "click",
        },
        {
            content: "No more SMS",
            trigger: "input#consent_sms:checked",
            run: "click",
        },
        {
            content: "Save",
            trigger: "form button[type='submit']",
            run: "click",
        },
        {
            content: "The preferences are saved",
            trigger: ".alert-success",
        },
        {
            content: "SMS stays unticked",
            trigger: "input#consent_sms:not(:checked)",
        },
    ],
});
