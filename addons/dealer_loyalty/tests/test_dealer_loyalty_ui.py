# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_app_opens_from_home_menu(self):
        self.start_tour("/odoo", "dealer_loyalty_app_tour", login="admin")
