# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import DealerLoyaltyCase


@tagged("post_install", "-at_install")
class TestRetentionAnalyses(DealerLoyaltyCase):
    """Each analysis on a small hand-made dealership of its own company, figures worked out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop = cls.env["res.company"].create({"name": "Analysis Motors"})
        cls.other_shop = cls.env["res.company"].create({"name": "Elsewhere Motors"})
        cls.env.user.company_ids |= cls.shop | cls.other_shop
        cls.today = fields.Date.context_today(cls.env.user)
        cls.no_vehicle = cls.env["fleet.vehicle"]
        names = ["P1", "P2", "P3", "P4", "P5"]
        cls.p = {
            name: cls.env["res.partner"].create(
                {"name": name, "phone": f"+3725550{index}", "dealer_segment": "active"}
            )
            for index, name in enumerate(names)
        }
        # Customer-paid revenue in the first half of 2026: 600, 150, 150, 60, 40 (total 1000).
        for name, amount in zip(names, (600.0, 150.0, 150.0, 60.0, 40.0), strict=True):
            cls.visit(cls.p[name], date(2026, 3, 1), [("Service", "labour", "customer", amount)])
        # Noise the analysis must ignore: declined work, outside the period, a draft, another company.
        cls.visit(
            cls.p["P4"], date(2026, 3, 2), [("Tyres", "parts", "customer", 900.0)]
        ).line_ids.declined = True
        cls.visit(cls.p["P4"], date(2025, 12, 31), [("Service", "labour", "customer", 900.0)])
        cls.visit(cls.p["P4"], date(2026, 3, 3), [("Service", "labour", "customer", 900.0)], state="draft")
        cls.visit(
            cls.p["P3"], date(2026, 3, 3), [("Service", "labour", "customer", 5000.0)], company=cls.other_shop
        )
        # Warranty work, counted only without a payer filter: P5 then leads with 2040 of 3000.
        cls.visit(cls.p["P5"], date(2026, 4, 1), [("Recall", "labour", "warranty", 2000.0)])

    @classmethod
    def visit(cls, partner, visit_date, lines, company=None, state="done", **extra):
        return cls.make_visit(
            visit_date,
            vehicle=cls.no_vehicle,
            partner=partner,
            lines=lines,
            company_id=(company or cls.shop).id,
            state=state,
            **extra,
        )

    def abc(self, **context):
        context = {"dealer_date_from": "2026-01-01", "dealer_date_to": "2026-06-30", **context}
        rows = self.env["dealer.abc.report"].with_company(self.shop).with_context(**context).search([])
        return {row.partner_id.name: row for row in rows}

    def test_abc_classes_by_cumulative_share(self):
        rows = self.abc(dealer_payer_type="customer")
        self.assertEqual(list(rows), ["P1", "P2", "P3", "P4", "P5"], "ranked by revenue, ties by customer")
        self.assertEqual(
            {name: row.abc_class for name, row in rows.items()},
            {"P1": "A", "P2": "A", "P3": "B", "P4": "B", "P5": "C"},
        )
        self.assertAlmostEqual(rows["P2"].cumulative_share, 75.0, msg="exactly at 75 %: still class A")
        self.assertAlmostEqual(rows["P3"].share, 15.0)
        self.assertEqual(
            rows["P4"].revenue, 60.0, "declined, draft, other-period and other-company work left out"
        )
        self.assertEqual(rows["P1"].visit_count, 1)

    def test_abc_without_payer_filter_and_class_figures(self):
        rows = self.abc()
        self.assertEqual(
            {name: row.abc_class for name, row in rows.items()},
            {"P5": "A", "P1": "A", "P2": "B", "P3": "B", "P4": "C"},
        )
        Report = (
            self.env["dealer.abc.report"]
            .with_company(self.shop)
            .with_context(dealer_date_from="2026-01-01", dealer_date_to="2026-06-30")
        )
        figures = {
            abc_class: (count, revenue, share)
            for abc_class, count, revenue, share in Report._read_group(
                [], ["abc_class"], ["__count", "revenue:sum", "share:sum"]
            )
        }
        self.assertEqual(figures["A"][:2], (2, 2640.0))
        self.assertAlmostEqual(figures["A"][2], 88.0)
        self.assertEqual(figures["C"][:2], (1, 60.0))

    def test_abc_thresholds_department_and_empty_period(self):
        self.shop.dealer_abc_class_a = 60.0
        rows = self.abc(dealer_payer_type="customer")
        self.assertEqual(rows["P2"].abc_class, "B", "P1 alone reaches 60 %")
        self.assertFalse(self.abc(dealer_department="body_shop"))
        self.assertFalse(self.abc(dealer_date_from="2024-01-01", dealer_date_to="2024-12-31"))

    def test_abc_other_company_sees_its_own_customers_only(self):
        rows = (
            self.env["dealer.abc.report"]
            .with_company(self.other_shop)
            .with_context(dealer_date_from="2026-01-01", dealer_date_to="2026-06-30")
            .search([])
        )
        self.assertEqual(rows.partner_id, self.p["P3"])
        self.assertEqual(rows.abc_class, "A")

    def test_abc_class_a_becomes_a_call_list(self):
        advisor = new_test_user(
            self.env,
            login="abc_advisor",
            groups="dealer_loyalty.dealer_loyalty_group_user",
            company_id=self.shop.id,
            company_ids=[self.shop.id],
        )
        Report = self.env["dealer.abc.report"].with_user(advisor).with_company(self.shop)
        class_a = Report.with_context(dealer_date_from="2026-01-01", dealer_date_to="2026-06-30").search(
            [("abc_class", "=", "A")]
        )
        (self.p["P5"] | self.p["P1"]).write({"dealer_consent_phone": True})  # calls from analyses sell
        action = class_a.action_dealer_create_call_list()
        self.assertIn("2 on the list, 0 left out", action["params"]["message"])
        calls = self.env["dealer.loyalty.reminder"].search(action["params"]["next"]["domain"])
        self.assertEqual(calls.partner_id, self.p["P5"] | self.p["P1"])
        self.assertEqual(set(calls.mapped("state")), {"to_do"}, calls.mapped("reason"))
        self.assertEqual(calls.activity_ids.user_id, advisor, "on the advisor's own call list")

    def test_lost_customers(self):
        months_ago = lambda months: self.today - relativedelta(months=months)  # noqa: E731
        lost = self.env["res.partner"].create({"name": "Lost One"})
        slipping = self.env["res.partner"].create({"name": "Slipping One"})
        recent = self.env["res.partner"].create({"name": "Recent One"})
        buyer = self.env["res.partner"].create({"name": "Buyer Only"})
        self.visit(lost, months_ago(13), [("Service", "labour", "customer", 300.0)])
        self.visit(lost, months_ago(20), [("Service", "labour", "customer", 200.0)])
        self.visit(slipping, months_ago(7), [("Service", "labour", "customer", 100.0)])
        self.visit(recent, months_ago(1), [("Service", "labour", "customer", 100.0)])
        self.visit(buyer, months_ago(2), [("Car", "vehicle", "customer", 20000.0)], department="sales")
        rows = (
            self.env["dealer.lost.customer.report"]
            .with_company(self.shop)
            .search([("partner_id", "in", (lost | slipping | recent | buyer).ids)])
        )
        stages = {row.partner_id.name: row.stage for row in rows}
        self.assertEqual(
            stages, {"Lost One": "lost", "Slipping One": "slipping", "Buyer Only": "bought_only"}
        )
        lost_row = rows.filtered(lambda row: row.partner_id == lost)
        self.assertEqual((lost_row.visit_count, lost_row.lifetime_revenue), (2, 500.0))
        self.assertEqual(lost_row.months_since, 13)
        self.assertEqual(lost_row.last_visit_date, months_ago(13))

    def test_inflow_and_outflow_per_month(self):
        first = self.env["res.partner"].create({"name": "Comes Back"})
        gone = self.env["res.partner"].create({"name": "Gone"})
        self.visit(first, date(2025, 1, 10), [("Service", "labour", "customer", 10.0)])
        self.visit(first, date(2025, 3, 10), [("Service", "labour", "customer", 10.0)])
        self.visit(gone, date(2025, 2, 5), [("Service", "labour", "customer", 10.0)])
        flows = (
            self.env["dealer.customer.flow.report"]
            .with_company(self.shop)
            ._read_group(
                [("partner_id", "in", (first | gone).ids)], ["month:month", "flow"], ["customer_count:sum"]
            )
        )
        by_month = {(month.strftime("%Y-%m"), flow): count for month, flow, count in flows}
        self.assertEqual(
            by_month,
            {
                ("2025-01", "new"): 1,
                ("2025-02", "new"): 1,
                ("2025-03", "returning"): 1,
                ("2026-02", "lost"): 1,
                ("2026-03", "lost"): 1,
            },
        )

    def test_advisor_retention(self):
        advisor = new_test_user(
            self.env, login="retention_advisor", groups="dealer_loyalty.dealer_loyalty_group_user"
        )
        other = new_test_user(
            self.env, login="other_advisor", groups="dealer_loyalty.dealer_loyalty_group_user"
        )
        loyal = self.env["res.partner"].create({"name": "Loyal"})
        wanderer = self.env["res.partner"].create({"name": "Wanderer"})
        self.visit(loyal, date(2025, 1, 10), [("Service", "labour", "customer", 10.0)], user_id=advisor.id)
        self.visit(loyal, date(2025, 6, 10), [("Service", "labour", "customer", 10.0)], user_id=advisor.id)
        self.visit(wanderer, date(2025, 1, 12), [("Service", "labour", "customer", 10.0)], user_id=advisor.id)
        self.visit(wanderer, date(2025, 6, 12), [("Service", "labour", "customer", 10.0)], user_id=other.id)
        [(served, rate)] = self.env["dealer.advisor.retention.report"]._read_group(
            [("user_id", "=", advisor.id)], [], ["visit_count:sum", "retention_rate:avg"]
        )
        self.assertEqual((served, rate), (2, 50.0))

    def test_program_effectiveness_against_control(self):
        program = self.env["dealer.loyalty.program"].create(
            {"name": "Effect", "program_type": "birthday", "company_id": self.shop.id, "user_id": False}
        )
        Reminder = self.env["dealer.loyalty.reminder"]
        common = {
            "program_id": program.id,
            "company_id": self.shop.id,
            "due_date": date(2026, 5, 1),
            "scheduled_date": date(2026, 5, 1),
            "channel": "email",
        }
        Reminder.create(
            {**common, "partner_id": self.p["P1"].id, "state": "done", "sent_date": date(2026, 5, 1)}
        )
        Reminder.create(
            {**common, "partner_id": self.p["P2"].id, "state": "done", "sent_date": date(2026, 5, 1)}
        )
        Reminder.create(
            {**common, "partner_id": self.p["P3"].id, "state": "held_out", "reason_code": "held_out"}
        )
        # Skipped customers (no consent, no address) are not a control group: they differ.
        Reminder.create(
            {**common, "partner_id": self.p["P4"].id, "state": "skipped", "reason_code": "no_consent"}
        )
        self.visit(self.p["P1"], date(2026, 5, 20), [("Service", "labour", "customer", 180.0)])
        self.visit(self.p["P2"], date(2026, 7, 1), [("Service", "labour", "customer", 99.0)])  # after 30 days
        groups = {
            group: (count, rate, revenue)
            for group, count, rate, revenue in self.env["dealer.program.effectiveness.report"]._read_group(
                [("program_id", "=", program.id)],
                ["group"],
                ["reminder_count:sum", "visit_rate:avg", "revenue:sum"],
            )
        }
        self.assertEqual(groups, {"contacted": (2, 50.0, 180.0), "control": (1, 0.0, 0.0)})
        program.invalidate_recordset()
        self.assertEqual(program.uplift, 50.0)

    def test_lead_source_efficiency(self):
        source = self.env["utm.source"].create({"name": "Radio ad"})
        self.p["P1"].dealer_source_id = source
        self.p["P2"].dealer_source_id = source
        self.env["dealer.marketing.cost"].create(
            {"company_id": self.shop.id, "source_id": source.id, "month": date(2026, 3, 17), "amount": 500.0}
        )
        [row] = self.env["dealer.source.report"].search([("source_id", "=", source.id)])
        self.assertEqual(row.month, date(2026, 3, 1))
        self.assertEqual((row.new_customers, row.revenue, row.cost), (2, 750.0, 500.0))
        self.assertEqual(row.cost_per_customer, 250.0)
        self.assertAlmostEqual(row.return_on_spend, 1.5)

    def test_lead_source_totals_add_up(self):
        source = self.env["utm.source"].create({"name": "Billboard"})
        self.p["P1"].dealer_source_id = source
        self.p["P2"].dealer_source_id = source
        Cost = self.env["dealer.marketing.cost"]
        Cost.create(
            {"company_id": self.shop.id, "source_id": source.id, "month": date(2026, 3, 1), "amount": 500.0}
        )
        # A month that cost 1,500 and brought nobody.
        Cost.create(
            {"company_id": self.shop.id, "source_id": source.id, "month": date(2026, 4, 1), "amount": 1500.0}
        )
        Report = self.env["dealer.source.report"]
        empty = Report.search([("source_id", "=", source.id), ("month", "=", date(2026, 4, 1))])
        self.assertEqual((empty.cost, empty.new_customers), (1500.0, 0))
        self.assertEqual(empty.cost_note, "No customer won")
        [(customers, cost, per_customer, per_cost)] = Report._read_group(
            [("source_id", "=", source.id)],
            [],
            ["new_customers:sum", "cost:sum", "cost_per_customer:avg", "return_on_spend:avg"],
        )
        # 2,000 spent for 2 customers: 1,000 each, not the average of 250 and nothing.
        self.assertEqual((customers, cost, per_customer), (2, 2000.0, 1000.0))
        self.assertAlmostEqual(per_cost, 750.0 / 2000.0)

    def test_vehicles_due_by_date_and_mileage(self):
        self.make_visit(date(2026, 3, 1), odometer=1500)
        self.make_visit(date(2026, 4, 1), odometer=3000)
        row = self.env["dealer.vehicle.due.report"].search([("vehicle_id", "=", self.vehicle.id)])
        self.assertEqual(row.next_service_date, self.vehicle.dealer_next_service_date)
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.yearly_mileage, round(self.vehicle.dealer_daily_mileage * 365))
        self.assertEqual(row.mileage_band, "medium", "1,500 km in a month is about 18,000 km a year")
