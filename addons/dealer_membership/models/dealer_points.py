# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, mute_logger

LEDGERS = [("reward", "Reward points"), ("qualifying", "Qualifying points")]
MOVE_ORIGINS = [
    ("visit_line", "Visit"),
    ("redemption", "Redemption"),
    ("adjustment", "Manual adjustment"),
    ("expiry", "Expiry"),
    ("transfer", "Transfer"),
]
# What a move says, in the order of the rows a ledger source gives (see _dealer_write_moves).
SOURCE_COLUMNS = SQL(
    "card_id, ledger, points, date, expiry_date, origin, visit_line_id, reason, event_id, earn_rate"
)


class DealerPointsMove(models.Model):
    """One line of a card's points ledger. Append-only: corrections are new moves."""

    _name = "dealer.points.move"
    _description = "Points Move"
    _inherit = ["dealer.points.move.expiry"]
    _order = "date desc, id desc"

    card_id = fields.Many2one("dealer.membership.card", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Member", index=True)
    ledger = fields.Selection(LEDGERS, required=True)
    points = fields.Integer(required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    expiry_date = fields.Date(help="Reward points earned here expire on this day, oldest first.")
    origin = fields.Selection(MOVE_ORIGINS, required=True)
    visit_line_id = fields.Many2one("dealer.visit.line", index="btree_not_null", ondelete="set null")
    visit_id = fields.Many2one(related="visit_line_id.visit_id", string="Visit")
    reason = fields.Char()
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    earn_rate = fields.Float(
        string="Rate",
        digits=(16, 4),
        help="Points per currency unit the visit line earned at (rule and level multiplier), kept for its corrections.",
    )
    event_id = fields.Many2one(
        "dealer.membership.event",
        string="Card Event",
        index="btree_not_null",
        ondelete="set null",
        help="The replacement or merge that moved these points: undoing a merge reverses exactly its moves.",
    )

    def write(self, vals):
        if vals:
            raise UserError(_("Posted points cannot be changed; post a correction instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("Posted points cannot be deleted; post a correction instead."))

    @api.model
    def _dealer_backfill_earn_rates(self):
        """Give the visit-line earnings posted before rates were kept the rate they were earned at.

        A correction of such a line would otherwise re-price it at today's
        rule and level. The points were ``floor(amount × rate)``: the middle
        of the rates that give exactly those points is taken, so re-pricing
        the unchanged line gives the same points. Returns the number of moves.
        """
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE dealer_points_move move
               SET earn_rate = (move.points + 0.5) / line.amount
              FROM dealer_visit_line line
             WHERE move.visit_line_id = line.id AND move.origin = 'visit_line'
               AND move.earn_rate IS NULL AND move.points > 0 AND line.amount > 0
            """
        )
        self.invalidate_model(["earn_rate"])
        return self.env.cr.rowcount

    # ------------------------------------------------------------
    # THE WRITE PATH
    # ------------------------------------------------------------

    @contextmanager
    def _dealer_without_jit(self):
        """Run the ledger's set-based statements without PostgreSQL's JIT compilation.

        A statement over tens of thousands of rows passes ``jit_above_cost``
        and is compiled with inlining and optimisation first, which takes
        seconds, several times what running it takes. The previous setting
        comes back afterwards (both are local to the transaction).
        """
        cr = self.env.cr
        cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        previous = cr.fetchone()[0]
        try:
            yield
        finally:
            if not cr.closed:
                cr.execute("SELECT set_config('jit', %s, true)", [previous])

    @api.model
    def _dealer_write_moves(self, source, allow_debt=False, balances_done=False, today=None):
        """Insert the moves ``source`` gives and add them to their cards' balances, in one statement.

        The ledger's only write path: postings, redemptions, expiries,
        transfers and adjustments all come here, so a balance is always the
        sum of its card's moves. Points added to a card that owes points pay
        the debt first. A debit the card cannot afford is refused in plain
        words (the balances' CHECK constraints), unless ``allow_debt``.

        :param source: SQL of rows in the order of ``SOURCE_COLUMNS``
        :param allow_debt: what a debit cannot take from the balance becomes points
            owed (a credited work order is always accepted)
        :param balances_done: the caller already updated the balances (a redemption)
        :param today: earnings expiring by this day are reported (default: today)
        :return: (number of moves, ids of the cards that got an earning expiring by ``today``)
        """
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        query = SQL(
            """
            WITH source (%(columns)s) AS (%(source)s),
            inserted AS (
                INSERT INTO dealer_points_move (%(columns)s, company_id, partner_id, user_id,
                                                create_uid, write_uid, create_date, write_date)
                SELECT source.*, card.company_id, card.partner_id, %(uid)s,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM source
                  JOIN dealer_membership_card card ON card.id = source.card_id
             RETURNING card_id, ledger, points, expiry_date
            ), totals AS (
                SELECT card_id,
                       COALESCE(sum(points) FILTER (WHERE ledger = 'reward'), 0) AS reward,
                       COALESCE(sum(points) FILTER (WHERE ledger = 'qualifying'), 0) AS qualifying
                  FROM inserted
                 WHERE NOT %(balances_done)s
              GROUP BY card_id
            ), balances AS (
                -- reward_balance - points_debt is the ledger's sum; at most one of them is not zero.
                UPDATE dealer_membership_card card
                   SET reward_balance = CASE WHEN totals.reward > 0 OR %(allow_debt)s
                                             THEN GREATEST(card.reward_balance - card.points_debt + totals.reward, 0)
                                             ELSE card.reward_balance + totals.reward END,
                       points_debt = CASE WHEN totals.reward > 0 OR %(allow_debt)s
                                          THEN GREATEST(card.points_debt - card.reward_balance - totals.reward, 0)
                                          ELSE card.points_debt END,
                       qualifying_balance = card.qualifying_balance + totals.qualifying
                  FROM totals
                 WHERE card.id = totals.card_id
             RETURNING card.id
            )
            SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM balances),
                   ARRAY(SELECT DISTINCT card_id FROM inserted
                          WHERE ledger = 'reward' AND points > 0 AND expiry_date <= %(today)s)
            """,
            source=source,
            columns=SOURCE_COLUMNS,
            uid=self.env.uid,
            allow_debt=allow_debt,
            balances_done=balances_done,
            today=today,
        )
        try:
            with self._dealer_without_jit(), self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                self.env.cr.execute(query)
                posted, _cards, expiring_cards = self.env.cr.fetchone()
        except psycopg2.errors.CheckViolation:
            self._dealer_refuse_overdraft(source, allow_debt)
            raise
        except psycopg2.errors.NumericValueOutOfRange:
            # A line's amount is bounded, a rule's rate and a level's multiplier are not: their
            # product can leave the points' integer range. Nothing was posted (the savepoint).
            raise UserError(
                _(
                    "These points would give a card more points than a card can hold. Check the amounts "
                    "of the visit lines and the points per currency unit of the earning rules."
                )
            ) from None
        self.env["dealer.membership.card"].invalidate_model(
            ["reward_balance", "qualifying_balance", "points_debt", "move_ids"]
        )
        self.invalidate_model()
        return posted, expiring_cards

    def _dealer_refuse_overdraft(self, source, allow_debt=False):
        """Say which card cannot afford the debits of ``source``, in the user's terms.

        :param allow_debt: reward points short become points owed: only qualifying points can be short
        """
        self.env.cr.execute(
            SQL(
                """
                SELECT card.id, totals.reward, totals.qualifying
                  FROM (SELECT card_id,
                               COALESCE(sum(points) FILTER (WHERE ledger = 'reward'), 0) AS reward,
                               COALESCE(sum(points) FILTER (WHERE ledger = 'qualifying'), 0) AS qualifying
                          FROM (%(source)s) AS source (%(columns)s)
                      GROUP BY card_id) totals
                  JOIN dealer_membership_card card ON card.id = totals.card_id
                 WHERE NOT %(allow_debt)s AND card.reward_balance + totals.reward < 0
                    OR card.qualifying_balance + totals.qualifying < 0
              ORDER BY card.id
                 LIMIT 1
                """,
                source=source,
                columns=SOURCE_COLUMNS,
                allow_debt=allow_debt,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return
        card_id, reward, qualifying = (int(value) for value in row)
        # sudo: whoever corrects a visit (Loyalty staff without membership rights) gets the plain
        # refusal; it says only the card's number and balance, which the visit's points depend on.
        card = self.env["dealer.membership.card"].sudo().browse(card_id)
        card.invalidate_recordset(["reward_balance", "qualifying_balance"])
        if card.reward_balance + reward < 0 and not allow_debt:
            raise UserError(
                _(
                    "Card %(card)s has %(balance)s reward points left: the %(points)s points to take back "
                    "were already redeemed. Adjust the card first.",
                    card=card.name,
                    balance=card.reward_balance,
                    points=-reward,
                )
            )
        raise UserError(
            _(
                "Card %(card)s has %(balance)s qualifying points: the %(points)s points to take back "
                "are more than that. Adjust the card first.",
                card=card.name,
                balance=card.qualifying_balance,
                points=-qualifying,
            )
        )

    @api.model
    def _dealer_insert_moves(self, vals_list, balances_done=False):
        """Write moves given as values (redemptions, adjustments, transfers) through the write path.

        :param vals_list: dicts with card_id, ledger, points, origin and optionally date,
            expiry_date, visit_line_id, reason, event_id, earn_rate
        :param balances_done: the caller already updated the balances (a redemption)
        :return: the number of moves inserted
        """
        if not vals_list:
            return 0
        today = fields.Date.context_today(self)
        rows = SQL(", ").join(
            SQL(
                "(%s::integer, %s::varchar, %s::integer, %s::date, %s::date, %s::varchar, %s::integer, "
                "%s::varchar, %s::integer, %s::numeric)",
                vals["card_id"],
                vals["ledger"],
                vals["points"],
                vals.get("date") or today,
                vals.get("expiry_date") or None,
                vals["origin"],
                vals.get("visit_line_id") or None,
                vals.get("reason") or None,
                vals.get("event_id") or None,
                vals.get("earn_rate"),
            )
            for vals in vals_list
        )
        posted, _expiring = self._dealer_write_moves(SQL("VALUES %s", rows), balances_done=balances_done)
        return posted

    # ------------------------------------------------------------
    # POSTING VISITS
    # ------------------------------------------------------------

    @api.model
    def _dealer_visit_moves_sql(self, visits, removed, today):
        """Ledger source (see ``SOURCE_COLUMNS``) bringing the visits' lines to their due points.

        Points belong to the customer's history, not to a card number:

        - a line keeps the rate it first earned at (rule and level multiplier),
          so a correction posts only the difference of the lines that changed;
          a line never earned before earns at today's rule and level;
        - what the line's customer is due lands on the customer's active card
          (after a replacement or a merge, the new card), else on their latest
          suspended or expired card, else on the card they left with, else on
          the card that holds the line's points;
        - points the line earned for another customer (the DMS corrected the
          customer) are taken back from that customer's card;
        - reward points earned expire the company's number of months after the visit.
        """
        return SQL(
            """
                WITH lines AS (
                    SELECT line.id AS line_id, line.amount, line.payer_type, line.category, visit.partner_id,
                           visit.company_id, COALESCE(visit.date, %(today)s) AS date,
                           company.dealer_points_expiry_months AS expiry_months,
                           visit.state = 'done' AND line.declined IS NOT TRUE
                               AND line.id <> ALL(%(removed)s::integer[]) AS earns
                      FROM dealer_visit_line line
                      JOIN dealer_visit visit ON visit.id = line.visit_id
                      JOIN res_company company ON company.id = visit.company_id
                     WHERE line.visit_id = ANY(%(visits)s::integer[])
                ), posted AS (
                    -- Line by line through the visit line index, whatever the ledger's statistics say
                    -- (a long import writes the ledger faster than they are refreshed): OFFSET 0 keeps
                    -- the planner from turning the lookup into a join that reads the whole ledger.
                    SELECT lines.line_id, move.ledger, card.partner_id,
                           sum(move.points) AS points,
                           (array_agg(move.earn_rate ORDER BY move.id)
                               FILTER (WHERE move.earn_rate IS NOT NULL))[1] AS earn_rate,
                           (array_agg(move.card_id ORDER BY move.id DESC))[1] AS holder_id
                      FROM lines
                      JOIN LATERAL (SELECT * FROM dealer_points_move move
                                     WHERE move.visit_line_id = lines.line_id OFFSET 0) move ON TRUE
                      JOIN dealer_membership_card card ON card.id = move.card_id
                  GROUP BY lines.line_id, move.ledger, card.partner_id
                ), active_card AS (
                    -- The customer's card of today: the active one, else the latest suspended or expired
                    -- one, else the card they left with (its kept points; a replaced or merged card
                    -- handed its points on). Only an active card earns on new lines.
                    SELECT DISTINCT ON (card.partner_id, card.company_id)
                           card.id AS card_id, card.partner_id, card.company_id,
                           CASE WHEN card.state = 'active' THEN level.reward_points_multiplier END
                               AS reward_points_multiplier
                      FROM dealer_membership_card card
                      JOIN dealer_membership_level level ON level.id = card.level_id
                     WHERE (card.state IN ('active', 'suspended', 'expired')
                            OR card.state = 'closed' AND card.merged_into_id IS NULL)
                       AND card.partner_id IN (SELECT partner_id FROM lines UNION SELECT partner_id FROM posted)
                  ORDER BY card.partner_id, card.company_id, card.state = 'active' DESC,
                           card.state = 'closed', card.id DESC
                ), rules AS (
                    SELECT DISTINCT ON (lines.line_id, rule.ledger) lines.line_id, rule.ledger, rule.points_per_unit
                      FROM lines
                      JOIN dealer_points_rule rule
                        ON rule.company_id = lines.company_id AND rule.active AND rule.payer_type = lines.payer_type
                       AND (rule.category IS NULL OR rule.category = lines.category)
                  ORDER BY lines.line_id, rule.ledger, rule.category NULLS LAST
                ), due AS (
                    SELECT lines.line_id, ledger.name AS ledger, lines.date, lines.expiry_months,
                           COALESCE(active_card.card_id, posted.holder_id) AS card_id,
                           COALESCE(posted.points, 0) AS posted,
                           COALESCE(
                               posted.earn_rate,
                               rules.points_per_unit
                               * CASE WHEN ledger.name = 'reward' THEN active_card.reward_points_multiplier ELSE 1 END
                           ) AS rate,
                           lines.earns, lines.amount
                      FROM lines
                CROSS JOIN (VALUES ('reward'), ('qualifying')) AS ledger(name)
                 LEFT JOIN active_card
                        ON active_card.partner_id = lines.partner_id AND active_card.company_id = lines.company_id
                 LEFT JOIN posted
                        ON posted.line_id = lines.line_id AND posted.ledger = ledger.name
                       AND posted.partner_id = lines.partner_id
                 LEFT JOIN rules ON rules.line_id = lines.line_id AND rules.ledger = ledger.name
                ), differences AS (
                    SELECT line_id, ledger, card_id, date, expiry_months,
                           CASE WHEN earns AND rate IS NOT NULL THEN floor(amount * rate)::integer ELSE 0 END
                               - posted AS points,
                           rate
                      FROM due
                     WHERE card_id IS NOT NULL
                 UNION ALL
                    -- What the line earned for a former customer of the visit goes back.
                    SELECT posted.line_id, posted.ledger, COALESCE(active_card.card_id, posted.holder_id),
                           lines.date, lines.expiry_months, -posted.points, posted.earn_rate
                      FROM posted
                      JOIN lines ON lines.line_id = posted.line_id
                 LEFT JOIN active_card
                        ON active_card.partner_id = posted.partner_id AND active_card.company_id = lines.company_id
                     WHERE posted.partner_id <> lines.partner_id
                )
                SELECT card_id, ledger, points, date,
                       CASE WHEN ledger = 'reward' AND points > 0
                            THEN (date + make_interval(months => expiry_months))::date END,
                       'visit_line', line_id, CASE WHEN points < 0 THEN %(taken_back)s END, NULL::integer, rate
                  FROM differences
                 WHERE points <> 0
            """,
            visits=list(visits.ids),
            removed=removed,
            today=today,
            taken_back=self.env._("Taken back: the visit line changed or was cancelled."),
        )

    @api.model
    def _dealer_post_visit_points(self, visits, removed_lines=None):
        """Bring the points of the visits' lines to what the rules say, posting only the difference.

        A done line earns by its payer and category (see
        :meth:`_dealer_visit_moves_sql`); a cancelled visit, a declined or
        removed line earns nothing, so what it earned is taken back, and what
        the card can no longer pay becomes points owed. An earning already
        past its validity (a visit imported late) expires at once: it is
        never redeemable. Running this twice posts nothing the second time.
        Returns the number of moves posted.
        """
        if not visits:
            return 0
        today = fields.Date.context_today(self)
        removed = list(removed_lines.ids) if removed_lines else []
        posted, expired_cards = self._dealer_write_moves(
            self._dealer_visit_moves_sql(visits, removed, today), allow_debt=True, today=today
        )
        if posted:
            # sudo: part of the posting, which whoever corrects a visit runs (Loyalty staff without
            # membership rights); it only lowers what closed cards owe for points they forfeited.
            self.env["dealer.membership.card"].sudo()._dealer_forfeit_less_taken_back()
        if expired_cards:
            self._cron_dealer_expire_points(
                today=today, cards=self.env["dealer.membership.card"].browse(expired_cards)
            )
        return posted
