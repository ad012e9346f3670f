/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("dealer_membership_scan_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Membership",
            trigger: ".o_app[data-menu-xmlid='dealer_membership.dealer_membership_menu_root']",
            run: "click",
        },
        {
            content: "Find a card",
            trigger: ".o_menu_sections [data-menu-xmlid='dealer_membership.dealer_membership_scan_card_menu']",
            run: "click",
        },
        {
            content: "An unknown number says so",
            trigger: ".o_dealer_scan_card input[name='card_number']",
            run: "edit NOSUCHCARD && press Enter",
        },
        {
            content: "The message",
            trigger: ".o_dealer_scan_card .text-danger:contains('No card or voucher has the code NOSUCHCARD')",
        },
        {
            content: "Type the member's card number as a scanner would",
            trigger: ".o_dealer_scan_card input[name='card_number']",
            run: "edit tourscan1 && press Enter",
        },
        {
            content: "The card opens",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('TOURSCAN1')",
        },
    ],
});
