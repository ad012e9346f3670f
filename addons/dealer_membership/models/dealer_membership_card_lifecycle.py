# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount


class DealerMembershipCardLifecycle(models.AbstractModel):
    """A card's life from draft to closed, one action each: join, renew, level set by hand,
    suspend and reactivate, swap, leave, replace, merge and its undoing, expiry; and how
    its points go with it to another card (rejoining, replacement, merge).

    Inherited by ``dealer.membership.card``. The actions change the card's
    protected values through its ``_dealer_write_protected`` and its points
    through the ledger (``dealer.points.move``); each leaves a
    ``dealer.membership.event`` in the card's history.
    """

    _name = "dealer.membership.card.lifecycle"
    _description = "Membership Card Lifecycle"

    @api.model
    def _dealer_left_with_points(self, partners):
        """The cards the customers left holding points (kept on leaving, or owed): not merged away."""
        return self.search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "=", "closed"),
                ("merged_into_id", "=", False),
                "|",
                "|",
                ("reward_balance", ">", 0),
                ("points_debt", ">", 0),
                ("qualifying_balance", ">", 0),
            ]
        )

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
        joins = self.env["dealer.membership.event"]._dealer_record(
            [{"card_id": card.id, "event_type": "join", "new_level_id": card.level_id.id} for card in self]
        )
        # A member who left keeping their points gets them back on rejoining; their qualifying
        # points come along whatever the policy (only reward points are forfeited), so a work
        # order of the old membership cancelled later can take its points back from this card.
        kept = self._dealer_left_with_points(self.partner_id)
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
        return True

    def _dealer_require_state(self, allowed, action):
        for card in self:
            if card.state not in allowed:
                raise UserError(
                    _(
                        "Card %(card)s is %(state)s: it cannot be %(action)s.",
                        card=card.name,
                        state=card._dealer_state_label(),
                        action=action,
                    )
                )

    def _dealer_log(self, event_type, reason, **values):
        self.check_access("write")
        return self.env["dealer.membership.event"]._dealer_record(
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
        # A level is worth its multiplier and discounts, as much as points: managers only, as adjustments.
        if not self.env.user.has_group("dealer_membership.dealer_membership_group_manager"):
            raise AccessError(_("Only membership managers can set a card's level by hand."))
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
        self._dealer_write_protected({"card_type": card_type})
        self._dealer_log("swap", reason)

    def _dealer_leave(self, reason):
        """Close the card; the company's policy says whether its reward points are forfeited."""
        self._dealer_require_state({"active", "suspended", "expired"}, _("closed"))
        leaves = self._dealer_log("leave", reason)
        for card, leave in zip(self, leaves, strict=True):
            if card.company_id.dealer_leave_policy == "forfeit" and card.reward_balance:
                # Tied to the leaving, so points taken back later reduce what was forfeited.
                self.env["dealer.points.move"]._dealer_insert_moves(
                    [
                        {
                            "card_id": card.id,
                            "ledger": "reward",
                            "points": -card.reward_balance,
                            "origin": "adjustment",
                            "reason": _("Forfeited on leaving: %(reason)s", reason=reason),
                            "event_id": leave.id,
                        }
                    ]
                )
        self._dealer_write_protected({"state": "closed"})

    @api.model
    def _dealer_forfeit_less_taken_back(self):
        """Points taken back from a closed card that forfeited its points reduce what it forfeited.

        Forfeited points were not spent, so taking back an earning of the old
        membership (a work order cancelled afterwards) must not leave the
        member owing it: the card owes only what exceeds what it forfeited.
        """
        cards = self.search([("state", "=", "closed"), ("points_debt", ">", 0)])
        if not cards:
            return
        Move = self.env["dealer.points.move"]
        forfeits = Move.search(
            [("card_id", "in", cards.ids), ("event_id.event_type", "=", "leave")], order="id"
        )
        if not forfeits:
            return
        forfeited = defaultdict(int)
        for move in forfeits:
            forfeited[move.card_id] -= move.points
        Move._dealer_insert_moves(
            [
                {
                    "card_id": card.id,
                    "ledger": "reward",
                    "points": min(card.points_debt, forfeited[card]),
                    "origin": "adjustment",
                    "reason": _("Forfeited on leaving, less the points taken back since"),
                    "event_id": forfeits.filtered(lambda move, card=card: move.card_id == card)[
                        -1
                    ].event_id.id,
                }
                for card in cards
                if forfeited[card] > 0
            ]
        )

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
        # The new card is the same membership: points a merge brought stay that merge's, so it can be undone.
        self._dealer_transfer_points(
            new_card, _("Card replaced: %(reason)s", reason=reason), keep_merges=True
        )
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
        # A card replaced since handed the merged points on to its replacement.
        while target.replaced_by_id:
            target = target.replaced_by_id
        if target.merged_into_id:
            raise UserError(
                _(
                    "Card %(card)s was merged into card %(into)s since: undo that merge first.",
                    card=target.name,
                    into=target.merged_into_id.name,
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
                ("reward", left, move.date, move.expiry_date, None)
                for move, left in target._dealer_reward_left()
                if left and move.event_id == merged
            ]
            + [
                (move.ledger, move.points, move.date, move.expiry_date, None)
                for move in target.move_ids
                if move.ledger == "qualifying" and move.event_id == merged and move.points > 0
            ],
            event=undo,
        )
        self._dealer_write_protected({"merged_into_id": False, "merge_event_id": False})

    @api.model
    def _cron_dealer_expire_cards(self, today=None):
        """Active and suspended cards whose last day is over at their dealership (or before ``today``) expire."""
        expired = self.browse()
        for company in self.env["res.company"].search([]):
            expired |= self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("active", "suspended")),
                    ("expiry_date", "<", today or company._dealer_membership_today()),
                ]
            )
        expired._dealer_write_protected({"state": "expired"})
        expired._dealer_log("expire", self._dealer_job_env()._("Validity ended."))
        return len(expired)

    # ------------------------------------------------------------
    # POINTS CARRIED TO ANOTHER CARD
    # ------------------------------------------------------------

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

    def _dealer_transfer_points(self, target, reason, chunks=None, event=None, keep_merges=False):
        """Carry the card's remaining points to ``target``, keeping each earning's expiry date.

        Reward points: what is left of each earning (see
        :meth:`_dealer_reward_left`). Qualifying points: per day earned, so
        the rolling level period still sees them when they were earned.
        ``chunks`` — ``(ledger, points, date, expiry, merge event or None)`` — limits the transfer
        to them (undoing a merge). ``keep_merges``: the points a merge brought
        stay that merge's on ``target`` (a replacement), else they are ``event``'s.
        """
        self.ensure_one()
        if chunks is None:
            if self.points_debt:
                self._dealer_carry_debt(target, reason, event)

            def merge_of(move):
                """The merge of another card that brought the move's points, if they stay its own."""
                event = move.event_id
                if keep_merges and event.event_type == "merge" and event.card_id != move.card_id:
                    return event
                return None

            chunks = [
                ("reward", left, move.date, move.expiry_date, merge_of(move))
                for move, left in self._dealer_reward_left()
                if left
            ]
            per_day = defaultdict(int)
            for move in self.move_ids.filtered(lambda move: move.ledger == "qualifying"):
                per_day[move.date, merge_of(move)] += move.points
            chunks += [
                ("qualifying", points, day, False, merge)
                for (day, merge), points in per_day.items()
                if points
            ]
        if not chunks:
            return
        # Reward points leave in one move; qualifying points leave on the days they were earned, so
        # the rolling level period of a card that keeps others (a merge undone) loses only its own.
        totals = defaultdict(int)
        for ledger, points, day, *_rest in chunks:
            totals[ledger, day if ledger == "qualifying" else None] += points
        self.env["dealer.points.move"]._dealer_insert_moves(
            [
                {
                    "card_id": self.id,
                    "ledger": ledger,
                    "points": -points,
                    "date": day,
                    "origin": "transfer",
                    "reason": reason,
                    "event_id": event.id if event else None,
                }
                for (ledger, day), points in totals.items()
                if points
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
                    "event_id": (merge or event).id if merge or event else None,
                }
                for ledger, points, day, expiry, merge in chunks
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
