/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {Component, onMounted, useRef, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useBus, useService} from "@web/core/utils/hooks";

/** Scan a card with a barcode scanner, or type its number and press Enter: the card opens. */
export class ScanCard extends Component {
    static template = "dealer_membership.ScanCard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.input = useRef("input");
        this.state = useState({code: "", message: ""});
        useBus(useService("barcode").bus, "barcode_scanned", (ev) => this.open(ev.detail.barcode));
        onMounted(() => this.input.el.focus());
    }

    async onKeydown(ev) {
        if (ev.key === "Enter") {
            await this.open(this.state.code);
        }
    }

    async open(code) {
        const number = (code || "").trim();
        if (!number) {
            return;
        }
        const ids = await this.orm.search("dealer.membership.card", [["name", "=ilike", number]], {limit: 1});
        if (!ids.length) {
            this.state.message = _t("No card has the number %s.", number);
            return;
        }
        this.state.message = "";
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "dealer.membership.card",
            res_id: ids[0],
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("dealer_membership.scan_card", ScanCard);
