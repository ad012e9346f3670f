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
