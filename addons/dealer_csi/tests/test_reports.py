# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

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
        self.assertIsNone(figures["trend"][0]["csi"])  # a gap, not a CSI of 0
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


@tagged("post_install", "-at_install")
class TestCsiReadableReports(DealerCsiCase):
    """The reports as people read them: gaps for months without answers, the target, the
    response rate per channel, the customers' own words, a formatted workbook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dealer_csi_complaint_threshold = 0.0  # complaints are made by hand below
        cls.company.dealer_csi_detractor_action = "none"
        cls.comment_question = cls.env.ref("dealer_csi.survey_csi_service_q_comment")
        cls.wizard = cls.env["dealer.csi.meeting.wizard"].create(
            {"month": date(2026, 6, 1), "company_id": cls.company.id}
        )

    def answered(self, visit_date, scores, recommend=None, comment=None, channel="email", company=None):
        """A visit survey sent by ``channel``, answered with ``scores`` and ``comment`` unless empty."""
        visit = self.make_visit(visit_date)
        user_input = self.env["survey.user_input"].create(
            {
                "survey_id": self.survey.id,
                "partner_id": visit.partner_id.id,
                "dealer_kind": "visit",
                "dealer_visit_id": visit.id,
                "dealer_visit_date": visit.date,
                "dealer_company_id": (company or self.company).id,
                "dealer_department": "service",
                "dealer_advisor_id": visit.user_id.id,
                "dealer_channel": channel,
                "dealer_csi_state": "sent",
            }
        )
        if comment:
            user_input._save_lines(self.comment_question, comment)
        if scores:
            # Months long closed get their answers as history; every required question is answered.
            self.answer(
                user_input.with_context(dealer_csi_history=True),
                scores,
                8 if recommend is None else recommend,
            )
        return user_input

    def complaint(self, received, department="service", **vals):
        return self.env["dealer.complaint"].create(
            {
                "name": "Car not washed",
                "partner_id": self.customer.id,
                "department": department,
                "company_id": self.company.id,
                "date_received": received,
                **vals,
            }
        )

    # ------------------------------------------------------------
    # GAPS
    # ------------------------------------------------------------

    def test_months_without_answers_are_gaps(self):
        self.answered(date(2026, 3, 10), [4] * 6, recommend=9)
        self.answered(date(2026, 4, 10), [])  # invited in April, nobody answered
        self.answered(date(2026, 6, 2), [5] * 6, recommend=10)
        self.env.flush_all()
        trend = self.wizard._dealer_meeting_figures()["trend"]
        by_label = {row["label"]: row for row in trend}
        self.assertEqual(by_label["Mar 2026"]["csi"], 75.0)
        self.assertIsNone(by_label["Feb 2026"]["csi"])  # no survey at all
        self.assertIsNone(by_label["Feb 2026"]["response_rate"])
        self.assertIsNone(by_label["Apr 2026"]["csi"])  # invited, not answered: no CSI, 0 % response
        self.assertIsNone(by_label["Apr 2026"]["nps"])
        self.assertEqual(by_label["Apr 2026"]["response_rate"], 0.0)
        self.assertIsNone(by_label["May 2026"]["csi"])
        with freeze_time("2026-06-20"):
            self.config.invalidate_recordset()
            dashboard = self.config.csi_trend
        self.assertEqual([month["label"] for month in dashboard], ["Jan", "Feb", "Mar", "Apr", "May", "Jun"])
        self.assertEqual([month["csi"] for month in dashboard], [None, None, 75.0, None, None, 100.0])
        self.assertEqual(dashboard[3]["height"], 0)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("dealer_csi.action_report_dealer_csi_meeting", self.wizard.ids)[0]
            .decode()
        )
        self.assertIn("no answers", html)

    def test_dashboard_month_is_the_visit_month_beside_the_last_complete_one(self):
        self.answered(date(2026, 5, 10), [5] * 6, recommend=10)
        self.answered(date(2026, 5, 20), [])
        self.answered(date(2026, 6, 3), [3] * 6, recommend=5)
        self.env.flush_all()
        with freeze_time("2026-06-20"):
            self.config.invalidate_recordset()
            config = self.config
            self.assertEqual(config.dashboard_month_label, "June 2026")
            self.assertEqual(config.dashboard_previous_month_label, "May 2026")
            self.assertEqual((config.csi_month, config.answer_count_month), (50.0, 1))
            self.assertEqual(config.csi_previous_month, 100.0)
            self.assertEqual(config.response_rate_previous_month, 50.0)
            self.assertEqual(config.invitation_count_previous_month, 2)
            self.assertEqual(config.nps_previous_month, 100.0)

    # ------------------------------------------------------------
    # TARGET
    # ------------------------------------------------------------

    def test_target_per_department(self):
        self.assertEqual(self.config.target_csi, 85.0)  # the default
        with Form(self.config) as form:
            form.target_csi = 80.0
        with self.assertRaises(ValidationError):
            self.config.target_csi = 120.0
        self.answered(date(2026, 6, 2), [4] * 6, recommend=8)  # 75: below the 80 target
        sale = self.make_visit(date(2026, 6, 5), department="sales")
        self.answer(self.make_answer_set(sale, [], department="sales"), [5] * 6, recommend=10)
        self.env.flush_all()
        rows = {row["label"]: row for row in self.wizard._dealer_meeting_figures()["departments"]}
        self.assertEqual((rows["Service"]["csi"], rows["Service"]["target"]), (75.0, 80.0))
        self.assertTrue(rows["Service"]["below_target"])
        self.assertIsNone(rows["Sales"]["target"])  # no survey setting: no target
        self.assertFalse(rows["Sales"]["below_target"])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("dealer_csi.action_report_dealer_csi_meeting", self.wizard.ids)[0]
            .decode()
        )
        self.assertIn("below target", html)
        self.assertIn("80.0", html)
        with freeze_time("2026-06-20"):
            self.config.invalidate_recordset()
            self.assertTrue(self.config.csi_month_below_target)
        kanban = self.env["dealer.csi.config"].get_view(
            self.env.ref("dealer_csi.dealer_csi_config_view_kanban").id, "kanban"
        )["arch"]
        self.assertIn("target_csi", kanban)
        self.assertIn("csi_month_below_target", kanban)

    def test_analyses_open_on_the_last_complete_month(self):
        for xmlid, facet in (
            ("dealer_csi.dealer_csi_report_action", "search_default_filter_date"),
            ("dealer_csi.dealer_csi_question_report_action", "search_default_filter_date"),
            ("dealer_csi.dealer_csi_comment_report_action", "search_default_filter_date"),
            # Complaints are few: their analysis opens on the last twelve months.
            ("dealer_csi.dealer_complaint_action_analysis", "search_default_filter_last_12_months"),
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            # "month-1": the search view's date filter on the previous month, which the user can remove
            value = "1" if "12_months" in facet else "'month-1'"
            self.assertIn(f"'{facet}': {value}", action["context"], xmlid)
            for view_id, view_type in action["views"]:
                if view_type in ("graph", "pivot"):
                    arch = self.env[action["res_model"]].get_view(view_id, view_type)["arch"]
                    self.assertNotIn("sample=", arch, f"{xmlid}: no made-up sample chart")

    # ------------------------------------------------------------
    # RESPONSE RATE PER CHANNEL
    # ------------------------------------------------------------

    def test_response_rate_per_channel(self):
        self.answered(date(2026, 6, 2), [4] * 6, recommend=9, channel="email")
        self.answered(date(2026, 6, 3), [], channel="email")
        self.answered(date(2026, 6, 4), [], channel="email")
        self.answered(date(2026, 6, 5), [5] * 6, recommend=10, channel="sms")
        self.answered(date(2026, 6, 6), [2] * 6, recommend=3, channel="phone")
        self.answered(date(2026, 6, 7), [], channel="phone")
        self.env.flush_all()
        channels = {row["label"]: row for row in self.wizard._dealer_meeting_figures()["channels"]}
        self.assertEqual(
            {
                label: (row["invitations"], row["answers"], round(row["response_rate"], 1))
                for label, row in channels.items()
            },
            {
                "E-mail link": (3, 1, 33.3),
                "SMS link": (1, 1, 100.0),
                "Follow-up call (agent fills in the survey)": (2, 1, 50.0),
            },
        )
        # The same figures in the analysis, grouped by channel
        groups = self.env["dealer.csi.report"]._read_group(
            [("company_id", "=", self.company.id)], ["channel"], ["response_rate:avg"]
        )
        self.assertEqual(
            {channel: round(rate, 1) for channel, rate in groups},
            {"email": 33.3, "sms": 100.0, "phone": 50.0},
        )

    # ------------------------------------------------------------
    # COMMENTS
    # ------------------------------------------------------------

    def test_comments_list_and_month_in_the_pdf(self):
        good = self.answered(date(2026, 6, 2), [5] * 6, recommend=10, comment="Friendly and quick, thank you")
        bad = self.answered(date(2026, 6, 9), [2] * 6, recommend=2, comment="  Car was returned dirty  ")
        self.answered(date(2026, 6, 12), [4] * 6, recommend=8, comment="   ")  # blank: not a comment
        self.answered(date(2026, 5, 12), [3] * 6, recommend=5, comment="Waited an hour in May")
        self.env.flush_all()
        Comment = self.env["dealer.csi.comment.report"]
        rows = Comment.search([("company_id", "=", self.company.id), ("date", ">=", date(2026, 6, 1))])
        self.assertEqual(len(rows), 2)
        row = rows.filtered(lambda comment: comment.user_input_id == bad)
        self.assertEqual(row.comment, "Car was returned dirty")
        self.assertEqual(row.csi_score, 25.0)
        self.assertEqual(row.advisor_id, self.advisor)
        self.assertEqual(row.visit_id, bad.dealer_visit_id)
        self.assertEqual(row.date, date(2026, 6, 9))
        self.assertEqual(row.question_id, self.comment_question)
        comments = self.wizard._dealer_meeting_figures()["comments"]
        self.assertEqual(
            [comment["comment"] for comment in comments],
            ["Car was returned dirty", "Friendly and quick, thank you"],
        )
        self.assertEqual(comments[0]["visit"], bad.dealer_visit_id.name)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("dealer_csi.action_report_dealer_csi_meeting", self.wizard.ids)[0]
            .decode()
        )
        self.assertIn("Car was returned dirty", html)
        self.assertNotIn("Waited an hour in May", html)
        self.assertLess(html.index("Car was returned dirty"), html.index("Friendly and quick"))
        self.assertTrue(good)

    def test_comments_follow_company_and_advisor_rules(self):
        mine = self.answered(date(2026, 6, 2), [4] * 6, comment="Mine")
        colleague = self.advisor.copy({"name": "Carl Colleague", "login": "csi_colleague_comments"})
        theirs = self.make_answer_set(self.make_visit(date(2026, 6, 3), user_id=colleague.id), [])
        theirs._save_lines(self.comment_question, "Theirs")
        self.answer(theirs, [3] * 6, recommend=7)
        other_company = self.env["res.company"].create(
            {"name": "Other Motors", "dealer_csi_complaint_threshold": 0.0}
        )
        self.answered(date(2026, 6, 4), [1] * 6, comment="Elsewhere", company=other_company)
        self.env.flush_all()
        Comment = self.env["dealer.csi.comment.report"]
        self.assertEqual(Comment.with_user(self.advisor).search([]).mapped("comment"), ["Mine"])
        self.assertEqual(
            sorted(Comment.with_user(self.manager).search([]).mapped("comment")), ["Mine", "Theirs"]
        )
        self.manager.company_ids |= other_company
        self.assertEqual(
            sorted(
                Comment.with_user(self.manager)
                .with_context(allowed_company_ids=[self.company.id, other_company.id])
                .search([])
                .mapped("comment")
            ),
            ["Elsewhere", "Mine", "Theirs"],
        )
        self.assertEqual(len(Comment.with_user(self.manager).search([("comment", "=", "Elsewhere")])), 0)
        self.assertTrue(mine)

    # ------------------------------------------------------------
    # EXCEL
    # ------------------------------------------------------------

    def test_excel_formats_and_complaint_totals(self):
        self.answered(date(2026, 6, 2), [5] * 6, recommend=10, comment="Great")
        self.answered(date(2026, 6, 3), [4] * 6, recommend=8)
        self.answered(date(2026, 6, 4), [3] * 6, recommend=2)  # CSI (100 + 75 + 50) / 3 = 75
        self.answered(date(2026, 6, 5), [])  # 3 of 4 answered
        resolved = self.env.ref("dealer_csi.dealer_complaint_stage_resolved")
        with freeze_time("2026-06-02 08:00:00"):
            fixed = self.complaint(datetime(2026, 6, 2, 8, 0))
            late = self.complaint(datetime(2026, 6, 2, 8, 0), severity="low")
        with freeze_time("2026-06-05 08:00:00"):
            fixed.write({"resolution": "Washed it again.", "stage_id": resolved.id})
        self.complaint(datetime(2026, 6, 20, 8, 0), department="sales")
        self.complaint(datetime(2026, 5, 20, 8, 0))  # May's, still open: overdue at the end of June
        self.env.flush_all()
        with freeze_time("2026-07-02 10:00:00"):  # June is over
            self.assertTrue(late.is_overdue)
            self.wizard.action_export_excel()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(self.wizard.excel_file)))

        def table(sheet):
            """The sheet's rows under its header row, by their first cell."""
            rows = list(sheet.iter_rows(min_row=3))
            header = [cell.value for cell in rows[0]]
            return header, {
                row[0].value: dict(zip(header, row, strict=False)) for row in rows[1:] if row[0].value
            }

        summary = book["Departments"]
        self.assertEqual(summary.freeze_panes, "B4")
        header, rows = table(summary)
        service = rows["Service"]
        self.assertEqual(service["CSI"].value, 75.0)
        self.assertEqual(service["CSI"].number_format, "0.0")
        self.assertEqual(service["NPS"].number_format, "+0.0;-0.0;0.0")
        self.assertEqual(service["Target"].value, 85.0)
        self.assertEqual(service["Response rate"].value, 0.75)
        self.assertEqual(service["Response rate"].number_format, "0.0%")
        trend = book["Trend"]
        _header, months = table(trend)
        self.assertIsNone(months["Jan 2026"]["CSI"].value)  # a gap, not 0
        self.assertEqual(months["Jun 2026"]["CSI"].value, 75.0)
        complaints = book["Complaints"]
        self.assertEqual(complaints.freeze_panes, "B4")
        _header, rows = table(complaints)
        self.assertEqual(
            [rows["Service"][column].value for column in ("Opened", "Resolved", "Overdue at month end")],
            [2, 1, 2],
        )
        self.assertEqual(rows["Service"]["Average days to resolve"].value, 3.0)
        self.assertEqual(rows["Service"]["Average days to resolve"].number_format, "0.0")
        self.assertEqual([rows["Sales"][column].value for column in ("Opened", "Resolved")], [1, 0])
        self.assertIsNone(rows["Sales"]["Average days to resolve"].value)
        self.assertEqual(
            [rows["Total"][column].value for column in ("Opened", "Resolved", "Overdue at month end")],
            [3, 1, 3],
        )
        _header, comments = table(book["Comments"])
        self.assertEqual(comments[datetime(2026, 6, 2)]["Comment"].value, "Great")
        self.assertEqual(set(book.sheetnames) >= {"Channels", "Advisors", "Questions"}, True)

    # ------------------------------------------------------------
    # SURVEYS
    # ------------------------------------------------------------

    def test_csi_figures_on_the_survey(self):
        self.answered(date(2026, 6, 2), [5] * 6, recommend=10)  # 100, promoter
        self.answered(date(2026, 6, 3), [3] * 6, recommend=8)  # 50, passive
        self.answered(date(2026, 6, 4), [2] * 6, recommend=1)  # 25, detractor
        self.answered(date(2026, 6, 5), [2] * 6, recommend=0)  # 25, detractor
        self.answered(date(2026, 6, 6), [])
        self.env.flush_all()
        survey = self.survey.with_context(allowed_company_ids=self.company.ids)
        self.assertEqual(survey.dealer_answer_count, 4)
        self.assertEqual(survey.dealer_invitation_count, 5)
        self.assertEqual(survey.dealer_csi, 50.0)
        self.assertEqual(survey.dealer_nps, -25.0)
        self.assertEqual(survey.dealer_response_rate, 80.0)
        view = self.env.ref("dealer_csi.survey_survey_view_list_dealer_csi")
        arch = self.env["survey.survey"].get_view(view.id, "list")["arch"]
        self.assertIn("dealer_csi", arch)
        self.assertNotIn("answer_score_avg", arch)
