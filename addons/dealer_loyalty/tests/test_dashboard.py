# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
@freeze_time("2026-12-15 10:00")
class TestDashboardFigures(TransactionCase):
    """The dashboard's figures against the same figures counted by hand on a small dealership."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env["res.company"].create({"name": "Dashboard Motors", "dealer_lost_after_months": 12})
        cls.env.user.company_ids = [(4, company.id)]
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[company.id], tracking_disable=True)
        )
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Dashbrand"})
        cls.model = cls.env["fleet.vehicle.model"].create({"name": "Dasher", "brand_id": brand.id})
        # Served 13–24 months before this month: Anna, Boris, Dmitri. Back in the last 12 months: Anna.
        # Carmen came only recently; Dmitri's last visit turns one year old this month (lost);
        # Erik came back after two years away (won back).
        cls.visits = {
            "Anna": [date(2025, 6, 10), date(2026, 9, 10)],
            "Boris": [date(2025, 6, 10)],
            "Carmen": [date(2026, 7, 10)],
            "Dmitri": [date(2025, 12, 5)],
            "Erik": [date(2024, 6, 1), date(2026, 12, 10)],
        }
        cls.customers = {}
        for index, (name, dates) in enumerate(cls.visits.items()):
            customer = cls.env["res.partner"].create({"name": name})
            vehicle = cls.env["fleet.vehicle"].create(
                {"model_id": cls.model.id, "license_plate": f"DSH{index:03d}", "dealer_owner_id": customer.id}
            )
            cls.env["dealer.visit"].create(
                [
                    {
                        "partner_id": customer.id,
                        "vehicle_id": vehicle.id,
                        "date": visit_date,
                        "department": "service",
                        "state": "done",
                        "odometer": 1000 * (number + 1),
                        "line_ids": [(0, 0, {"name": "Service", "category": "labour", "amount": 100})],
                    }
                    for number, visit_date in enumerate(dates)
                ]
            )
            cls.customers[name] = customer

    def dashboard(self):
        return {
            section["key"]: section for section in self.env["dealer.dashboard"].get_dashboard()["sections"]
        }

    def tile(self, section, label):
        return next(tile for tile in section["tiles"] if tile["label"] == label)

    def test_service_retention_is_the_share_of_customers_served_13_to_24_months_ago_who_came_back(self):
        retention = self.dashboard()["retention"]
        tile = self.tile(retention, "Service retention")
        self.assertEqual(tile["value"], 33.3)
        self.assertIn("1 of the 3 customers", tile["hint"])
        bars = retention["trend"]["bars"]
        self.assertEqual(len(bars), 13)
        self.assertEqual((bars[0]["label"], bars[-1]["label"]), ("Dec", "Dec"))
        self.assertEqual(bars[-1]["value"], 33.3)
        # A year earlier (December 2025): only Erik had been served 13–24 months before, and he
        # stayed away the following 12 months.
        self.assertEqual(bars[0]["value"], 0.0)
        self.assertIn("(0 of 1)", bars[0]["title"])

    def test_lost_and_won_back_this_month(self):
        retention = self.dashboard()["retention"]
        lost = self.tile(retention, "Lost this month")
        won_back = self.tile(retention, "Won back this month")
        self.assertEqual((lost["value"], won_back["value"]), (1, 1))
        self.assertEqual(lost["action"]["domain"], [("id", "in", self.customers["Dmitri"].ids)])
        self.assertEqual(won_back["action"]["domain"], [("id", "in", self.customers["Erik"].ids)])

    def test_lost_and_won_back_leave_out_the_near_misses(self):
        """Around the limit (12 months; today 15 December 2026): only crossings of this month so far."""
        near_misses = {
            "Fiona": [date(2025, 11, 20)],  # crossed last month
            "Gert": [date(2025, 12, 20)],  # crosses later this month
            "Hanna": [date(2025, 12, 3), date(2026, 3, 1)],  # came again since
            "Ivo": [date(2025, 12, 5), date(2026, 12, 2)],  # back this month, but never gone
            "Jaan": [date(2026, 12, 5)],  # first visit ever
            "Kati": [date(2024, 1, 1), date(2026, 12, 3), date(2026, 12, 8)],  # won back, twice this month
        }
        customers = {}
        for name, dates in near_misses.items():
            customers[name] = self.env["res.partner"].create({"name": name})
            self.env["dealer.visit"].create(
                [
                    {
                        "partner_id": customers[name].id,
                        "date": visit_date,
                        "department": "service",
                        "state": "done",
                        "odometer": 1000 * (number + 1),
                    }
                    for number, visit_date in enumerate(dates)
                ]
            )
        # Lena's visit that would make her lost was cancelled.
        lena = self.env["res.partner"].create({"name": "Lena"})
        self.env["dealer.visit"].create(
            {"partner_id": lena.id, "date": date(2025, 12, 10), "state": "done"}
        ).action_cancel()
        retention = self.dashboard()["retention"]
        lost = self.tile(retention, "Lost this month")["action"]["domain"][0][2]
        won_back = self.tile(retention, "Won back this month")["action"]["domain"][0][2]
        self.assertEqual(sorted(lost), self.customers["Dmitri"].ids)
        self.assertEqual(sorted(won_back), sorted((self.customers["Erik"] | customers["Kati"]).ids))

    def test_only_the_current_companies_count(self):
        other = self.env["res.company"].create({"name": "Elsewhere Motors"})
        self.env.user.company_ids = [(4, other.id)]
        figures = self.env(context=dict(self.env.context, allowed_company_ids=[other.id]))["dealer.dashboard"]
        retention = {s["key"]: s for s in figures.get_dashboard()["sections"]}["retention"]
        self.assertNotIn("value", self.tile(retention, "Service retention"))  # no figure, no None

    def test_every_addon_adds_its_section(self):
        self.assertTrue(
            {"retention", "service_desk", "satisfaction", "membership"} <= self.dashboard().keys()
        )

    def test_not_for_users_outside_the_dealership(self):
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "dash_outsider",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.env["dealer.dashboard"].with_user(outsider).get_dashboard()
