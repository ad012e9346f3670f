# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The retention job became hourly (company clocks and sending hours); its record is noupdate."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("dealer_loyalty.ir_cron_dealer_run_programs", raise_if_not_found=False)
    if cron:
        cron.write({"interval_number": 1, "interval_type": "hours"})
