# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo membership history: cards in every state, their points and vouchers.

Everything goes through the cards' own actions and the points ledger, so the
balances are the sum of the ledger as in a real database. Only the dates of
the history are moved afterwards to when things happened: the actions stamp
today, and a demo made in one go would otherwise have two years happen today.
"""

import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

CARD_TYPES = ("physical", "physical", "virtual", "key_tag")


class DealerMembershipDemo(models.AbstractModel):
    _name = "dealer.membership.demo"
    _description = "Dealer Membership Demo Data"

    @api.model
    def _create_demo_membership(self):
        self._create_demo_cards(members=26, seed=11)
        company = self.env.ref("dealer_loyalty.demo_company_tartu", raise_if_not_found=False)
        if company:
            # The second dealership earns and levels as the first one does.
            for model in ("dealer.points.rule", "dealer.membership.level"):
                for record in self.env[model].search([("company_id", "=", self.env.company.id)]):
                    record.copy({"company_id": company.id})
            self.with_company(company)._create_demo_cards(members=4, seed=12, stories=False)

    @api.model
    def _create_demo_cards(self, members, seed, stories=True):
        """Cards for the company's customers with service visits, each joined at one of those visits."""
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        Card = self.env["dealer.membership.card"]
        Visit = self.env["dealer.visit"]
        entry_level = self.env["dealer.membership.level"].search(
            [("company_id", "=", self.env.company.id)], order="sequence", limit=1
        )
        admin = self.env.ref("base.user_admin")
        visits = Visit.search(
            [("state", "=", "done"), ("company_id", "=", self.env.company.id)], order="date, id"
        )
        # Members join at one of their service visits of the last two years.
        since = today - relativedelta(months=23)
        service_days = {}
        for visit in visits.filtered(lambda visit: visit.department == "service" and visit.date >= since):
            service_days.setdefault(visit.partner_id, []).append(visit.date)
        customers = self.env["res.partner"].browse(sorted(partner.id for partner in service_days))[:members]
        cards = Card.create(
            [
                {"partner_id": customer.id, "level_id": entry_level.id, "card_type": rng.choice(CARD_TYPES)}
                for customer in customers
            ]
        )
        # The first card was printed and waits at the desk for its member: still a draft.
        waiting, cards = (cards[:1], cards[1:]) if stories else (Card, cards)
        cards.action_activate()
        joined = {}
        for card in cards:
            join = rng.choice(service_days[card.partner_id])
            joined[card] = join
            validity = relativedelta(months=card.level_id.validity_months)
            expiry = join + validity
            # A member of more than a validity period renewed when it ended.
            while expiry <= today:
                card._dealer_renew("Renewed at the end of the validity")
                self._demo_date_events(card, "renew", expiry)
                expiry += validity
            card.write({"join_date": join, "expiry_date": expiry})
            self._demo_date_events(card, "join", join)
        # Members earn from the visits since they joined.
        join_of = {card.partner_id: join for card, join in joined.items()}
        self.env["dealer.points.move"]._dealer_post_visit_points(
            visits.filtered(
                lambda visit: visit.partner_id in join_of and visit.date >= join_of[visit.partner_id]
            )
        )
        Card._cron_dealer_evaluate_levels(today=today)
        if stories:
            self._demo_card_stories(cards, rng, admin)
        self._demo_redemptions(cards.filtered(lambda card: card.state == "active"), rng, admin)
        return cards | waiting

    @api.model
    def _demo_card_stories(self, cards, rng, admin):
        """What happens to cards in a dealership: lost, broken, expired, left, merged, upgraded by hand."""
        today = fields.Date.context_today(self)
        Card = self.env["dealer.membership.card"]
        lost, unpaid, damaged, swapped, lapsed, leaving, merged, goodwill, corrected = cards[:9]
        # The member who brings the most work: a small company's cars, on a level agreed by contract.
        fleet = cards[9:].sorted(lambda card: (-card.qualifying_balance, card.id))[:1]
        lost._dealer_suspend("Card reported lost; blocked until the member confirms it is gone")
        self._demo_date_events(lost, "suspend", today - timedelta(days=6))
        unpaid._dealer_suspend("Gold fee unpaid after two reminders")
        self._demo_date_events(unpaid, "suspend", today - timedelta(days=24))
        new_card = damaged._dealer_replace("The chip is broken")
        self._demo_date_events(damaged | new_card, "replace", today - timedelta(days=41))
        self._demo_date_transfers(damaged | new_card, today - timedelta(days=41))
        swapped._dealer_swap_type(
            "key_tag" if swapped.card_type != "key_tag" else "virtual", "Prefers a key tag"
        )
        self._demo_date_events(swapped, "swap", today - timedelta(days=73))
        # Two cards ran out: one stays expired, the other's member took a new card and merged the old one.
        (lapsed | merged).write({"expiry_date": today - timedelta(days=rng.randint(10, 40))})
        Card._cron_dealer_expire_cards(today=today)
        for card in lapsed | merged:
            self._demo_date_events(card, "expire", card.expiry_date + timedelta(days=1))
        successor = Card.create({"partner_id": merged.partner_id.id, "level_id": merged.level_id.id})
        successor.action_activate()
        merged._dealer_merge_into(successor, "Took a new card at the service desk; old points moved over")
        rejoined = merged.expiry_date + timedelta(days=5)
        successor.write({"join_date": rejoined, "expiry_date": rejoined + relativedelta(months=12)})
        self._demo_date_events(successor, "join", rejoined)
        self._demo_date_events(merged, "merge", rejoined)
        self._demo_date_transfers(merged | successor, rejoined)
        leaving._dealer_leave("Sold the car and moved to Pärnu")
        self._demo_date_events(leaving, "leave", today - timedelta(days=15))
        gold = self.env.ref("dealer_membership.dealer_membership_level_gold")
        if goodwill.level_id != gold:
            goodwill._dealer_change_level(
                gold, "Goodwill after the delayed warranty repair", until=today + relativedelta(months=6)
            )
        platinum = self.env.ref("dealer_membership.dealer_membership_level_platinum")
        if fleet.level_id != platinum:
            fleet._dealer_change_level(
                platinum,
                "Fleet account: level agreed in the service contract",
                until=today + relativedelta(years=1),
            )
        self.env["dealer.points.adjust"].with_user(admin).create(
            {
                "card_id": corrected.id,
                "ledger": "reward",
                "points": 250,
                "reason": "Points of a work order invoiced to the wrong customer",
            }
        ).action_adjust()

    @api.model
    def _demo_redemptions(self, cards, rng, admin):
        """The members with most points redeemed rewards: vouchers used, waiting, cancelled and expired."""
        today = fields.Date.context_today(self)
        Voucher = self.env["dealer.membership.voucher"]
        rewards = self.env["dealer.membership.reward"].search(
            [("company_id", "=", self.env.company.id), ("reward_type", "in", ("service", "voucher"))],
            order="points_cost desc",
        )
        vouchers = Voucher
        for card in cards.sorted(lambda card: (-card.reward_balance, card.id))[:7]:
            affordable = rewards.filtered(lambda reward, card=card: reward.points_cost <= card.reward_balance)
            if not affordable:
                continue
            reward = rng.choice(affordable)
            wizard = (
                self.env["dealer.membership.redeem"]
                .with_user(admin)
                .create({"card_id": card.id, "reward_id": reward.id})
            )
            wizard.action_redeem()
            vouchers |= wizard.voucher_id
        for voucher in vouchers[:3]:
            voucher.with_user(admin).action_use()
        vouchers[3:4].with_user(admin).action_cancel()
        # sudo: a voucher issued months ago, as the expiry job finds it.
        vouchers[4:5].sudo().write({"valid_until": today - timedelta(days=3)})
        Voucher._cron_dealer_expire_vouchers(today=today)

    @api.model
    def _demo_date_events(self, cards, event_type, date):
        """Date the cards' latest event of this type to when it happened (the history is read-only)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE dealer_membership_event event SET date = %s
             WHERE event.id IN (SELECT max(id) FROM dealer_membership_event
                                 WHERE card_id = ANY(%s) AND event_type = %s GROUP BY card_id)
            """,
            [date, cards.ids, event_type],
        )
        self.env["dealer.membership.event"].invalidate_model(["date"])

    @api.model
    def _demo_date_transfers(self, cards, date):
        """Date the points moved between these cards to the day of the replacement or merge."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE dealer_points_move SET date = %s WHERE card_id = ANY(%s) AND origin = 'transfer'",
            [date, cards.ids],
        )
        self.env["dealer.points.move"].invalidate_model(["date"])
