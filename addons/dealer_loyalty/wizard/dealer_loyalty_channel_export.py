# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.res_partner import CHANNELS


class DealerLoyaltyChannelExport(models.TransientModel):
    """The list a mailing house or call centre needs, per channel and period."""

    _name = "dealer.loyalty.channel.export"
    _description = "Reminder Channel List Export"

    program_ids = fields.Many2many(
        "dealer.loyalty.program", string="Programs", help="Leave empty for every program."
    )
    channel = fields.Selection(CHANNELS, required=True, default="letter")
    date_from = fields.Date(
        string="Contact From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(
        string="Contact To",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1)
        + relativedelta(months=1, days=-1),
    )
    include_sent = fields.Boolean(
        string="Include Handed Over", help="Also list reminders already sent or handed over (again)."
    )
    export_summary = fields.Char(readonly=True)
    reminder_count = fields.Integer(compute="_compute_reminder_count", string="Reminders")
    file_data = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "dealer.loyalty.program" and self.env.context.get(
            "active_ids"
        ):
            values["program_ids"] = [fields.Command.set(self.env.context["active_ids"])]
        return values

    def _reminder_domain(self):
        states = ["planned", "to_do", "done", "exported"] if self.include_sent else ["planned", "to_do"]
        domain = [
            ("channel", "=", self.channel),
            ("state", "in", states),
            ("scheduled_date", ">=", self.date_from),
            ("scheduled_date", "<=", self.date_to),
        ]
        if self.program_ids:
            domain.append(("program_id", "in", self.program_ids.ids))
        return domain

    @api.depends("program_ids", "channel", "date_from", "date_to", "include_sent")
    def _compute_reminder_count(self):
        for wizard in self:
            valid = wizard.channel and wizard.date_from and wizard.date_to
            wizard.reminder_count = (
                self.env["dealer.loyalty.reminder"].search_count(wizard._reminder_domain()) if valid else 0
            )

    def _columns(self):
        """``(header, value(reminder), width)`` for the wizard's channel."""
        partner = lambda getter: lambda reminder: getter(reminder.partner_id) or ""  # noqa: E731
        common_start = [
            (_("Program"), lambda reminder: reminder.program_id.name, 28),
            (_("Contact On"), lambda reminder: reminder.scheduled_date, 12),
            (_("Title"), partner(lambda p: p.title.name), 10),
            (_("Customer"), partner(lambda p: p.name), 28),
            (_("Customer Code"), partner(lambda p: p.dealer_customer_code), 14),
        ]
        vehicle = [
            (_("Licence Plate"), lambda reminder: reminder.license_plate or "", 13),
            (_("Model"), lambda reminder: reminder.vehicle_model_id.display_name or "", 22),
            (_("Due Date"), lambda reminder: reminder.due_date, 12),
        ]
        by_channel = {
            "email": [
                (_("E-mail"), partner(lambda p: p.email), 30),
                (_("Language"), partner(lambda p: p.lang), 8),
            ],
            "sms": [(_("Mobile"), partner(lambda p: p.mobile or p.phone), 18)],
            "letter": [
                (_("Street"), partner(lambda p: p.street), 28),
                (_("Street 2"), partner(lambda p: p.street2), 18),
                (_("ZIP"), partner(lambda p: p.zip), 8),
                (_("City"), partner(lambda p: p.city), 18),
                (_("Country"), partner(lambda p: p.country_id.name), 14),
            ],
            "phone": [
                (_("Phone"), partner(lambda p: p.phone), 18),
                (_("Mobile"), partner(lambda p: p.mobile), 18),
                (_("Responsible"), lambda reminder: reminder.user_id.name or "", 18),
                (_("Attempts"), lambda reminder: reminder.attempt_count, 9),
                (
                    _("Outcome"),
                    lambda reminder: dict(reminder._fields["call_outcome"].selection).get(
                        reminder.call_outcome, ""
                    ),
                    16,
                ),
            ],
        }
        return common_start + by_channel[self.channel] + vehicle

    def action_export(self):
        self.ensure_one()
        # Exporting hands the reminders over: Odoo no longer sends them.
        self.env["dealer.loyalty.program"]._dealer_check_sending_rights()
        if self.date_from > self.date_to:
            raise UserError(_("The period ends before it starts."))
        reminders = self.env["dealer.loyalty.reminder"].search(
            self._reminder_domain(), order="program_id, scheduled_date, partner_id"
        )
        if not reminders:
            raise UserError(_("No reminders on this channel in the period."))
        # Exporting is sending: the list's reminders are handed over, and
        # those the customer cannot get on this channel are left out.
        open_ones = reminders.filtered(lambda reminder: reminder.state in ("planned", "to_do"))
        handed = open_ones._dealer_hand_over(self.channel)
        left_out = open_ones - handed
        reminders -= left_out
        reasons = ", ".join(
            f"{len(group)} {label}"
            for label, group in left_out.grouped(
                lambda reminder: dict(reminder._fields["reason_code"]._description_selection(self.env)).get(
                    reminder.reason_code, ""
                )
            ).items()
        )
        # Formatted before the call: the terms extractor reads _()'s arguments as literals.
        reasons = f" ({reasons})" if reasons else ""
        self.export_summary = _(
            "%(handed)s handed over, %(left)s left out%(reasons)s.",
            handed=len(handed),
            left=len(left_out),
            reasons=reasons,
        )
        if not reminders:
            raise UserError(
                _(
                    "No reminder on this list can go out on this channel: %(summary)s",
                    summary=self.export_summary,
                )
            )
        columns = self._columns()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(dict(CHANNELS)[self.channel])
        header = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        bold = workbook.add_format({"bold": True})
        for col, (title, _getter, width) in enumerate(columns):
            sheet.write(0, col, title, header)
            sheet.set_column(col, col, width)
        for row, reminder in enumerate(reminders, start=1):
            for col, (_title, getter, _width) in enumerate(columns):
                value = getter(reminder)
                if isinstance(value, date):
                    sheet.write_datetime(row, col, fields.Datetime.to_datetime(value), date_format)
                else:
                    sheet.write(row, col, value)
        sheet.write(len(reminders) + 1, 0, _("Total"), bold)
        sheet.write(len(reminders) + 1, 3, len(reminders), bold)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(reminders), len(columns) - 1)
        workbook.close()
        self.write(
            {
                "file_data": base64.b64encode(buffer.getvalue()),
                "file_name": f"{self.channel}-list-{self.date_from}-{self.date_to}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/{self.file_name}?download=true",
            "target": "self",
        }
