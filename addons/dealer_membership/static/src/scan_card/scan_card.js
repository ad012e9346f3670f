/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {Component, onMounted, useRef, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useBus, useService} from "@web/core/utils/hooks";

/** Scan a card or a voucher, or type its number and press Enter: the card opens, the voucher is used. */
export class ScanCard extends Component {
    static template = "dealer_membership.ScanCard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.input = useRef("input");
        this.state = useState({code: "", message: "", type: ""});
        useBus(useService("barcode").bus, "barcode_scanned", (ev) => this.open(ev.detail.barcode));
        onMounted(() => this.input.el.focus());
    }

    async onKeydown(ev) {
        if (ev.key === "Enter") {
            await this.open(this.state.code);
        }
    }

    async open(code) {
        const text = (code || "").trim();
        if (!text) {
            return;
        }
        // The server knows card numbers and voucher codes: a voucher scanned here is used, once.
        const result = await this.orm.call("dealer.membership.voucher", "dealer_scan", [text]);
        this.state.message = result.message || "";
        this.state.type = result.type || "";
        this.state.code = "";
        if (result.action) {
            await this.action.doAction(result.action);
        }
    }
}

registry.category("actions").add("dealer_membership.scan_card", ScanCard);
