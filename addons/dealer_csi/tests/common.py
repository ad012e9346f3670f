# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from datetime import date, datetime, time
from unittest.mock import patch

from freezegun import freeze_time

from odoo import sql_db
from odoo.tools import SQL

from odoo.addons.dealer_loyalty.tests.common import DealerLoyaltyCase

TODAY = date(2026, 6, 15)


class DealerCsiCase(DealerLoyaltyCase):
    """A company of its own (no demo or shipped settings in the way), a service survey setting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {"name": "CSI Motors", "country_id": cls.env.ref("base.be").id}
        )
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.company = cls.company.with_env(cls.env)
        cls.survey = cls.env.ref("dealer_csi.survey_csi_service")
        cls.score_questions = cls.survey.question_ids.filtered(lambda q: q.dealer_csi_role == "score")
        cls.recommend_question = cls.survey.question_ids.filtered(lambda q: q.dealer_csi_role == "recommend")
        cls.advisor = cls.env["res.users"].create(
            {
                "name": "Anna Advisor",
                "login": "csi_advisor",
                "email": "anna@example.com",
                "company_id": cls.company.id,
                "company_ids": [(6, 0, cls.company.ids)],
                "groups_id": [(6, 0, [cls.env.ref("dealer_csi.dealer_csi_group_user").id])],
            }
        )
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Mark Manager",
                "login": "csi_manager",
                "email": "mark@example.com",
                "company_id": cls.company.id,
                "company_ids": [(6, 0, cls.company.ids)],
                "groups_id": [(6, 0, [cls.env.ref("dealer_csi.dealer_csi_group_manager").id])],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ivan Ivanov", "email": "ivan@example.com", "phone": "+32 470 12 34 56"}
        )
        cls.vehicle = cls.env["fleet.vehicle"].create(
            {
                "model_id": cls.model.id,
                "license_plate": "1-CSI-001",
                "dealer_owner_id": cls.customer.id,
                "company_id": cls.company.id,
            }
        )
        cls.config = cls.env["dealer.csi.config"].create(
            {
                "name": "Service follow-up call",
                "department": "service",
                "survey_id": cls.survey.id,
                "delay_days": 3,
                "catch_up_days": 7,
                "channel": "phone",
                "user_id": cls.advisor.id,
                "manager_id": cls.manager.id,
                "company_id": cls.company.id,
            }
        )

    def setUp(self):
        super().setUp()
        # The scenarios happen on TODAY: answers are checked against the
        # answer window and the month's closing, which follow the clock.
        freezer = freeze_time(datetime.combine(TODAY, time(10, 0)))
        freezer.start()
        self.addCleanup(freezer.stop)

    @contextmanager
    def record_queries(self):
        """The SQL statements run inside the block, as Odoo's ``assertQueries`` records them."""
        queries = []
        execute = sql_db.Cursor.execute

        def recording(cr, query, *args, **kwargs):
            queries.append(query.code if isinstance(query, SQL) else query)
            return execute(cr, query, *args, **kwargs)

        with patch.object(sql_db.Cursor, "execute", recording):
            yield queries

    @classmethod
    def enable_service_recovery(cls):
        """Complaints below 60 and a recovery survey a week after they are resolved."""
        cls.company.write(
            {
                "dealer_csi_complaint_threshold": 60.0,
                "dealer_csi_resurvey_days": 7,
                "dealer_csi_recovery_survey_id": cls.env.ref("dealer_csi.survey_csi_recovery").id,
            }
        )

    @classmethod
    def make_visit(cls, visit_date, **kwargs):
        kwargs.setdefault("user_id", cls.advisor.id)
        kwargs.setdefault("company_id", cls.company.id)
        return super().make_visit(visit_date, **kwargs)

    def answer(self, user_input, scores, recommend=None):
        """Fill in the survey as the customer would, then submit it."""
        for question, value in zip(self.score_questions, scores, strict=False):
            user_input._save_lines(question, str(value))
        if recommend is not None:
            user_input._save_lines(self.recommend_question, str(recommend))
        user_input._mark_done()
        return user_input

    def invite(self, visits, today=TODAY):
        """Create the visits' invitations (as the daily job does) and return them."""
        self.config._dealer_create_invitations(today=today)
        return self.env["survey.user_input"].search([("dealer_visit_id", "in", visits.ids)])

    def make_answer_set(self, visit, scores, recommend=None, department="service"):
        """A visit survey answered with the given scores, bypassing the invitation step."""
        user_input = self.env["survey.user_input"].create(
            {
                "survey_id": self.survey.id,
                "partner_id": visit.partner_id.id,
                "dealer_kind": "visit",
                "dealer_visit_id": visit.id,
                "dealer_visit_date": visit.date,
                "dealer_company_id": visit.company_id.id,
                "dealer_department": department,
                "dealer_advisor_id": visit.user_id.id,
                "dealer_channel": "email",
                "dealer_csi_state": "sent",
            }
        )
        if scores:
            self.answer(user_input, scores, recommend)
        return user_input
