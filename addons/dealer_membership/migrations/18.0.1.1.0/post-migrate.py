# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Earnings posted before 18.0.1.1.0 kept no rate: give them the rate they were earned at."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["dealer.points.move"]._dealer_backfill_earn_rates()
