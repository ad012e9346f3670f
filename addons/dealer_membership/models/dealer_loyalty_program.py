# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class DealerLoyaltyProgram(models.Model):
    """Membership reminders run on the retention engine: consent, channels and pressure included."""

    _inherit = "dealer.loyalty.program"

    program_type = fields.Selection(
        selection_add=[
            ("membership_renewal", "Membership renewal due"),
            ("points_expiring", "Reward points about to expire"),
        ],
        ondelete={"membership_renewal": "cascade", "points_expiring": "cascade"},
    )

    def _dealer_candidates_membership_renewal(self, date_from, date_to):
        return SQL(
            """
            SELECT card.partner_id, NULL::integer AS vehicle_id, NULL::integer AS visit_id,
                   card.expiry_date AS due_date
              FROM dealer_membership_card card
             WHERE card.state = 'active' AND card.company_id = %(company)s
               AND card.expiry_date BETWEEN %(date_from)s AND %(date_to)s
            """,
            company=self.company_id.id,
            date_from=date_from,
            date_to=date_to,
        )

    def _dealer_candidates_points_expiring(self, date_from, date_to):
        # Due on the first day some of the member's reward points expire.
        return SQL(
            """
            SELECT card.partner_id, NULL::integer AS vehicle_id, NULL::integer AS visit_id,
                   min(move.expiry_date) AS due_date
              FROM dealer_points_move move
              JOIN dealer_membership_card card ON card.id = move.card_id
             WHERE card.state = 'active' AND card.company_id = %(company)s AND card.reward_balance > 0
               AND move.ledger = 'reward' AND move.points > 0
               AND move.expiry_date BETWEEN %(date_from)s AND %(date_to)s
          GROUP BY card.partner_id
            """,
            company=self.company_id.id,
            date_from=date_from,
            date_to=date_to,
        )
