# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools.misc import format_date


class ReportDealerReminderLetter(models.AbstractModel):
    _name = "report.dealer_loyalty.report_reminder_letter"
    _description = "Reminder Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        reminders = self.env["dealer.loyalty.reminder"].browse(docids)
        # One rendering per program and language rather than one per letter;
        # each customer reads their letter in their language and date format.
        bodies, dates, titles = {}, {}, {}
        today = fields.Date.context_today(self)
        for (program, lang), group in reminders.grouped(
            lambda reminder: (reminder.program_id, reminder.partner_id.lang or self.env.lang)
        ).items():
            program = program.with_context(lang=lang)
            if program.letter_body:
                bodies.update(program._render_field("letter_body", group.ids))
            dates.update(dict.fromkeys(group.ids, format_date(program.env, today)))
            titles.update(dict.fromkeys(group.ids, program.name))
        return {
            "doc_ids": docids,
            "doc_model": "dealer.loyalty.reminder",
            "docs": reminders,
            "letter_bodies": bodies,
            "letter_dates": dates,
            "letter_titles": titles,
        }
