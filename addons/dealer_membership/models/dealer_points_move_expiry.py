# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class DealerPointsMoveExpiry(models.AbstractModel):
    """Which reward earnings a card's spending consumes, and the expiry of what is left of them.

    Inherited by ``dealer.points.move``. The consumption rule (the first
    earning to expire is the first consumed) is what the expiry job, the
    member's next expiry and the points a card carries to another card
    count; expiries are posted through the ledger's write path
    (``_dealer_write_moves``).
    """

    _name = "dealer.points.move.expiry"
    _description = "Points Consumption and Expiry"

    @api.model
    def _dealer_reward_left_sql(self, cards_sql):
        """What is left of each reward earning of the cards, oldest expiry first: the consumption rule.

        A visit line's points net of their own take-backs form one earning (a
        cancelled visit takes back its own earning, it does not consume older
        ones); any other points added (adjustment, transfer in) are an
        earning each. Only what was spent consumes earnings, the first to
        expire first: redemptions, expiries, deductions, transfers out.

        :param cards_sql: SQL query of the ids of the cards
        :return: SQL of rows ``(card_id, move_id, date, expiry_date, points_left)``; ``move_id``
            is the earning's move (a visit line's largest)
        """
        return SQL(
            """
            -- ARRAY(…) is an array the planner does not size: the cards' moves are read through the
            -- card index, as they should for the few cards of a posting, whatever the statistics say.
            WITH pieces AS (
                SELECT move.card_id,
                       (array_agg(move.id ORDER BY move.points DESC, move.id))[1] AS move_id,
                       (array_agg(move.date ORDER BY move.points DESC, move.id))[1] AS date,
                       (array_agg(move.expiry_date ORDER BY move.points DESC, move.id))[1] AS expiry_date,
                       sum(move.points) AS points
                  FROM dealer_points_move move
                 WHERE move.ledger = 'reward' AND move.origin = 'visit_line'
                   AND move.card_id = ANY(ARRAY(%(cards)s))
              GROUP BY move.card_id, move.visit_line_id
             UNION ALL
                SELECT move.card_id, move.id, move.date, move.expiry_date, move.points
                  FROM dealer_points_move move
                 WHERE move.ledger = 'reward' AND move.origin <> 'visit_line'
                   AND move.card_id = ANY(ARRAY(%(cards)s))
            ), spent AS (
                SELECT card_id, -sum(points) AS points FROM pieces WHERE points < 0 GROUP BY card_id
            ), earnings AS (
                SELECT card_id, move_id, date, expiry_date, points,
                       sum(points) OVER (PARTITION BY card_id ORDER BY expiry_date NULLS LAST, date, move_id
                                         ROWS UNBOUNDED PRECEDING) AS running
                  FROM pieces
                 WHERE points > 0
            )
            SELECT earnings.card_id, earnings.move_id, earnings.date, earnings.expiry_date,
                   GREATEST(LEAST(earnings.points, earnings.running - COALESCE(spent.points, 0)), 0)
                       AS points_left
              FROM earnings
         LEFT JOIN spent ON spent.card_id = earnings.card_id
            """,
            cards=cards_sql,
        )

    @api.model
    def _dealer_expiring_sql(self, day, cards=None):
        """SQL of ``(card_id, points)``: the reward points left that expire by ``day``, per card.

        :param cards: only these cards; default: every card with an earning due by ``day``
        """
        if cards is None:
            due = SQL(
                """
                SELECT DISTINCT card_id FROM dealer_points_move
                 WHERE ledger = 'reward' AND points > 0 AND expiry_date <= %s
                """,
                day,
            )
        else:
            due = SQL("SELECT unnest(%s::integer[])", list(cards.ids))
        return SQL(
            """
            SELECT earnings.card_id, LEAST(sum(earnings.points_left), card.reward_balance) AS points
              FROM (%(earnings)s) earnings
              JOIN dealer_membership_card card ON card.id = earnings.card_id
             WHERE earnings.expiry_date <= %(day)s
          GROUP BY earnings.card_id, card.reward_balance
            HAVING LEAST(sum(earnings.points_left), card.reward_balance) > 0
            """,
            earnings=self._dealer_reward_left_sql(due),
            day=day,
        )

    @api.model
    def _dealer_expiring_points(self, day, cards=None):
        """Reward points that expire by ``day``, per card (see :meth:`_dealer_reward_left_sql`).

        :param cards: only these cards; default: every card
        :return: {card id: points}, only cards with points to expire
        """
        self.env.flush_all()
        with self._dealer_without_jit():
            self.env.cr.execute(self._dealer_expiring_sql(day, cards))
            return dict(self.env.cr.fetchall())

    @api.model
    def _dealer_next_expiry(self, cards, today=None):
        """The next day reward points of each card expire, and how many, by the consumption rule.

        Earnings already past their date expire with the next run of the
        nightly job: they count as expiring ``today``. Never more than the
        card's balance (points owed are paid before anything expires).

        :return: {card id: (date, points)}, only cards with points that will expire
        """
        if not cards:
            return {}
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        with self._dealer_without_jit():
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (earnings.card_id) earnings.card_id,
                           GREATEST(earnings.expiry_date, %(today)s) AS day,
                           LEAST(sum(earnings.points_left), card.reward_balance)::integer
                      FROM (%(earnings)s) earnings
                      JOIN dealer_membership_card card ON card.id = earnings.card_id
                     WHERE earnings.expiry_date IS NOT NULL AND earnings.points_left > 0
                       AND card.reward_balance > 0
                  GROUP BY earnings.card_id, day, card.reward_balance
                  ORDER BY earnings.card_id, day
                    """,
                    today=today,
                    earnings=self._dealer_reward_left_sql(
                        SQL("SELECT unnest(%s::integer[])", list(cards.ids))
                    ),
                )
            )
            return {card_id: (day, points) for card_id, day, points in self.env.cr.fetchall()}

    @api.model
    def _cron_dealer_expire_points(self, today=None, cards=None):
        """Expire the reward points left past their date, oldest earnings first, in one statement.

        What expires on a card is what is left, after everything spent, of
        its earnings with an expiry date up to today (see
        :meth:`_dealer_reward_left_sql`), never beyond the card's balance.

        :param cards: only these cards (points just posted); default: every card
        :return: the number of cards whose points expired
        """
        today = today or fields.Date.context_today(self)
        reason = (
            self.env["dealer.membership.card"]._dealer_job_env()._("Reward points past their expiry date.")
        )
        source = SQL(
            """
            SELECT expiring.card_id, 'reward', -expiring.points, %(today)s::date, NULL::date, 'expiry',
                   NULL::integer, %(reason)s, NULL::integer, NULL::numeric
              FROM (%(expiring)s) expiring
            """,
            today=today,
            reason=reason,
            expiring=self._dealer_expiring_sql(today, cards),
        )
        posted, _expiring = self._dealer_write_moves(source, today=today)
        return posted
