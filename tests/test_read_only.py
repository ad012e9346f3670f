# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a replica serves runs on a read-only cursor, and must not write.

Odoo 18 runs read-only routes (reports, the web client's reads, the methods
marked ``@api.readonly``) on a read-only cursor, which is the replica's when
``db_replica_host`` is set. A write there fails and Odoo runs the request
again on the primary, logging a warning: these tests fail on that warning.
"""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

ANALYSES = [
    "dealer.abc.report",
    "dealer.lost.customer.report",
    "dealer.vehicle.due.report",
    "dealer.customer.flow.report",
    "dealer.source.report",
    "dealer.advisor.retention.report",
    "dealer.program.effectiveness.report",
    "dealer.csi.report",
    "dealer.csi.question.report",
    "dealer.csi.comment.report",
    "dealer.contact.report",
]


@tagged("post_install", "-at_install")
class TestReadOnlyCursor(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.analyst = new_test_user(
            cls.env,
            login="replica_analyst",
            groups=",".join(
                [
                    "base.group_user",
                    "dealer_loyalty.dealer_loyalty_group_manager",
                    "dealer_membership.dealer_membership_group_manager",
                    "dealer_csi.dealer_csi_group_manager",
                ]
            ),
        )

    def _call(self, model, method, *args, **kwargs):
        with self.assertNoLogs("odoo.http", "WARNING"):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            )

    def test_dashboard_is_served_read_only(self):
        self.assertTrue(getattr(type(self.env["dealer.dashboard"]).get_dashboard, "_readonly", False))
        self.authenticate("replica_analyst", "replica_analyst")
        dashboard = self._call("dealer.dashboard", "get_dashboard")
        titles = {section["title"] for section in dashboard["sections"]}
        self.assertGreaterEqual(len(titles), 3, "retention, satisfaction and membership sections")

    def test_analyses_are_read_on_a_read_only_cursor(self):
        self.authenticate("replica_analyst", "replica_analyst")
        for model in ANALYSES:
            fields_spec = {"id": {}}
            rows = self._call(model, "web_search_read", [], fields_spec, limit=20)
            self.assertIn("records", rows, model)
            groups = self._call(model, "web_read_group", [], ["__count"], ["company_id"])
            self.assertIn("groups", groups, model)

    def test_printouts_render_on_a_read_only_cursor(self):
        # Printed by the desk, who may not edit templates: the letters' placeholders still render.
        new_test_user(
            self.env,
            login="replica_desk",
            groups="base.group_user,dealer_loyalty.dealer_loyalty_group_user,"
            "dealer_membership.dealer_membership_group_user",
            company_ids=[Command.set(self.env.companies.ids)],
        )
        self.assertFalse(
            self.env.ref("mail.group_mail_template_editor")
            & self.env["res.users"].search([("login", "=", "replica_desk")]).groups_id
        )
        reminders = self.env["dealer.loyalty.reminder"].search([("channel", "=", "letter")], limit=3)
        cards = self.env["dealer.membership.card"].search([("state", "=", "active")], limit=2)
        self.assertTrue(reminders and cards, "the demo data has letters and cards")
        self.authenticate("replica_desk", "replica_desk")
        for report, records in [
            ("dealer_loyalty.report_reminder_letter", reminders),
            ("dealer_membership.report_points_statement", cards),
            ("dealer_membership.report_membership_card", cards),
        ]:
            with self.assertNoLogs("odoo.http", "WARNING"):
                response = self.url_open(f"/report/html/{report}/{','.join(map(str, records.ids))}")
            self.assertEqual(response.status_code, 200, report)
            self.assertIn(records[0].partner_id.name, response.text, report)
