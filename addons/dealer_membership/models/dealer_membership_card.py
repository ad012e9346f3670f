# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

CARD_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("expired", "Expired"),
    ("replaced", "Replaced"),
    ("closed", "Closed"),
]


class DealerMembershipCard(models.Model):
    _name = "dealer.membership.card"
    _description = "Membership Card"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name"]

    name = fields.Char(
        string="Card Number",
        required=True,
        copy=False,
        readonly=True,
        index=True,
        default=lambda self: self.env["ir.sequence"].next_by_code("dealer.membership.card") or _("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, index=True, tracking=True, check_company=True
    )
    vehicle_ids = fields.Many2many("fleet.vehicle", string="Vehicles", check_company=True)
    level_id = fields.Many2one(
        "dealer.membership.level", string="Level", required=True, tracking=True, check_company=True
    )
    state = fields.Selection(
        CARD_STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    join_date = fields.Date(tracking=True, copy=False)
    expiry_date = fields.Date(tracking=True, copy=False)
    # Maintained in the same transaction as the moves: the row lock and the
    # CHECK below are what stop two redemptions from overdrawing the card.
    reward_balance = fields.Integer(string="Reward Points", readonly=True, copy=False, default=0)
    qualifying_balance = fields.Integer(string="Qualifying Points", readonly=True, copy=False, default=0)
    move_ids = fields.One2many("dealer.points.move", "card_id", string="Points History")
    event_ids = fields.One2many("dealer.membership.event", "card_id", string="Card History")

    _sql_constraints = [
        ("name_company_unique", "UNIQUE(name, company_id)", "This card number is already used."),
        (
            "reward_balance_positive",
            "CHECK(reward_balance >= 0)",
            "The card does not have enough reward points.",
        ),
        (
            "qualifying_balance_positive",
            "CHECK(qualifying_balance >= 0)",
            "Qualifying points cannot go below zero.",
        ),
    ]

    def init(self):
        # One active card per customer and company, whatever the interface.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS dealer_membership_card_one_active
                ON dealer_membership_card (partner_id, company_id) WHERE state = 'active'
            """
        )

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for card in self:
            card.display_name = f"{card.name} – {card.partner_id.name}" if card.partner_id else card.name

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_points(self):
        if self.move_ids:
            raise UserError(_("A card with a points history cannot be deleted; close it instead."))

    def action_activate(self):
        """Join: the card becomes active for its level's validity."""
        not_draft = self.filtered(lambda card: card.state != "draft")
        if not_draft:
            raise UserError(_("Card %(card)s is not a draft.", card=not_draft[0].name))
        today = fields.Date.context_today(self)
        for card in self:
            card.write(
                {
                    "state": "active",
                    "join_date": today,
                    "expiry_date": today + relativedelta(months=card.level_id.validity_months),
                }
            )
        self.env["dealer.membership.event"].create(
            [{"card_id": card.id, "event_type": "join", "new_level_id": card.level_id.id} for card in self]
        )

    def _dealer_check_redeemable(self):
        for card in self:
            if card.state != "active":
                raise UserError(
                    _(
                        "Card %(card)s is %(state)s: points can only be redeemed on an active card.",
                        card=card.name,
                        state=dict(CARD_STATES)[card.state].lower(),
                    )
                )

    def _dealer_redeem(self, points, reason):
        """Take ``points`` reward points off the card; refused if the balance is short.

        The balance update locks the card row until commit, so a second
        redemption at the same moment waits and then sees the new balance,
        or fails with a serialization error; the CHECK constraint makes an
        overdraft impossible either way.
        """
        self.ensure_one()
        if points <= 0:
            raise UserError(_("Redeem a positive number of points."))
        self._dealer_check_redeemable()
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE dealer_membership_card SET reward_balance = reward_balance - %s
             WHERE id = %s AND reward_balance >= %s
            """,
            [points, self.id, points],
        )
        if not self.env.cr.rowcount:
            self.invalidate_recordset(["reward_balance"])
            raise UserError(
                _(
                    "Card %(card)s has %(balance)s reward points; %(points)s cannot be redeemed.",
                    card=self.name,
                    balance=self.reward_balance,
                    points=points,
                )
            )
        self.invalidate_recordset(["reward_balance"])
        return self.env["dealer.points.move"]._dealer_insert_moves(
            [
                {
                    "card_id": self.id,
                    "ledger": "reward",
                    "points": -points,
                    "origin": "redemption",
                    "reason": reason,
                }
            ],
            balances_done=True,
        )

    @api.model
    def _cron_dealer_evaluate_levels(self, today=None):
        """Set each active card's level from the qualifying points earned in the rolling period.

        One query finds, per card, the highest level whose threshold its
        points reach; cards that change level are written per new level and
        their history gets one event each. Returns the number of cards moved.
        """
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH earned AS (
                SELECT card.id AS card_id, card.company_id, card.level_id,
                       COALESCE(sum(move.points), 0) AS points
                  FROM dealer_membership_card card
                  JOIN res_company company ON company.id = card.company_id
             LEFT JOIN dealer_points_move move
                    ON move.card_id = card.id AND move.ledger = 'qualifying'
                   AND move.date > %(today)s - make_interval(months => company.dealer_level_period_months)
                 WHERE card.state = 'active'
              GROUP BY card.id
            )
            SELECT earned.card_id, earned.level_id, best.id, best.sequence > current.sequence
              FROM earned
              JOIN dealer_membership_level current ON current.id = earned.level_id
              JOIN LATERAL (
                   SELECT level.id, level.sequence FROM dealer_membership_level level
                    WHERE level.active AND (level.company_id IS NULL OR level.company_id = earned.company_id)
                      AND level.qualifying_points_threshold <= earned.points
                 ORDER BY level.qualifying_points_threshold DESC, level.sequence DESC
                    LIMIT 1) best ON TRUE
             WHERE best.id <> earned.level_id
            """,
            {"today": today},
        )
        changes = self.env.cr.fetchall()
        by_level = {}
        for card_id, _old_level, new_level, _upgrade in changes:
            by_level.setdefault(new_level, []).append(card_id)
        for level_id, card_ids in by_level.items():
            self.browse(card_ids).with_context(tracking_disable=True).write({"level_id": level_id})
        self.env["dealer.membership.event"].create(
            [
                {
                    "card_id": card_id,
                    "event_type": "upgrade" if upgrade else "downgrade",
                    "date": today,
                    "old_level_id": old_level,
                    "new_level_id": new_level,
                    "reason": _("Qualifying points of the rolling period."),
                }
                for card_id, old_level, new_level, upgrade in changes
            ]
        )
        return len(changes)
