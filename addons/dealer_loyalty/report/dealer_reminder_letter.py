# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportDealerReminderLetter(models.AbstractModel):
    _name = "report.dealer_loyalty.report_reminder_letter"
    _description = "Reminder Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        reminders = self.env["dealer.loyalty.reminder"].browse(docids)
        # One rendering per program rather than one per letter.
        bodies = {}
        for program, program_reminders in reminders.grouped("program_id").items():
            if program.letter_body:
                bodies.update(program._render_field("letter_body", program_reminders.ids, compute_lang=True))
        return {
            "doc_ids": docids,
            "doc_model": "dealer.loyalty.reminder",
            "docs": reminders,
            "letter_bodies": bodies,
        }
