# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

import openpyxl

from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestImportTemplate(TransactionCase):
    def test_the_template_names_every_column_and_imports_as_it_is(self):
        wizard = self.env["dealer.visit.import"].create(
            {"file": base64.b64encode(b"x"), "file_name": "x.csv"}
        )
        action = wizard.action_download_template()
        self.assertIn("template_file", action["url"])
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        orders, columns = workbook.worksheets
        meanings = {row[0]: row[1] for row in columns.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(meanings["vin"], self.env["fleet.vehicle"]._fields["vin_sn"].string)
        self.assertTrue(all(meanings.values()), "every column says what it holds")
        # The example work order imports as it stands.
        wizard.write({"file": wizard.template_file, "file_name": "dms-work-orders.xlsx"})
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.line_count, wizard.error_count), (1, 2, 0))
        visit = self.env["dealer.visit"].search([("dms_document_number", "=", "WO-1001")])
        self.assertEqual(visit.vehicle_id.license_plate, "123ABC")
