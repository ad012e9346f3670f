# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import zlib
from collections import defaultdict
from datetime import timedelta

from odoo import _, models, tools
from odoo.tools import SQL

from .dealer_loyalty_program import RELATIONSHIP_TYPES


class DealerLoyaltyReminderContactPressure(models.AbstractModel):
    """Which due reminders may contact their customer today: control groups and contact pressure.

    Inherited by ``dealer.loyalty.reminder``, whose processing holds these
    reminders back before it chooses the channels and sends the rest.
    """

    _name = "dealer.loyalty.reminder.contact.pressure"
    _description = "Contact Pressure"

    def _dealer_hold_out(self):
        """Keep the programs' control groups out of the contact; returns the held-out reminders.

        Whether a customer is in a program's control group is drawn once from
        the program and the customer, so it stays the same every run.
        """
        held = self.filtered(
            lambda reminder: reminder.program_id.holdout_percent
            and zlib.crc32(f"{reminder.program_id.id}-{reminder.partner_id.id}".encode()) % 100
            < reminder.program_id.holdout_percent
        )
        for program, reminders in held.grouped("program_id").items():
            reminders._dealer_set_outcome(
                "held_out",
                "held_out",
                _(
                    "Held out: in the program's control group (%(percent)s%% of its customers get nothing).",
                    percent=program.holdout_percent,
                ),
            )
        return held

    def _dealer_last_contacts(self):
        """``(last message date, last personal contact date)`` per customer of ``self``."""
        partner_ids = tuple(self.partner_id.ids)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, max(COALESCE(sent_date, scheduled_date)),
                       max(sent_date) FILTER (WHERE channel = 'phone' AND is_productive)
                  FROM dealer_loyalty_reminder
                 WHERE partner_id IN %(partners)s
                   AND ((state = 'done' AND sent_date IS NOT NULL) OR state = 'exported')
              GROUP BY partner_id
                """,
                partners=partner_ids,
            )
        )
        last_message, last_personal = {}, {}
        for partner_id, message_date, call_date in self.env.cr.fetchall():
            last_message[partner_id] = message_date
            if call_date:
                last_personal[partner_id] = call_date
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, max(date) FROM dealer_visit"
                " WHERE partner_id IN %s AND state = 'done' GROUP BY partner_id",
                partner_ids,
            )
        )
        for partner_id, visit_date in self.env.cr.fetchall():
            last_personal[partner_id] = max(visit_date, last_personal.get(partner_id, visit_date))
        return last_message, last_personal

    def _dealer_apply_contact_pressure(self, today):
        """Hold back the reminders that would crowd a customer; returns them.

        Per customer, the relationship messages (welcome, thank-you,
        greetings, declined work) go first, then the programs by priority.
        The first may go unless the customer had a message within the
        minimum gap, or (marketing only) a visit or productive call within
        the pause. The others are postponed when the new date is still
        before their due date, else skipped — except relationship messages:
        they wait at most the days of Settings and then go anyway.
        """
        last_message, last_personal = self._dealer_last_contacts()
        decisions = defaultdict(list)  # (state, scheduled_date, code, reason) -> ids
        ordered = self.sorted(
            lambda r: (
                r.partner_id.id,
                r.program_type not in RELATIONSHIP_TYPES,
                r.program_id.sequence,
                r.due_date,
                r.id,
            )
        )
        for _partner, reminders in tools.groupby(ordered, key=lambda r: r.partner_id):
            company = reminders[0].company_id
            gap, pause = company.dealer_contact_min_gap_days, company.dealer_contact_pause_days
            message_date = last_message.get(_partner.id)
            personal_date = last_personal.get(_partner.id)
            winner = None
            for reminder in reminders:
                relationship = reminder.program_type in RELATIONSHIP_TYPES
                if winner and not relationship:
                    code = "priority"
                    retry = today + timedelta(days=max(gap, 1))
                    reason = _("“%(program)s” contacts the customer first.", program=winner.program_id.name)
                elif gap and message_date and message_date > today - timedelta(days=gap):
                    code, retry = "contact_gap", message_date + timedelta(days=gap)
                    reason = _("The customer had a message less than %(days)s days ago.", days=gap)
                elif (
                    reminder.program_id.is_marketing
                    and pause
                    and personal_date
                    and personal_date > today - timedelta(days=pause)
                ):
                    code, retry = "recent_contact", personal_date + timedelta(days=pause)
                    reason = _("The customer had a visit or a call less than %(days)s days ago.", days=pause)
                else:
                    winner = winner or reminder
                    continue
                latest = reminder.due_date
                if relationship:
                    latest += timedelta(days=company.dealer_contact_max_postpone_days)
                    retry = min(retry, latest)
                if retry <= today:
                    # A relationship message whose waiting time is up goes today.
                    winner = winner or reminder
                elif retry <= latest:
                    decisions[("planned", retry, code, reason)].append(reminder.id)
                else:
                    decisions[("skipped", False, code, reason)].append(reminder.id)
        held = self.browse()
        for (state, retry, code, reason), reminder_ids in decisions.items():
            reminders = self.browse(reminder_ids)
            extra = {"scheduled_date": retry} if retry else {}
            reminders._dealer_set_outcome(state, code, reason, **extra)
            held |= reminders
        return held
