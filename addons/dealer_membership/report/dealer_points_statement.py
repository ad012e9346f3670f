# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ReportDealerPointsStatement(models.AbstractModel):
    """A member's points for a period: opening balance, one row per entry, closing balances."""

    _name = "report.dealer_membership.report_points_statement"
    _description = "Points Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        # Printed from the period wizard, the cards travel in the data (the client sends no ids then).
        cards = self.env["dealer.membership.card"].browse(docids or data.get("card_ids") or [])
        today = fields.Date.context_today(self)
        until = fields.Date.to_date(data.get("date_to")) or today
        since = fields.Date.to_date(data.get("date_from")) or until - relativedelta(months=12)
        return {
            "doc_ids": cards.ids,
            "doc_model": "dealer.membership.card",
            "docs": cards,
            "since": since,
            "until": until,
            "statements": {card.id: self._statement(card, since, until) for card in cards},
        }

    def _statement(self, card, since, until):
        """Rows of the card's moves in the period: a visit line's reward and qualifying points share a row."""
        moves = card.move_ids.sorted(lambda move: (move.date, move.id))
        period_months = card.company_id.dealer_level_period_months
        rows, by_key = [], {}
        for move in moves.filtered(lambda move: since <= move.date <= until):
            key = (move.date, move.origin, move.visit_line_id.id or f"move-{move.id}", move.reason or "")
            row = by_key.get(key)
            if not row:
                line = move.visit_line_id
                row = by_key[key] = {
                    "date": move.date,
                    "origin": dict(move._fields["origin"]._description_selection(self.env))[move.origin],
                    "what": f"{line.visit_id.display_name} · {line.name}" if line else move.reason or "",
                    "reward": 0,
                    "qualifying": 0,
                    "expiry_date": False,
                }
                rows.append(row)
            row[move.ledger] += move.points
            row["expiry_date"] = row["expiry_date"] or move.expiry_date

        def total(ledger, condition):
            return sum(move.points for move in moves if move.ledger == ledger and condition(move))

        # Reward points less points owed is the ledger: a negative sum is points owed.
        closing = total("reward", lambda move: move.date <= until)
        return {
            "rows": rows,
            "opening_reward": total("reward", lambda move: move.date < since),
            "opening_qualifying": total("qualifying", lambda move: move.date < since),
            "closing_reward": max(closing, 0),
            "closing_owed": max(-closing, 0),
            "rolling_qualifying": total(
                "qualifying", lambda move: until - relativedelta(months=period_months) < move.date <= until
            ),
            "period_months": period_months,
        }
