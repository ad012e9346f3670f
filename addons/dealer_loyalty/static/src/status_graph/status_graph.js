/** @odoo-module */
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { graphView } from "@web/views/graph/graph_view";
import { GraphRenderer } from "@web/views/graph/graph_renderer";

// One colour per customer state on every chart, whatever series the data
// shows first (Odoo colours series by their order): lost customers are red.
export const STATUS_COLORS = {
    lost: "#EA6175",
    slipping: "#F4A261",
    bought_only: "#8481DD",
    new: "#4EA7F2",
    returning: "#43C5B1",
};

export class DealerStatusGraphRenderer extends GraphRenderer {
    getBarChartData() {
        const data = super.getBarChartData();
        const { fields, groupBy } = this.model.metaData;
        const series = groupBy[1] && fields[groupBy[1].fieldName];
        if (series?.type === "selection") {
            const valueOf = Object.fromEntries(series.selection.map(([value, label]) => [label, value]));
            for (const dataset of data.datasets) {
                const color = STATUS_COLORS[valueOf[dataset.label]];
                if (color) {
                    dataset.backgroundColor = color;
                }
            }
        }
        return data;
    }
}

registry.category("views").add("dealer_status_graph", {
    ...graphView,
    Renderer: DealerStatusGraphRenderer,
});
