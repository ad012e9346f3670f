# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

CARD_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("expired", "Expired"),
    ("replaced", "Replaced"),
    ("closed", "Closed"),
]
CARD_TYPES = [("physical", "Plastic card"), ("virtual", "Digital card"), ("key_tag", "Key tag")]
# Money-like values of a card, its validity and its history: changed only by its lifecycle actions
# and the points ledger.
PROTECTED_FIELDS = frozenset(
    {
        "name",
        "state",
        "join_date",
        "expiry_date",
        "event_ids",
        "reward_balance",
        "qualifying_balance",
        "points_debt",
        "replaced_by_id",
        "merged_into_id",
        "state_before_merge",
        "merge_event_id",
        "level_manual",
        "level_manual_until",
    }
)
# Whose card it is, its level and its type are chosen when the card is issued; afterwards only actions
# change them.
PROTECTED_AFTER_ISSUE = frozenset({"partner_id", "level_id", "company_id", "card_type"})
# What a new card may say about the protected values: the defaults.
NEW_CARD_VALUES = {"state": "draft", "reward_balance": 0, "qualifying_balance": 0, "points_debt": 0}


class DealerMembershipCard(models.Model):
    _name = "dealer.membership.card"
    _description = "Membership Card"
    # The card's actions (activate, renew, suspend, replace, merge, leave...): dealer.membership.card.lifecycle.
    _inherit = ["mail.thread", "mail.activity.mixin", "dealer.membership.card.lifecycle"]
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
    card_type = fields.Selection(
        CARD_TYPES,
        default="physical",
        required=True,
        tracking=True,
    )
    replaced_by_id = fields.Many2one(
        "dealer.membership.card", string="Replaced By", readonly=True, copy=False
    )
    merged_into_id = fields.Many2one(
        "dealer.membership.card", string="Merged Into", readonly=True, copy=False
    )
    state_before_merge = fields.Selection(CARD_STATES, readonly=True, copy=False)
    merge_event_id = fields.Many2one(
        "dealer.membership.event",
        string="Merge",
        readonly=True,
        copy=False,
        help="The merge that closed this card.",
    )
    level_manual = fields.Boolean(
        string="Level Set by Hand",
        readonly=True,
        copy=False,
        help="Someone set this level with a reason: the nightly evaluation leaves it alone until the date below.",
    )
    level_manual_until = fields.Date(
        string="Level Kept Until",
        readonly=True,
        copy=False,
        help="After this day the level follows the qualifying points again. Empty: until changed by hand.",
    )
    join_date = fields.Date(tracking=True, copy=False)
    expiry_date = fields.Date(tracking=True, copy=False)
    # Maintained in the same transaction as the moves: the row lock and the
    # CHECK below are what stop two redemptions from overdrawing the card.
    reward_balance = fields.Integer(string="Reward Points", readonly=True, copy=False, default=0)
    qualifying_balance = fields.Integer(string="Qualifying Points", readonly=True, copy=False, default=0)
    points_debt = fields.Integer(
        string="Points Owed",
        readonly=True,
        copy=False,
        default=0,
        help="Points taken back from a credited or corrected work order after they were spent: "
        "the next earnings pay them first. Reward points less points owed is the sum of the ledger.",
    )
    move_ids = fields.One2many("dealer.points.move", "card_id", string="Points History")
    event_ids = fields.One2many("dealer.membership.event", "card_id", string="Card History")

    _sql_constraints = [
        ("name_company_unique", "UNIQUE(name, company_id)", "This card number is already used."),
        (
            "reward_balance_positive",
            "CHECK(reward_balance >= 0)",
            "The card does not have enough reward points.",
        ),
        ("points_debt_positive", "CHECK(points_debt >= 0)", "Points owed cannot be negative."),
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

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                forced = {
                    name
                    for name in PROTECTED_FIELDS & set(vals)
                    if vals[name] not in (NEW_CARD_VALUES.get(name), False, None, [])
                }
                if forced:
                    raise AccessError(self._dealer_protected_message(forced))
        return super().create(vals_list)

    def write(self, vals):
        forced = PROTECTED_FIELDS & set(vals)
        if not self.env.su and any(card.state != "draft" for card in self):
            forced |= PROTECTED_AFTER_ISSUE & set(vals)
        if forced and not self.env.su:
            raise AccessError(self._dealer_protected_message(forced))
        return super().write(vals)

    def _dealer_protected_message(self, field_names):
        labels = ", ".join(
            sorted(self._fields[name].get_description(self.env)["string"] for name in field_names)
        )
        return _(
            "%(fields)s of a membership card change only through the card's actions (activate, renew, "
            "swap, suspend, replace, merge, leave) and the points ledger, never by editing the card.",
            fields=labels,
        )

    def _dealer_write_protected(self, vals):
        """Write the card's protected values for a lifecycle action the user may perform.

        The user's own rights on the cards are checked first; the write itself
        is done as superuser because write() refuses these fields to everyone.
        """
        self.check_access("write")
        return self.sudo().write(vals)

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for card in self:
            card.display_name = f"{card.name} – {card.partner_id.name}" if card.partner_id else card.name

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_points(self):
        if self.move_ids:
            raise UserError(_("A card with a points history cannot be deleted; close it instead."))

    def _dealer_send_card_mail(self, template_xmlid):
        """Queue a card e-mail to the members who can receive it (address, no blacklist)."""
        reachable = self.partner_id._dealer_contact_allowed("email", consent=False)
        cards = self.filtered(lambda card: card.partner_id in reachable)
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if cards and template:
            template.send_mail_batch(cards.ids)

    def _dealer_state_label(self):
        """The card's state as a refusal names it, in the user's language ("suspended")."""
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state].lower()

    def _dealer_check_redeemable(self):
        for card in self:
            if card.state != "active":
                raise UserError(
                    _(
                        "Card %(card)s is %(state)s: points can only be redeemed on an active card.",
                        card=card.name,
                        state=card._dealer_state_label(),
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
    def _dealer_level_changes_sql(self, today):
        """SQL of ``(card, old level, new level, upgrade)`` for the active cards whose level the points change.

        Per card, the highest level whose threshold the qualifying points earned
        in the company's rolling period reach; a level set by hand is kept until
        its end date.
        """
        return SQL(
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
                   AND (card.level_manual IS NOT TRUE OR card.level_manual_until < %(today)s)
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
            today=today,
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
        with self.env["dealer.points.move"]._dealer_without_jit():
            self.env.cr.execute(self._dealer_level_changes_sql(today))
            changes = self.env.cr.fetchall()
        # A level set by hand whose date has passed follows the points again.
        self.search(
            [
                ("level_manual", "=", True),
                ("level_manual_until", "!=", False),
                ("level_manual_until", "<", today),
            ]
        ).write({"level_manual": False, "level_manual_until": False})
        by_level = {}
        for card_id, _old_level, new_level, _upgrade in changes:
            by_level.setdefault(new_level, []).append(card_id)
        for level_id, card_ids in by_level.items():
            # sudo: the nightly evaluation owns the level of cards nobody set by hand.
            self.browse(card_ids).with_context(tracking_disable=True).sudo().write({"level_id": level_id})
        upgraded = self.browse([card_id for card_id, _old, _new, upgrade in changes if upgrade])
        upgraded._dealer_send_card_mail("dealer_membership.mail_template_card_upgrade")
        downgraded = self.browse([card_id for card_id, _old, _new, upgrade in changes if not upgrade])
        downgraded._dealer_send_card_mail("dealer_membership.mail_template_card_downgrade")
        reason = self._dealer_job_env()._("Qualifying points of the rolling period.")
        self.env["dealer.membership.event"]._dealer_record(
            [
                {
                    "card_id": card_id,
                    "event_type": "upgrade" if upgrade else "downgrade",
                    "date": today,
                    "old_level_id": old_level,
                    "new_level_id": new_level,
                    "reason": reason,
                    "user_id": self.env.uid,
                }
                for card_id, old_level, new_level, upgrade in changes
            ]
        )
        return len(changes)

    @api.model
    def _dealer_job_env(self):
        """The environment of a scheduled job, in the company's language (a job has no user language)."""
        lang = self.env.lang or self.env.company.partner_id.lang or "en_US"
        return self.env(context=dict(self.env.context, lang=lang))
