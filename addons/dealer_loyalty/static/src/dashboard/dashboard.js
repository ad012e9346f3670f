/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {Component, onWillStart, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {formatFloat, formatInteger} from "@web/views/fields/formatters";

/** The dealer principal's morning screen: every figure in one call, each tile opens its list. */
export class DealerDashboard extends Component {
    static template = "dealer_loyalty.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({data: null});
        onWillStart(async () => {
            this.state.data = await this.orm.call("dealer.dashboard", "get_dashboard", []);
        });
    }

    formatValue(tile) {
        if (tile.value === null || tile.value === undefined) {
            return "–";
        }
        return Number.isInteger(tile.value)
            ? formatInteger(tile.value)
            : formatFloat(tile.value, {digits: [16, 1]});
    }

    barHeight(trend, bar) {
        if (bar.value === null || bar.value === undefined) {
            return 0;
        }
        const highest = Math.max(100, ...trend.bars.map((b) => b.value || 0));
        return Math.max(2, Math.round((bar.value * 100) / highest));
    }

    targetHeight(trend) {
        return Math.round((trend.target * 100) / Math.max(100, ...trend.bars.map((b) => b.value || 0)));
    }

    open(tile) {
        if (tile.action) {
            this.action.doAction(tile.action);
        }
    }
}

registry.category("actions").add("dealer_loyalty.dashboard", DealerDashboard);
