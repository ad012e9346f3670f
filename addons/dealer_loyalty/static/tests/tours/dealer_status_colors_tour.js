/** @odoo-module **/
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("dealer_status_colors_tour", {
    steps: () => [
        {
            content: "The lost-customer chart is drawn",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
            async run() {
                // The canvas comes before Chart.js has drawn on it.
                const canvas = document.querySelector(".o_graph_canvas_container canvas");
                let chart;
                for (let attempt = 0; attempt < 50 && !chart; attempt++) {
                    chart = window.Chart?.getChart(canvas);
                    if (!chart) {
                        await new Promise((resolve) => setTimeout(resolve, 100));
                    }
                }
                const colors = Object.fromEntries(
                    chart.data.datasets.map((dataset) => [dataset.label, dataset.backgroundColor])
                );
                if (colors.Lost !== "#EA6175" || colors["Slipping away"] !== "#F4A261") {
                    throw new Error(`Lost must be red and Slipping away orange: ${JSON.stringify(colors)}`);
                }
            },
        },
    ],
});
