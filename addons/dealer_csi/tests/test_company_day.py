# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DealerCsiCase


@tagged("post_install", "-at_install")
class TestCsiCompanyDay(DealerCsiCase):
    """Deadlines and a month's closing follow the dealership's day, not the clock of whoever runs them.

    The survey page runs as the public user and the daily jobs as the system,
    neither in the dealership's time zone.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dealer_timezone = "Asia/Shanghai"

    def utc_env(self):
        return self.env(context=dict(self.env.context, tz="UTC"))

    def test_complaint_deadline_counts_from_the_dealership_day(self):
        self.company.dealer_complaint_days_medium = 7
        # 20:00 UTC on 15 June: already 04:00 on 16 June in Shanghai.
        with freeze_time(datetime(2026, 6, 15, 20, 0)):
            complaint = self.utc_env()["dealer.complaint"].create(
                {
                    "name": "Car returned dirty",
                    "partner_id": self.customer.id,
                    "severity": "medium",
                    "company_id": self.company.id,
                }
            )
            self.assertEqual(complaint.date_deadline, date(2026, 6, 23))

    def test_escalation_and_resurvey_dates_on_the_dealership_day(self):
        self.enable_service_recovery()
        self.company.write({"dealer_complaint_days_critical": 1, "dealer_csi_resurvey_days": 7})
        low = self.make_answer_set(self.make_visit(date(2026, 6, 10)), [1, 1, 1, 1, 1, 1], recommend=0)
        complaint = low.dealer_complaint_ids.with_env(self.utc_env())
        resolved = self.env.ref("dealer_csi.dealer_complaint_stage_resolved")
        with freeze_time(datetime(2026, 6, 15, 20, 0)):
            complaint.write({"resolution": "Wheel re-balanced.", "stage_id": resolved.id})
            self.assertEqual(complaint.resurvey_date, date(2026, 6, 23))
            complaint._dealer_escalate(low)
            self.assertEqual(complaint.severity, "critical")
            self.assertEqual(complaint.date_deadline, date(2026, 6, 17))

    def test_month_closes_on_the_dealership_day(self):
        visit = self.make_visit(date(2026, 3, 20))
        answer = self.make_answer_set(visit, [])
        closes_on = self.company._dealer_csi_month_closes_on(date(2026, 3, 1))
        # The evening before the closing day in UTC is the closing day in Shanghai.
        with freeze_time(datetime.combine(closes_on - timedelta(days=1), time(20, 0))):
            answer = answer.with_env(self.utc_env())
            self.assertTrue(answer._dealer_month_closed())
            with self.assertRaises(ValidationError):
                self.answer(answer, [5, 5, 5, 5, 5, 5], recommend=10)

    def test_monthly_report_counts_complaints_in_the_dealership_month(self):
        self.company.dealer_csi_complaint_threshold = 0.0
        # 01:00 on 1 July in Shanghai: a July complaint, wherever the report is printed from.
        with freeze_time(datetime(2026, 7, 10, 10, 0)):
            self.env["dealer.complaint"].create(
                {
                    "name": "Late handover",
                    "partner_id": self.customer.id,
                    "department": "service",
                    "company_id": self.company.id,
                    "date_received": datetime(2026, 6, 30, 17, 0),
                }
            )
            self.env.user.tz = "Europe/Tallinn"
            Wizard = self.env["dealer.csi.meeting.wizard"].with_context(tz="Europe/Tallinn")
            june = Wizard.create({"month": date(2026, 6, 1), "company_id": self.company.id})
            july = Wizard.create({"month": date(2026, 7, 1), "company_id": self.company.id})
            self.assertEqual(june._dealer_meeting_figures()["complaints"]["received"], 0)
            self.assertEqual(july._dealer_meeting_figures()["complaints"]["received"], 1)

    def test_invitation_day_and_answer_window_on_the_dealership_day(self):
        self.config.channel = "email"
        self.company.dealer_csi_answer_days = 30
        invitation = self.invite(self.make_visit(date(2026, 6, 12)))
        # 20:00 UTC on 15 June is 04:00 on 16 June in Shanghai.
        with freeze_time(datetime(2026, 6, 15, 20, 0)):
            self.utc_env()["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(invitation.dealer_invited_on, date(2026, 6, 16))
        # Answerable until the end of 16 July in Shanghai: 16:00 UTC.
        self.assertEqual(invitation.deadline, datetime(2026, 7, 16, 16, 0))

    def test_survey_day_is_the_dealership_day(self):
        self.config.write({"delay_days": 3, "catch_up_days": 0})
        visit = self.make_visit(date(2026, 6, 12))
        config = self.config.with_env(self.utc_env())
        # 20:00 UTC on 14 June is already 15 June, the survey day, in Shanghai.
        with freeze_time(datetime(2026, 6, 14, 20, 0)):
            self.assertEqual(config._dealer_create_invitations(), 1)
        self.assertTrue(self.env["survey.user_input"].search([("dealer_visit_id", "=", visit.id)]))
