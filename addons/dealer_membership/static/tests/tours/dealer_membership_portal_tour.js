/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";

/** Wait for an image to be loaded and fail if it has no pixels. */
async function assertImageLoaded(img, what) {
    if (!img.complete) {
        await new Promise((resolve) => {
            img.addEventListener("load", resolve, {once: true});
            img.addEventListener("error", resolve, {once: true});
        });
    }
    if (!img.naturalWidth) {
        throw new Error(`${what}: the image did not load (${img.src})`);
    }
}

// Customer A (see the test): card PORTALA01, 900 reward points expiring within 30 days,
// 900 qualifying points, voucher PORTALV001 to use and PORTALU001 used.
registry.category("web_tour.tours").add("dealer_membership_portal_card_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home offers the membership card",
            trigger: ".o_portal_docs a[href='/my/card']:contains('Membership card')",
            run: "click",
        },
        {
            content: "The card's barcode, drawn from its number, is shown and loads",
            trigger: ".o_dealer_card_face img.o_dealer_card_barcode[src*='value=PORTALA01']",
            async run() {
                await assertImageLoaded(this.anchor, "card barcode");
            },
        },
        {
            content: "The card number is written under it",
            trigger: ".o_dealer_card_number:contains('PORTALA01')",
        },
        {
            content: "The level is on the card",
            trigger: ".o_dealer_card_face .o_dealer_card_level:contains('Gold')",
        },
        {
            content: "Both balances, by their names",
            trigger: ".o_dealer_reward_balance:contains('Reward Points'):contains('900')",
        },
        {
            content: "Qualifying points",
            trigger: ".o_dealer_qualifying_balance:contains('Qualifying Points'):contains('900')",
        },
        {
            content: "The points expiring within 30 days are a warning",
            trigger: ".o_dealer_next_expiry.alert-warning:contains('900')",
        },
        {
            content: "The usable voucher, with its code and its barcode",
            trigger: ".o_dealer_voucher_usable:contains('PORTALV001') img[src*='value=PORTALV001']",
            async run() {
                await assertImageLoaded(this.anchor, "voucher barcode");
            },
        },
        {
            content: "The used voucher is listed below, as used",
            trigger: ".o_dealer_voucher_past:contains('PORTALU001'):contains('Used')",
        },
        {
            content: "The statement's first day",
            trigger: ".o_dealer_statement_form input[name='date_from']",
            run: "edit 2026-01-01",
        },
        {
            content: "The statement's last day",
            trigger: ".o_dealer_statement_form input[name='date_to']",
            run: "edit 2026-06-30",
        },
        {
            content: "The form downloads the statement of this card",
            trigger: ".o_dealer_statement_form[action$='/statement'] button[type='submit']",
        },
    ],
});
