# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

import psycopg2.errors
from dateutil.relativedelta import relativedelta
from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, mute_logger

from odoo.addons.dealer_loyalty.models.dealer_visit_line import LINE_CATEGORIES, PAYER_TYPES

_logger = logging.getLogger(__name__)

LEDGERS = [("reward", "Reward points"), ("qualifying", "Qualifying points")]
MOVE_ORIGINS = [
    ("visit_line", "Visit"),
    ("redemption", "Redemption"),
    ("adjustment", "Manual adjustment"),
    ("expiry", "Expiry"),
    ("transfer", "Transfer"),
]
MOVE_COLUMNS = (
    "card_id",
    "company_id",
    "partner_id",
    "ledger",
    "points",
    "date",
    "expiry_date",
    "origin",
    "visit_line_id",
    "reason",
    "user_id",
    "event_id",
    "earn_rate",
)


class DealerPointsRule(models.Model):
    """How many points a currency unit earns, by payer and line category."""

    _name = "dealer.points.rule"
    _description = "Points Earning Rule"
    _order = "ledger, payer_type, category"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    ledger = fields.Selection(LEDGERS, required=True, default="reward")
    payer_type = fields.Selection(PAYER_TYPES, string="Paid By", required=True)
    category = fields.Selection(LINE_CATEGORIES, help="Leave empty for every category of the payer.")
    points_per_unit = fields.Float(
        string="Points per Currency Unit", required=True, digits=(16, 4), default=1.0
    )

    _sql_constraints = [
        ("points_positive", "CHECK(points_per_unit >= 0)", "A rule cannot take points away."),
        (
            "rule_unique",
            "UNIQUE NULLS NOT DISTINCT(company_id, ledger, payer_type, category)",
            "There is already a rule for this ledger, payer and category.",
        ),
    ]


class DealerPointsMove(models.Model):
    """One line of a card's points ledger. Append-only: corrections are new moves."""

    _name = "dealer.points.move"
    _description = "Points Move"
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

    @api.model
    def _dealer_insert_moves(self, vals_list, balances_done=False):
        """Insert moves in one statement and add them to the cards' balances.

        :param balances_done: the caller already updated the balances (a redemption)
        :return: the number of moves inserted
        """
        if not vals_list:
            return 0
        cards = self.env["dealer.membership.card"].browse({vals["card_id"] for vals in vals_list})
        card_info = {card.id: (card.company_id.id, card.partner_id.id) for card in cards}
        today = fields.Date.context_today(self)
        rows = []
        for vals in vals_list:
            company_id, partner_id = card_info[vals["card_id"]]
            rows.append(
                (
                    vals["card_id"],
                    company_id,
                    partner_id,
                    vals["ledger"],
                    vals["points"],
                    vals.get("date") or today,
                    vals.get("expiry_date") or None,
                    vals["origin"],
                    vals.get("visit_line_id") or None,
                    vals.get("reason") or None,
                    self.env.uid,
                    vals.get("event_id") or None,
                    vals.get("earn_rate"),
                )
            )
        if not balances_done:
            self._dealer_apply_to_balances(rows)
        execute_values(
            self.env.cr._obj,
            f"""
            INSERT INTO dealer_points_move ({", ".join(MOVE_COLUMNS)}, create_uid, write_uid, create_date, write_date)
            SELECT v.*, {self.env.uid}, {self.env.uid}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM (VALUES %s) AS v({", ".join(MOVE_COLUMNS)})
            """,
            rows,
            template="(%s, %s, %s, %s, %s, %s::date, %s::date, %s, %s::integer, %s, %s, %s::integer, %s::numeric)",
            page_size=5000,
        )
        self.invalidate_model()
        cards.invalidate_recordset(["move_ids"])
        return len(rows)

    def _dealer_apply_to_balances(self, rows):
        """Add the rows' points to their cards' balances, refusing an overdraft in plain words."""
        totals = {}
        for card_id, _company, _partner, ledger, points, *_rest in rows:
            reward, qualifying = totals.get(card_id, (0, 0))
            totals[card_id] = (
                (reward + points, qualifying) if ledger == "reward" else (reward, qualifying + points)
            )
        Card = self.env["dealer.membership.card"]
        Card.flush_model(["reward_balance", "qualifying_balance"])
        try:
            # One statement for all cards; the balances' CHECK constraints refuse an overdraft.
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                execute_values(
                    self.env.cr._obj,
                    """
                    UPDATE dealer_membership_card card
                       SET reward_balance = card.reward_balance
                               + CASE WHEN delta.reward > 0 THEN GREATEST(delta.reward - card.points_debt, 0)
                                      ELSE delta.reward END,
                           points_debt = CASE WHEN delta.reward > 0 THEN GREATEST(card.points_debt - delta.reward, 0)
                                              ELSE card.points_debt END,
                           qualifying_balance = card.qualifying_balance + delta.qualifying
                      FROM (VALUES %s) AS delta(card_id, reward, qualifying)
                     WHERE card.id = delta.card_id
                    """,
                    [(card_id, reward, qualifying) for card_id, (reward, qualifying) in totals.items()],
                    template="(%s, %s::integer, %s::integer)",
                    page_size=5000,
                )
        except psycopg2.errors.CheckViolation:
            # Card by card, to name the one that cannot afford it.
            self._dealer_apply_debits(totals)
        # Points added to a card that owes points pay the debt first (see the CASE above).
        Card.invalidate_model(["reward_balance", "qualifying_balance", "points_debt"])

    def _dealer_apply_debits(self, totals):
        """Update card by card, refusing in plain words the first one that cannot afford its debit."""
        Card = self.env["dealer.membership.card"]
        for card in Card.browse(list(totals)):
            reward, qualifying = totals[card.id]
            self.env.cr.execute(
                """
                UPDATE dealer_membership_card
                   SET reward_balance = reward_balance
                           + CASE WHEN %(reward)s > 0 THEN GREATEST(%(reward)s - points_debt, 0) ELSE %(reward)s END,
                       points_debt = CASE WHEN %(reward)s > 0 THEN GREATEST(points_debt - %(reward)s, 0)
                                          ELSE points_debt END,
                       qualifying_balance = qualifying_balance + %(qualifying)s
                 WHERE id = %(card)s AND reward_balance + %(reward)s >= 0
                   AND qualifying_balance + %(qualifying)s >= 0
                """,
                {"card": card.id, "reward": reward, "qualifying": qualifying},
            )
            if not self.env.cr.rowcount:
                raise UserError(
                    _(
                        "Card %(card)s has %(balance)s reward points left: the %(points)s points to take back "
                        "were already redeemed. Adjust the card first.",
                        card=card.name,
                        balance=card.reward_balance,
                        points=-reward,
                    )
                )

    @api.model
    def _dealer_points_differences_sql(self, visits, removed):
        """SQL of ``(line, ledger, card, date, points to post, rate)`` bringing the lines to their due points.

        Points belong to the customer's history, not to a card number:

        - a line keeps the rate it first earned at (rule and level multiplier),
          so a correction posts only the difference of the lines that changed;
          a line never earned before earns at today's rule and level;
        - what the line's customer is due lands on the customer's active card
          (after a replacement or a merge, the new card), else on the card
          that holds the line's points;
        - points the line earned for another customer (the DMS corrected the
          customer) are taken back from that customer's card.
        """
        return SQL(
            """
                WITH lines AS (
                    SELECT line.id AS line_id, line.amount, line.payer_type, line.category, visit.partner_id,
                           visit.company_id, visit.date,
                           visit.state = 'done' AND line.declined IS NOT TRUE
                               AND line.id <> ALL(%(removed)s::integer[]) AS earns
                      FROM dealer_visit_line line
                      JOIN dealer_visit visit ON visit.id = line.visit_id
                     WHERE line.visit_id = ANY(%(visits)s)
                ), posted AS (
                    SELECT move.visit_line_id AS line_id, move.ledger, card.partner_id,
                           sum(move.points) AS points,
                           (array_agg(move.earn_rate ORDER BY move.id)
                               FILTER (WHERE move.earn_rate IS NOT NULL))[1] AS earn_rate,
                           (array_agg(move.card_id ORDER BY move.id DESC))[1] AS holder_id
                      FROM dealer_points_move move
                      JOIN dealer_membership_card card ON card.id = move.card_id
                     WHERE move.visit_line_id IN (SELECT line_id FROM lines)
                  GROUP BY move.visit_line_id, move.ledger, card.partner_id
                ), active_card AS (
                    -- The customer's card of today: the active one, else the latest suspended or expired one.
                    SELECT DISTINCT ON (card.partner_id, card.company_id)
                           card.id AS card_id, card.partner_id, card.company_id,
                           CASE WHEN card.state = 'active' THEN level.reward_points_multiplier END
                               AS reward_points_multiplier
                      FROM dealer_membership_card card
                      JOIN dealer_membership_level level ON level.id = card.level_id
                     WHERE card.state IN ('active', 'suspended', 'expired')
                       AND card.partner_id IN (SELECT partner_id FROM lines UNION SELECT partner_id FROM posted)
                  ORDER BY card.partner_id, card.company_id, card.state = 'active' DESC, card.id DESC
                ), rules AS (
                    SELECT DISTINCT ON (lines.line_id, rule.ledger) lines.line_id, rule.ledger, rule.points_per_unit
                      FROM lines
                      JOIN dealer_points_rule rule
                        ON rule.company_id = lines.company_id AND rule.active AND rule.payer_type = lines.payer_type
                       AND (rule.category IS NULL OR rule.category = lines.category)
                  ORDER BY lines.line_id, rule.ledger, rule.category NULLS LAST
                ), due AS (
                    SELECT lines.line_id, ledger.name AS ledger, lines.date,
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
                ), current_customer AS (
                    SELECT line_id, ledger, card_id, date,
                           CASE WHEN earns AND rate IS NOT NULL THEN floor(amount * rate)::integer ELSE 0 END
                               - posted AS points,
                           rate
                      FROM due
                     WHERE card_id IS NOT NULL
                ), former_customers AS (
                    SELECT posted.line_id, posted.ledger, COALESCE(active_card.card_id, posted.holder_id) AS card_id,
                           lines.date, -posted.points AS points, posted.earn_rate AS rate
                      FROM posted
                      JOIN lines ON lines.line_id = posted.line_id
                 LEFT JOIN active_card
                        ON active_card.partner_id = posted.partner_id AND active_card.company_id = lines.company_id
                     WHERE posted.partner_id <> lines.partner_id AND posted.points <> 0
                )
                SELECT line_id, ledger, card_id, date, points, rate FROM current_customer WHERE points <> 0
                 UNION ALL
                SELECT line_id, ledger, card_id, date, points, rate FROM former_customers
                """,
            visits=list(visits.ids),
            removed=removed,
        )

    def _dealer_post_differences_in_sql(self, differences_sql):
        """Insert the difference moves and add them to the balances in one statement.

        The balances' CHECK constraints stop a reversal that would overdraw a card.
        """
        self.env.cr.execute(
            SQL(
                """
                WITH differences AS (%(differences)s),
                inserted AS (
                    INSERT INTO dealer_points_move (card_id, company_id, partner_id, ledger, points, date,
                                                    expiry_date, origin, visit_line_id, reason, user_id,
                                                    earn_rate, create_uid, write_uid, create_date, write_date)
                    SELECT d.card_id, card.company_id, card.partner_id, d.ledger, d.points,
                           COALESCE(d.date, CURRENT_DATE),
                           CASE WHEN d.ledger = 'reward' AND d.points > 0
                                THEN (COALESCE(d.date, CURRENT_DATE)
                                      + make_interval(months => company.dealer_points_expiry_months))::date END,
                           'visit_line', d.line_id,
                           CASE WHEN d.points < 0 THEN %(taken_back)s END,
                           %(uid)s, d.rate, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                      FROM differences d (line_id, ledger, card_id, date, points, rate)
                      JOIN dealer_membership_card card ON card.id = d.card_id
                      JOIN res_company company ON company.id = card.company_id
                 RETURNING card_id, ledger, points
                ), balances AS (
                    -- A take-back the card cannot pay (the points were spent) becomes points owed,
                    -- which the next earnings pay first: a credited work order is always accepted.
                    UPDATE dealer_membership_card card
                       SET reward_balance = GREATEST(card.reward_balance - card.points_debt + totals.reward, 0),
                           points_debt = GREATEST(card.points_debt - card.reward_balance - totals.reward, 0),
                           qualifying_balance = card.qualifying_balance + totals.qualifying
                      FROM (SELECT card_id,
                                   COALESCE(sum(points) FILTER (WHERE ledger = 'reward'), 0) AS reward,
                                   COALESCE(sum(points) FILTER (WHERE ledger = 'qualifying'), 0) AS qualifying
                              FROM inserted GROUP BY card_id) totals
                     WHERE card.id = totals.card_id
                 RETURNING card.id
                )
                SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM balances)
                """,
                differences=differences_sql,
                taken_back=_("Taken back: the visit line changed or was cancelled."),
                uid=self.env.uid,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _dealer_post_visit_points(self, visits, removed_lines=None):
        """Bring the points of the visits' lines to what the rules say, posting only the difference.

        A done line earns by its payer and category (see
        :meth:`_dealer_points_differences_sql`); a cancelled visit, a declined
        or removed line earns nothing, so what it earned is taken back.
        An earning already past its validity (a visit imported late) expires
        at once: it is never redeemable. Running this twice posts nothing the
        second time. Returns the number of moves posted.
        """
        if not visits:
            return 0
        self.env.flush_all()
        removed = list(removed_lines.ids) if removed_lines else []
        differences_sql = self._dealer_points_differences_sql(visits, removed)
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                posted = self._dealer_post_differences_in_sql(differences_sql)
            self.env["dealer.membership.card"].invalidate_model(
                ["reward_balance", "qualifying_balance", "points_debt", "move_ids"]
            )
            self.invalidate_model()
            if posted:
                self._dealer_expire_backdated(visits)
            return posted
        except psycopg2.errors.CheckViolation:
            # A reversal would overdraw a card: the slower path below says which one, in plain words.
            _logger.info("Posting points for visits %s would overdraw a card", visits.ids)
        self.env.cr.execute(differences_sql)
        differences = self.env.cr.fetchall()
        if not differences:
            return 0
        today = fields.Date.context_today(self)
        companies = {
            card.id: card.company_id
            for card in self.env["dealer.membership.card"].browse(
                {card_id for _line, _ledger, card_id, _date, _points, _rate in differences}
            )
        }
        vals_list = []
        for line_id, ledger, card_id, line_date, points, rate in differences:
            earning = ledger == "reward" and points > 0
            months = companies[card_id].dealer_points_expiry_months
            vals_list.append(
                {
                    "card_id": card_id,
                    "ledger": ledger,
                    "points": points,
                    "date": line_date or today,
                    "expiry_date": (line_date or today) + relativedelta(months=months) if earning else None,
                    "origin": "visit_line",
                    "visit_line_id": line_id,
                    "earn_rate": rate,
                    "reason": None
                    if points > 0
                    else _("Taken back: the visit line changed or was cancelled."),
                }
            )
        posted = self._dealer_insert_moves(vals_list)
        if posted:
            self._dealer_expire_backdated(visits)
        return posted

    @api.model
    def _dealer_expire_backdated(self, visits):
        """Expire at once what the visits' customers earned already past its validity."""
        cards = self.env["dealer.membership.card"].search([("partner_id", "in", visits.partner_id.ids)])
        if cards:
            self._cron_dealer_expire_points(cards=cards)

    @api.model
    def _dealer_expiring_points(self, day, cards=None):
        """Reward points that expire by ``day``, per card (see :meth:`_cron_dealer_expire_points`).

        :param cards: only these cards; default: every card
        :return: {card id: points}, only cards with points to expire
        """
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH candidates AS (
                SELECT DISTINCT card_id FROM dealer_points_move
                 WHERE ledger = 'reward' AND points > 0 AND expiry_date <= %(today)s
                   AND (%(all_cards)s OR card_id = ANY(%(cards)s))
            ), pieces AS (
                SELECT move.card_id, sum(move.points) AS points, min(move.expiry_date) AS expiry_date
                  FROM dealer_points_move move
                 WHERE move.ledger = 'reward' AND move.origin = 'visit_line'
                   AND move.card_id IN (SELECT card_id FROM candidates)
              GROUP BY move.card_id, move.visit_line_id
             UNION ALL
                SELECT move.card_id, move.points, move.expiry_date
                  FROM dealer_points_move move
                 WHERE move.ledger = 'reward' AND move.origin <> 'visit_line'
                   AND move.card_id IN (SELECT card_id FROM candidates)
            ), expiring AS (
                SELECT card_id,
                       COALESCE(sum(points) FILTER (WHERE points > 0 AND expiry_date <= %(today)s), 0)
                       + COALESCE(sum(points) FILTER (WHERE points < 0), 0) AS points
                  FROM pieces
              GROUP BY card_id
            )
            SELECT expiring.card_id, LEAST(expiring.points, card.reward_balance)
              FROM expiring
              JOIN dealer_membership_card card ON card.id = expiring.card_id
            """,
            {"today": day, "all_cards": cards is None, "cards": list(cards.ids) if cards else []},
        )
        return {card_id: points for card_id, points in self.env.cr.fetchall() if points and points > 0}

    @api.model
    def _cron_dealer_expire_points(self, today=None, cards=None):
        """Expire reward points past their date, oldest earnings first, in one pass.

        An earning is a visit line's points net of its own take-backs (a
        cancelled visit takes back its own earning, it does not consume older
        ones), or any other points added (adjustment, transfer in). Only what
        was spent consumes earnings, oldest first: redemptions, expiries,
        deductions and transfers out. So what expires on a card is what it
        earned with an expiry date up to today, less everything spent, never
        below zero nor beyond the card's balance.

        :param cards: only these cards (points just posted); default: every card
        """
        today = today or fields.Date.context_today(self)
        reason = (
            self.env["dealer.membership.card"]._dealer_job_env()._("Reward points past their expiry date.")
        )
        expiring = self._dealer_expiring_points(today, cards)
        vals_list = [
            {
                "card_id": card_id,
                "ledger": "reward",
                "points": -points,
                "date": today,
                "origin": "expiry",
                "reason": reason,
            }
            for card_id, points in expiring.items()
        ]
        return self._dealer_insert_moves(vals_list)
