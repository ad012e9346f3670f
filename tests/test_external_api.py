# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end journeys through Odoo's external API, as a DMS would call it."""

import xmlrpc.client

from odoo.tests import HttpCase, get_db_name, tagged

WORK_ORDER = {
    "document_number": "API-1001",
    "date": "2026-03-02",
    "department": "service",
    "customer_code": "API-C1",
    "customer_name": "Kadri Kask",
    "customer_email": "kadri.kask@example.com",
    "vin": "YV1AP100000000001",
    "plate": "API001",
    "model": "Volvo XC60",
    "odometer": 42000,
}
DMS_ROWS = [
    dict(
        WORK_ORDER,
        line_number=1,
        description="Annual service",
        category="labour",
        payer_type="customer",
        amount=320.5,
    ),
    dict(
        WORK_ORDER,
        line_number=2,
        description="Recall campaign",
        category="labour",
        payer_type="warranty",
        amount=80,
    ),
    {"document_number": "API-1002", "date": "not a date", "payer_type": "customer", "description": "x"},
]


@tagged("post_install", "-at_install")
class TestDmsOverXmlRpc(HttpCase):
    def test_dms_pushes_work_orders_and_reads_the_prediction(self):
        database = get_db_name()
        uid = self.xmlrpc_common.authenticate(database, "admin", "admin", {})
        self.assertTrue(uid, "the DMS could not log in")

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(database, uid, "admin", model, method, list(args), kwargs)

        report = call("dealer.visit", "import_dms_rows", DMS_ROWS)
        self.assertEqual((report["created"], report["lines"]), (1, 2))
        self.assertEqual([error["row"] for error in report["errors"]], [3])
        self.assertIn("not a date", report["errors"][0]["message"])

        again = call("dealer.visit", "import_dms_rows", DMS_ROWS[:2])
        self.assertEqual((again["created"], again["updated"], again["unchanged"]), (0, 0, 1))

        [vehicle] = call(
            "fleet.vehicle",
            "search_read",
            [("vin_sn", "=", "YV1AP100000000001")],
            fields=[
                "dealer_owner_id",
                "dealer_last_service_date",
                "dealer_next_service_date",
                "dealer_next_service_rule",
            ],
        )
        self.assertEqual(vehicle["dealer_owner_id"][1], "Kadri Kask")
        self.assertEqual(vehicle["dealer_last_service_date"], "2026-03-02")
        self.assertEqual(vehicle["dealer_next_service_rule"], "time")
        self.assertEqual(vehicle["dealer_next_service_date"], "2027-03-02")

    def test_dms_user_pages_a_document_over_two_calls(self):
        """A DMS account with plain Dealer Loyalty rights sends one work order in two pages."""
        database = get_db_name()
        self.env["res.users"].create(
            {
                "name": "DMS Connector",
                "login": "dms.pager",
                "password": "dms.pager.secret",
                "groups_id": [(6, 0, [self.env.ref("dealer_loyalty.dealer_loyalty_group_user").id])],
            }
        )
        uid = self.xmlrpc_common.authenticate(database, "dms.pager", "dms.pager.secret", {})
        header = dict(WORK_ORDER, document_number="API-PAGED", vin="YV1AP100000000002", plate="API002")
        lines = [
            dict(
                header,
                line_number=number,
                description=f"Line {number}",
                payer_type="customer",
                amount="1.234,50",
            )
            for number in range(1, 5)
        ]

        def push(rows):
            return self.xmlrpc_object.execute_kw(
                database, uid, "dms.pager.secret", "dealer.visit", "import_dms_rows", [rows]
            )

        first, second = push(lines[:2]), push(lines[2:])
        self.maxDiff = None
        self.assertEqual(
            (first["created"], second["updated"], first["errors"], second["errors"]), (1, 1, [], [])
        )
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "API-PAGED")])
        self.assertEqual(len(visit.line_ids), 4, "the first page's lines are kept")
        self.assertEqual(visit.amount_total, 4938.0)

    def test_membership_user_cannot_write_points_over_the_api(self):
        """Points are money: a desk account cannot set a balance, a state or a number by RPC."""
        database = get_db_name()
        customer = self.env["res.partner"].create({"name": "Api Member"})
        level = self.env["dealer.membership.level"].search([], limit=1)
        card = self.env["dealer.membership.card"].create({"partner_id": customer.id, "level_id": level.id})
        self.env["res.users"].create(
            {
                "name": "Membership Desk",
                "login": "api.desk",
                "password": "api.desk.secret",
                "groups_id": [(6, 0, [self.env.ref("dealer_membership.dealer_membership_group_user").id])],
            }
        )
        uid = self.xmlrpc_common.authenticate(database, "api.desk", "api.desk.secret", {})
        for vals in ({"reward_balance": 999999}, {"state": "closed"}, {"name": "FORGED"}):
            with self.subTest(vals=vals), self.assertRaises(xmlrpc.client.Fault) as refused:
                self.xmlrpc_object.execute_kw(
                    database, uid, "api.desk.secret", "dealer.membership.card", "write", [card.ids, vals]
                )
            self.assertIn("card's actions", refused.exception.faultString)
        self.assertEqual((card.reward_balance, card.state), (0, "draft"))
