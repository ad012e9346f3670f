/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";

// The service desk's six smart buttons, in their order on the customer form.
const DESK_BUTTONS = [
    "action_dealer_open_vehicles",
    "action_dealer_open_visits",
    "action_dealer_open_reminders",
    "action_dealer_open_card",
    "action_dealer_open_csi_answers",
    "action_dealer_open_complaints",
];
const BUTTON_ROW = ".o_control_panel .o-form-buttonbox:not(.o_dropdown_more)";

function buttonNames(selector) {
    return [...document.querySelectorAll(selector)].map((button) => button.getAttribute("name"));
}

registry.category("web_tour.tours").add("dealer_customer_form_buttons_tour", {
    steps: () => [
        {
            content: "The customer form shows the desk's six buttons first, out of 'More'",
            trigger: `${BUTTON_ROW} > button[name='action_dealer_open_complaints']`,
            run() {
                if (window.innerWidth !== 1400) {
                    throw new Error(`The browser is ${window.innerWidth} px wide, not 1400`);
                }
                const shown = buttonNames(`${BUTTON_ROW} > button.oe_stat_button`);
                if (JSON.stringify(shown) !== JSON.stringify(DESK_BUTTONS)) {
                    throw new Error(`Buttons in the row: ${shown.join(", ")}`);
                }
            },
        },
        {
            content: "Odoo's buttons wait under 'More'",
            trigger: `${BUTTON_ROW} .o_button_more`,
            run: "click",
        },
        {
            content: "'More' holds the meetings and the contacts, none of the desk's buttons",
            trigger: ".o_dropdown_more button[name='schedule_meeting']",
            run() {
                const folded = buttonNames(".o_dropdown_more button.oe_stat_button");
                if (!folded.includes("action_dealer_open_contacts")) {
                    throw new Error(`'More' holds: ${folded.join(", ")}`);
                }
                const misplaced = folded.filter((name) => DESK_BUTTONS.includes(name));
                if (misplaced.length) {
                    throw new Error(`Under 'More' instead of the row: ${misplaced.join(", ")}`);
                }
            },
        },
        {
            content: "A customer without a login can be invited to the portal",
            trigger: ".o_form_statusbar button:contains('Invite to portal')",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_customer_form_portal_user_tour", {
    steps: () => [
        {
            content: "The customer form of a portal user opens with the desk's buttons",
            trigger: `${BUTTON_ROW} > button[name='action_dealer_open_vehicles']`,
            run() {
                const invite = [...document.querySelectorAll(".o_form_view button")].filter(
                    (button) => button.textContent.includes("Invite to portal")
                );
                if (invite.length) {
                    throw new Error("A customer who has a portal login is offered an invitation");
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("dealer_company_form_plain_user_tour", {
    steps: () => [
        {
            content: "A company's form opens for a user outside the dealership apps",
            trigger: ".o_form_view .o_field_widget[name='name']",
            run() {
                // Read-only for this user: the name is a text, not an input.
                const field = document.querySelector(".o_form_view .o_field_widget[name='name']");
                const name = (field.querySelector("input")?.value ?? field.textContent).trim();
                if (name !== "Tour Fleet Company") {
                    throw new Error(`The form shows ${name}`);
                }
                const dealerButtons = document.querySelectorAll(
                    ".o_form_view [name^='action_dealer_open_'], " +
                        ".o_control_panel [name^='action_dealer_open_']"
                );
                if (dealerButtons.length) {
                    throw new Error("A user outside the dealership apps sees its smart buttons");
                }
            },
        },
        {
            content: "Odoo's own smart button is there",
            trigger: `${BUTTON_ROW} button[name='schedule_meeting']`,
        },
    ],
});
