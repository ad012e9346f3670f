# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount

CARD_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("expired", "Expired"),
    ("replaced", "Replaced"),
    ("closed", "Closed"),
]
CARD_TYPES = [("physical", "Plastic card"), ("virtual", "Digital card"), ("key_tag", "Key tag")]
# Money-like values of a card: changed only by its lifecycle actions and the points ledger.
PROTECTED_FIELDS = frozenset(
    {
        "name",
        "state",
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
# Whose card it is and its level are chosen when the card is issued; afterwards only actions change them.
PROTECTED_AFTER_ISSUE = frozenset({"partner_id", "level_id", "company_id"})
# What a new card may say about the protected values: the defaults.
NEW_CARD_VALUES = {"state": "draft", "reward_balance": 0, "qualifying_balance": 0, "points_debt": 0}


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
                    if vals[name] not in (NEW_CARD_VALUES.get(name), False, None)
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
            "suspend, replace, merge, leave) and the points ledger, never by editing the card.",
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

    def action_activate(self):
        """Join: the card becomes active for its level's validity."""
        not_draft = self.filtered(lambda card: card.state != "draft")
        if not_draft:
            raise UserError(_("Card %(card)s is not a draft.", card=not_draft[0].name))
        active = self.search(
            [("partner_id", "in", self.partner_id.ids), ("state", "=", "active"), ("id", "not in", self.ids)]
        )
        for card in self:
            other = (
                active.filtered(
                    lambda other, card=card: other.partner_id == card.partner_id
                    and other.company_id == card.company_id
                )[:1]
                or (self - card).filtered(
                    lambda other, card=card: other.partner_id == card.partner_id
                    and other.company_id == card.company_id
                )[:1]
            )
            if other:
                raise UserError(
                    _(
                        "%(customer)s already has the active card %(card)s: replace or merge it rather than "
                        "activating a second one.",
                        customer=card.partner_id.display_name,
                        card=other.name,
                    )
                )
        today = fields.Date.context_today(self)
        for card in self:
            card._dealer_write_protected(
                {
                    "state": "active",
                    "join_date": today,
                    "expiry_date": today + relativedelta(months=card.level_id.validity_months),
                }
            )
        joins = self.env["dealer.membership.event"].create(
            [{"card_id": card.id, "event_type": "join", "new_level_id": card.level_id.id} for card in self]
        )
        # A member who left keeping their points gets them back on rejoining.
        kept = self.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("state", "=", "closed"),
                ("merged_into_id", "=", False),
                "|",
                ("reward_balance", ">", 0),
                ("points_debt", ">", 0),
            ]
        )
        for card, join in zip(self, joins, strict=True):
            for old_card in kept.filtered(
                lambda old, card=card: old.partner_id == card.partner_id and old.company_id == card.company_id
            ):
                old_card._dealer_transfer_points(
                    card,
                    _("Points kept on leaving, back on rejoining (card %(card)s)", card=old_card.name),
                    event=join,
                )
        self._dealer_send_card_mail("dealer_membership.mail_template_card_welcome")

    def _dealer_send_card_mail(self, template_xmlid):
        """Queue a card e-mail to the members who can receive it (address, no blacklist)."""
        reachable = self.partner_id._dealer_contact_allowed("email", consent=False)
        cards = self.filtered(lambda card: card.partner_id in reachable)
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if cards and template:
            template.send_mail_batch(cards.ids)

    def _dealer_check_redeemable(self):
        for card in self:
            if card.state != "active":
                raise UserError(
                    _(
                        "Card %(card)s is %(state)s: points can only be redeemed on an active card.",
                        card=card.name,
                        state=dict(card._fields["state"]._description_selection(card.env))[
                            card.state
                        ].lower(),
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
        self.env["dealer.membership.event"].create(
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

    # ------------------------------------------------------------
    # LIFECYCLE
    # ------------------------------------------------------------

    def _dealer_require_state(self, allowed, action):
        for card in self:
            if card.state not in allowed:
                raise UserError(
                    _(
                        "Card %(card)s is %(state)s: it cannot be %(action)s.",
                        card=card.name,
                        state=dict(card._fields["state"]._description_selection(card.env))[
                            card.state
                        ].lower(),
                        action=action,
                    )
                )

    def _dealer_log(self, event_type, reason, **values):
        return self.env["dealer.membership.event"].create(
            [{"card_id": card.id, "event_type": event_type, "reason": reason, **values} for card in self]
        )

    def _dealer_renew(self, reason):
        """Extend the card by its level's validity, from today or from its expiry if later."""
        self._dealer_require_state({"active", "expired"}, _("renewed"))
        today = fields.Date.context_today(self)
        for card in self:
            start = max(today, card.expiry_date or today)
            card._dealer_write_protected(
                {
                    "state": "active",
                    "expiry_date": start + relativedelta(months=card.level_id.validity_months),
                }
            )
            fee = card.level_id.fee
            # The fee is recorded with the renewal; invoicing it belongs to the dealership's accounting.
            card._dealer_log(
                "renew",
                _(
                    "%(reason)s (fee %(fee)s)",
                    reason=reason,
                    fee=format_amount(self.env, fee, card.level_id.currency_id),
                )
                if fee
                else reason,
            )

    def _dealer_change_level(self, level, reason, until=False):
        """Set the level by hand (a goodwill upgrade, a correction); the nightly evaluation keeps it.

        :param until: last day the level is kept; after it, the level follows the points again
        """
        self._dealer_require_state({"active"}, _("upgraded or downgraded"))
        if until and until < fields.Date.context_today(self):
            raise UserError(_("The level cannot be kept until a day that has passed."))
        for card in self:
            old_level = card.level_id
            card._dealer_write_protected(
                {"level_id": level.id, "level_manual": True, "level_manual_until": until}
            )
            if old_level == level:
                continue
            upgrade = level.sequence > old_level.sequence
            card._dealer_log(
                "upgrade" if upgrade else "downgrade",
                reason,
                old_level_id=old_level.id,
                new_level_id=level.id,
            )
            card._dealer_send_card_mail(
                "dealer_membership.mail_template_card_upgrade"
                if upgrade
                else "dealer_membership.mail_template_card_downgrade"
            )

    def _dealer_suspend(self, reason):
        self._dealer_require_state({"active"}, _("suspended"))
        self._dealer_write_protected({"state": "suspended"})
        self._dealer_log("suspend", reason)

    def _dealer_reactivate(self, reason):
        self._dealer_require_state({"suspended"}, _("reactivated"))
        self._dealer_write_protected({"state": "active"})
        self._dealer_log("reactivate", reason)

    def _dealer_swap_type(self, card_type, reason):
        self._dealer_require_state({"active", "suspended"}, _("swapped"))
        self.write({"card_type": card_type})
        self._dealer_log("swap", reason)

    def _dealer_leave(self, reason):
        """Close the card; the company's policy says whether its reward points are forfeited."""
        self._dealer_require_state({"active", "suspended", "expired"}, _("closed"))
        for card in self:
            if card.company_id.dealer_leave_policy == "forfeit" and card.reward_balance:
                self.env["dealer.points.move"]._dealer_insert_moves(
                    [
                        {
                            "card_id": card.id,
                            "ledger": "reward",
                            "points": -card.reward_balance,
                            "origin": "adjustment",
                            "reason": _("Forfeited on leaving: %(reason)s", reason=reason),
                        }
                    ]
                )
        self._dealer_write_protected({"state": "closed"})
        self._dealer_log("leave", reason)

    def _dealer_replace(self, reason):
        """A new card with a new number takes over; the old one is blocked, its points carried over."""
        self.ensure_one()
        self._dealer_require_state({"active", "suspended"}, _("replaced"))
        previous_state = self.state
        self._dealer_write_protected({"state": "replaced"})
        self.flush_recordset(["state"])  # before the new card's INSERT meets the one-active-card index
        new_card = self.sudo().copy(  # sudo: the new card takes the old one's state (see create)
            {
                "state": previous_state,
                "join_date": self.join_date,
                "expiry_date": self.expiry_date,
                "vehicle_ids": [fields.Command.set(self.vehicle_ids.ids)],
                "level_manual": self.level_manual,
                "level_manual_until": self.level_manual_until,
            }
        )
        self._dealer_transfer_points(new_card, _("Card replaced: %(reason)s", reason=reason))
        new_card = new_card.sudo(False)
        self._dealer_write_protected({"replaced_by_id": new_card.id})
        self._dealer_log("replace", reason, new_level_id=self.level_id.id)
        new_card._dealer_log(
            "replace", _("Replaces card %(card)s", card=self.name), new_level_id=self.level_id.id
        )
        return new_card

    def _dealer_merge_into(self, target, reason):
        """Move this card's points to ``target`` (same customer) and close it; undoable."""
        self.ensure_one()
        if target == self or target.partner_id != self.partner_id or target.company_id != self.company_id:
            raise UserError(_("A card can only be merged into another card of the same customer."))
        self._dealer_require_state({"active", "suspended", "expired"}, _("merged"))
        target._dealer_require_state({"active"}, _("merged into"))
        event = self._dealer_log("merge", reason)
        self._dealer_transfer_points(
            target,
            _(
                "Merged from %(from_card)s into %(card)s: %(reason)s",
                from_card=self.name,
                card=target.name,
                reason=reason,
            ),
            event=event,
        )
        self._dealer_write_protected(
            {
                "state": "closed",
                "merged_into_id": target.id,
                "state_before_merge": self.state,
                "merge_event_id": event.id,
            }
        )

    def _dealer_undo_merge(self, reason):
        """Give a merged card its points back and reopen it."""
        self.ensure_one()
        target = self.merged_into_id
        if not target or self.state != "closed":
            raise UserError(_("Card %(card)s was not merged into another card.", card=self.name))
        if not self.merge_event_id:
            raise UserError(
                _(
                    "The merge of card %(card)s was made before merges were recorded move by move: "
                    "move its points back with Adjust Points.",
                    card=self.name,
                )
            )
        # The customer's other card is the active one, so this one gets back its state before the merge.
        self._dealer_write_protected(
            {"state": self.state_before_merge or "suspended", "state_before_merge": False}
        )
        undo = self._dealer_log("merge", _("Merge undone: %(reason)s", reason=reason))
        # What is left of what this merge brought to the other card, found by the
        # merge, not by its text: merged points that expired or were spent there
        # since do not come back.
        merged = self.merge_event_id
        target._dealer_transfer_points(
            self,
            _("Merge undone: %(reason)s", reason=reason),
            chunks=[
                ("reward", left, move.date, move.expiry_date)
                for move, left in target._dealer_reward_left()
                if left and move.event_id == merged
            ]
            + [
                (move.ledger, move.points, move.date, move.expiry_date)
                for move in target.move_ids
                if move.ledger == "qualifying" and move.event_id == merged and move.points > 0
            ],
            event=undo,
        )
        self._dealer_write_protected({"merged_into_id": False, "merge_event_id": False})

    def _dealer_reward_left(self):
        """What is left of each reward earning of the card: ``[(move, points left)]``, oldest expiry first.

        The ledger's consumption rule, as the expiry job counts it (see
        ``dealer.points.move._dealer_reward_left_sql``).
        """
        self.ensure_one()
        Move = self.env["dealer.points.move"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT move_id, points_left FROM (%s) earnings ORDER BY expiry_date NULLS LAST, date, move_id",
                Move._dealer_reward_left_sql(SQL("SELECT %s", self.id)),
            )
        )
        return [(Move.browse(move_id), left) for move_id, left in self.env.cr.fetchall()]

    def _dealer_transfer_points(self, target, reason, chunks=None, event=None):
        """Carry the card's remaining points to ``target``, keeping each earning's expiry date.

        Reward points: what is left of each earning (see
        :meth:`_dealer_reward_left`). Qualifying points: per day earned, so
        the rolling level period still sees them when they were earned.
        ``chunks`` — ``(ledger, points, date, expiry)`` — limits the transfer
        to them (undoing a merge).
        """
        self.ensure_one()
        if chunks is None:
            if self.points_debt:
                self._dealer_carry_debt(target, reason, event)
            chunks = [
                ("reward", left, move.date, move.expiry_date)
                for move, left in self._dealer_reward_left()
                if left
            ]
            per_day = defaultdict(int)
            for move in self.move_ids.filtered(lambda move: move.ledger == "qualifying"):
                per_day[move.date] += move.points
            chunks += [("qualifying", points, day, False) for day, points in per_day.items() if points]
        if not chunks:
            return
        totals = defaultdict(int)
        for ledger, points, _day, _expiry in chunks:
            totals[ledger] += points
        self.env["dealer.points.move"]._dealer_insert_moves(
            [
                {
                    "card_id": self.id,
                    "ledger": ledger,
                    "points": -points,
                    "origin": "transfer",
                    "reason": reason,
                    "event_id": event.id if event else None,
                }
                for ledger, points in totals.items()
            ]
            + [
                {
                    "card_id": target.id,
                    "ledger": ledger,
                    "points": points,
                    "date": day,
                    "expiry_date": expiry,
                    "origin": "transfer",
                    "reason": reason,
                    "event_id": event.id if event else None,
                }
                for ledger, points, day, expiry in chunks
            ]
        )

    def _dealer_carry_debt(self, target, reason, event=None):
        """The points this card owes go with its points: ``target`` owes them now (or pays them at once)."""
        self.ensure_one()
        debt = self.points_debt
        Move = self.env["dealer.points.move"]
        # This card's debt is settled by a move of the same size...
        Move._dealer_insert_moves(
            [
                {
                    "card_id": self.id,
                    "ledger": "reward",
                    "points": debt,
                    "origin": "transfer",
                    "reason": reason,
                    "event_id": event.id if event else None,
                }
            ]
        )
        # ...and the target takes it: from its points if it has them, else as its own debt.
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE dealer_membership_card
               SET reward_balance = GREATEST(reward_balance - %(debt)s, 0),
                   points_debt = points_debt + GREATEST(%(debt)s - reward_balance, 0)
             WHERE id = %(card)s
            """,
            {"debt": debt, "card": target.id},
        )
        Move._dealer_insert_moves(
            [
                {
                    "card_id": target.id,
                    "ledger": "reward",
                    "points": -debt,
                    "origin": "transfer",
                    "reason": reason,
                    "event_id": event.id if event else None,
                }
            ],
            balances_done=True,
        )
        (self | target).invalidate_recordset(["reward_balance", "points_debt"])

    @api.model
    def _cron_dealer_expire_cards(self, today=None):
        """Active and suspended cards past their expiry date become expired, with an event each."""
        today = today or fields.Date.context_today(self)
        expired = self.search([("state", "in", ("active", "suspended")), ("expiry_date", "<", today)])
        expired._dealer_write_protected({"state": "expired"})
        expired._dealer_log("expire", self._dealer_job_env()._("Validity ended."))
        return len(expired)

    @api.model
    def _dealer_job_env(self):
        """The environment of a scheduled job, in the company's language (a job has no user language)."""
        lang = self.env.lang or self.env.company.partner_id.lang or "en_US"
        return self.env(context=dict(self.env.context, lang=lang))
