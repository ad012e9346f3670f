# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import DealerCsiCase


@tagged("post_install", "-at_install")
class TestCsiIndex(DealerCsiCase):
    """Index figures on a hand-made month pair: every number below is worked out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dealer_csi_complaint_threshold = 0.0  # keep complaints out of the figures
        cls.seller = cls.advisor.copy({"name": "Sven Seller", "login": "csi_seller"})

    def setUp(self):
        super().setUp()
        may, june = date(2026, 5, 10), date(2026, 6, 10)
        # May, service: 100 (promoter), 50 (detractor), one not answered
        self.make_answer_set(self.make_visit(may), [5] * 6, recommend=10)
        self.make_answer_set(self.make_visit(may), [3] * 6, recommend=3)
        self.make_answer_set(self.make_visit(may), [])
        # June, service: 75 (passive), 25 (detractor)
        self.make_answer_set(self.make_visit(june), [4] * 6, recommend=8)
        self.make_answer_set(self.make_visit(june), [2] * 6, recommend=0)
        # June, sales: 100 (promoter) by the salesperson, one not answered
        sale = self.make_visit(june, department="sales", user_id=self.seller.id)
        self.make_answer_set(sale, [5] * 6, recommend=9, department="sales")
        self.make_answer_set(
            self.make_visit(june, department="sales", user_id=self.seller.id), [], department="sales"
        )
        self.env.flush_all()

    def figures(self, groupby):
        return {
            key: (round(csi, 2), round(nps, 2), round(rate, 2), count)
            for key, csi, nps, rate, count in self.env["dealer.csi.report"]._read_group(
                [("company_id", "=", self.company.id)],
                [groupby],
                ["csi_score:avg", "nps:avg", "response_rate:avg", "__count"],
            )
        }

    def test_per_department_and_month(self):
        by_month = self.figures("date:month")
        self.assertEqual(by_month[date(2026, 5, 1)], (75.0, 0.0, 66.67, 3))
        # June: 75, 25, 100 -> 66.67; NPS (1 promoter - 1 detractor) / 3 answers = 0; 3 of 4 answered
        self.assertEqual(by_month[date(2026, 6, 1)], (66.67, 0.0, 75.0, 4))
        by_department = self.figures("department")
        self.assertEqual(by_department["service"], (62.5, -25.0, 80.0, 5))
        self.assertEqual(by_department["sales"], (100.0, 100.0, 50.0, 2))
        by_person = self.figures("advisor_id")
        self.assertEqual(by_person[self.seller], (100.0, 100.0, 50.0, 2))

    def test_per_question_averages(self):
        groups = self.env["dealer.csi.question.report"]._read_group(
            [("company_id", "=", self.company.id), ("question_id", "=", self.score_questions[0].id)],
            [],
            ["score:avg", "__count"],
        )
        # 100, 50, 75, 25, 100 over five answers
        self.assertEqual(groups, [(70.0, 5)])

    def test_monthly_meeting_figures_and_excel(self):
        wizard = self.env["dealer.csi.meeting.wizard"].create(
            {"month": date(2026, 6, 20), "company_id": self.company.id}
        )
        figures = wizard._dealer_meeting_figures()
        self.assertAlmostEqual(figures["total"]["csi"], 66.67, places=2)
        self.assertEqual(figures["total"]["answers"], 3)
        self.assertEqual(figures["total"]["invitations"], 4)
        self.assertEqual([row["label"] for row in figures["trend"]][-2:], ["May 2026", "Jun 2026"])
        self.assertEqual(figures["trend"][-2]["csi"], 75.0)
        self.assertEqual(figures["trend"][0]["answers"], 0)  # January: no survey, still listed
        self.assertEqual(
            {row["label"]: round(row["csi"], 2) for row in figures["departments"]},
            {"Service": 50.0, "Sales": 100.0},
        )
        self.assertEqual(figures["advisors"][0]["label"], "Sven Seller")
        self.assertEqual(figures["questions"][0]["score"], min(row["score"] for row in figures["questions"]))
        action = wizard.action_export_excel()
        self.assertIn("/excel_file/", action["url"])
        self.assertEqual(wizard.excel_name, "csi-2026-06.xlsx")
        self.assertTrue(wizard.excel_file)

    def test_dashboard_figures_of_the_month(self):
        # A month of its own, away from the May and June figures of setUp.
        with freeze_time("2026-08-20 10:00:00"):
            today = fields.Date.context_today(self.config)
            self.make_answer_set(self.make_visit(today), [4] * 6, recommend=10)
            self.make_answer_set(self.make_visit(today), [])
            self.env.flush_all()
            self.config.invalidate_recordset()
            self.assertEqual(self.config.csi_month, 75.0)
            self.assertEqual(self.config.nps_month, 100.0)
            self.assertEqual(self.config.response_rate_month, 50.0)
            self.assertEqual(self.config.invitation_count_month, 2)
            self.assertEqual(len(self.config.csi_trend), 6)
            self.assertEqual(self.config.csi_trend[-1]["csi"], 75.0)
