# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Merged customers keep one reminder per program, vehicle and due date, and their history.

        Two duplicates often got the same message (a greeting, a newsletter):
        the reminders' unique index refuses to move the source's copy, and
        core then deletes every reminder of the source, sent ones included.
        The copies are dropped first: the one that reached the customer stays,
        else the destination's.
        """
        Reminder = self.env["dealer.loyalty.reminder"]
        Reminder.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT copy.id
                  FROM dealer_loyalty_reminder copy
                  JOIN dealer_loyalty_reminder kept
                    ON kept.program_id = copy.program_id AND kept.due_date = copy.due_date
                   AND COALESCE(kept.vehicle_id, 0) = COALESCE(copy.vehicle_id, 0) AND kept.id != copy.id
                 WHERE copy.partner_id IN %(partners)s AND kept.partner_id IN %(partners)s
                   AND (kept.state NOT IN ('done', 'exported'), kept.partner_id != %(destination)s, kept.id)
                     < (copy.state NOT IN ('done', 'exported'), copy.partner_id != %(destination)s, copy.id)
                """,
                partners=tuple((src_partners | dst_partner).ids),
                destination=dst_partner.id,
            )
        )
        copies = [reminder_id for (reminder_id,) in self.env.cr.fetchall()]
        # sudo: the merge, allowed to the user, removes only copies of the customer's own reminders.
        Reminder.sudo().browse(copies).unlink()
        return super()._update_foreign_keys(src_partners, dst_partner)
