# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInvitationRunMeetsVisitCorrection(TransactionCase):
    """The daily invitation run and the DMS correcting a visit's advisor, on two real connections.

    The two are interleaved step by step: each starts before the other
    commits. Whichever way they meet, the survey ends up with the corrected
    advisor (a request that meets a serialization failure is run again, as
    Odoo runs requests; a daily run that meets one leaves the visit to the
    next run). The data is committed beforehand and removed afterwards.
    """

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env["res.company"].create({"name": "CSI Correction Race Motors"})
            self.addCleanup(self.cleanup)
            users = env["res.users"].create(
                [
                    {
                        "name": name,
                        "login": f"csi_race_{name.lower()}",
                        "company_id": company.id,
                        "company_ids": [(6, 0, company.ids)],
                    }
                    for name in ("Before", "After")
                ]
            )
            customer = env["res.partner"].create(
                {"name": "Race Correction Customer", "email": "rc@example.com"}
            )
            self.today = fields.Date.context_today(customer)
            visit = env["dealer.visit"].create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "date": self.today - timedelta(days=3),
                    "department": "service",
                    "state": "done",
                    "user_id": users[0].id,
                }
            )
            config = env["dealer.csi.config"].create(
                {
                    "name": "Correction race survey",
                    "company_id": company.id,
                    "department": "service",
                    "survey_id": env.ref("dealer_csi.survey_csi_service").id,
                    "channel": "phone",
                    "user_id": SUPERUSER_ID,
                    "manager_id": SUPERUSER_ID,
                }
            )
            self.company_id, self.visit_id, self.config_id = company.id, visit.id, config.id
            self.before_id, self.after_id = users.ids

    def cleanup(self):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            company = env["res.company"].browse(self.company_id)
            env["survey.user_input"].search([("dealer_company_id", "=", company.id)]).unlink()
            cr.execute("DELETE FROM dealer_visit WHERE company_id = %s", [company.id])
            env["dealer.csi.config"].search([("company_id", "=", company.id)]).unlink()
            env["res.partner"].search([("name", "=", "Race Correction Customer")]).unlink()
            users = env["res.users"].search([("login", "=like", "csi_race_%")])
            partners = users.partner_id | company.partner_id
            users.unlink()
            company.unlink()
            partners.unlink()

    def run_invitations(self, cr):
        """The daily run's step for the setting; False when it met a concurrent correction."""
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            with cr.savepoint():
                env["dealer.csi.config"].browse(self.config_id)._dealer_create_invitations(today=self.today)
        except psycopg2.errors.SerializationFailure:
            return False
        return True

    def correct_advisor(self, env):
        env["dealer.visit"].browse(self.visit_id).write({"user_id": self.after_id})

    def surveyed_advisor(self):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invitation = env["survey.user_input"].search([("dealer_visit_id", "=", self.visit_id)])
            self.assertEqual(len(invitation), 1)
            return invitation.dealer_advisor_id.id

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_correction_committed_while_the_run_is_under_way(self):
        with self.db.cursor() as run_cr:
            run_cr.execute("SELECT 1")  # the run has started: its snapshot is taken
            with self.db.cursor() as dms_cr:
                dms_env = api.Environment(dms_cr, SUPERUSER_ID, {})
                retrying(lambda: self.correct_advisor(dms_env), dms_env)
            if not self.run_invitations(run_cr):
                run_cr.rollback()
                self.assertTrue(self.run_invitations(run_cr))  # the next run
            run_cr.commit()
        self.assertEqual(self.surveyed_advisor(), self.after_id)

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_run_committed_while_the_correction_is_under_way(self):
        with self.db.cursor() as dms_cr:
            dms_env = api.Environment(dms_cr, SUPERUSER_ID, {})
            dms_cr.execute("SELECT 1")  # the correction has started: its snapshot is taken
            with self.db.cursor() as run_cr:
                self.assertTrue(self.run_invitations(run_cr))
                run_cr.commit()
            retrying(lambda: self.correct_advisor(dms_env), dms_env)
        self.assertEqual(self.surveyed_advisor(), self.after_id)
