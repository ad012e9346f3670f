/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";

// A customer, not logged in, books a visit from the link in their reminder.
registry.category("web_tour.tours").add("dealer_booking_tour", {
    steps: () => [
        {
            content: "The vehicle is known",
            trigger: ".o_dealer_booking .badge:contains('TOUR123')",
        },
        {
            content: "Pick the first afternoon offered",
            trigger: ".o_dealer_booking_form input[value$=':afternoon'] + label",
            run: "click",
        },
        {
            content: "Say what the car needs",
            trigger: ".o_dealer_booking_form textarea[name='note']",
            run: "edit Rattling at the front",
        },
        {
            content: "Request the visit",
            trigger: ".o_dealer_booking_form button[type='submit']",
            run: "click",
        },
        {
            content: "The request is with the service desk",
            trigger: ".o_dealer_booking h1:contains('Thank you')",
        },
        {
            content: "The booked time and the note are shown",
            trigger: ".o_dealer_booking .card:contains('Rattling at the front'):contains('afternoon')",
        },
    ],
});
