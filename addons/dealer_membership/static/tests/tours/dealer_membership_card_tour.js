/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("dealer_membership_card_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Membership",
            trigger: ".o_app[data-menu-xmlid='dealer_membership.dealer_membership_menu_root']",
            run: "click",
        },
        {
            content: "Issue a new card",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The member",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour New Member",
        },
        {
            content: "Pick the customer",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour New Member')",
            run: "click",
        },
        {
            content: "The level",
            trigger: ".o_field_widget[name='level_id'] input",
            run: "edit Silver",
        },
        {
            content: "Pick Silver",
            trigger: ".o-autocomplete--dropdown-item:contains('Silver')",
            run: "click",
        },
        {
            content: "Save the card",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Join: activate the card",
            trigger: ".o_form_saved button[name='action_activate']",
            run: "click",
        },
        {
            content: "The card is active",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Active')",
        },
        {
            content: "Print the card",
            trigger: ".o_form_view button:contains('Print Card')",
            run: "click",
        },
        {
            content: "Back to the cards",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Membership Cards')",
            run: "click",
        },
        {
            content: "Open the member who has points",
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains('Tour Rich Member')",
            run: "click",
        },
        {
            content: "Redeem a reward",
            trigger: ".o_form_view button:contains('Redeem')",
            run: "click",
        },
        {
            content: "Choose the reward",
            trigger: ".modal .o_field_widget[name='reward_id'] input",
            run: "edit Car wash",
        },
        {
            content: "Pick the car wash",
            trigger: ".o-autocomplete--dropdown-item:contains('Car wash')",
            run: "click",
        },
        {
            content: "Redeem it",
            trigger: ".modal button[name='action_redeem']",
            run: "click",
        },
        {
            content: "The desk sees that it went through, and closes",
            trigger: ".modal:contains('The points were redeemed') .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "The balance went down",
            trigger: ".o_form_view .o_field_widget[name='reward_balance']:contains('200')",
        },
    ],
});
