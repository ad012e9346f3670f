# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import date
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request
from odoo.tools import format_date, formatLang

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.res_partner import EXPIRY_WARNING_DAYS

# The cards a customer sees, the one they use first. A draft card was never handed over.
SHOWN_STATES = ("active", "suspended", "expired", "replaced", "closed")
STATE_ORDER = {state: index for index, state in enumerate(SHOWN_STATES)}
# Cards that no longer carry points: shown greyed, without their barcode.
FORMER_STATES = ("replaced", "closed")
# As the printed card: the desk's scanner reads Code 128.
BARCODE_TYPE = "Code128"
# Used, expired and cancelled vouchers listed under the usable ones, latest first.
PAST_VOUCHERS_SHOWN = 10
STATEMENT_REPORT = "dealer_membership.action_report_dealer_points_statement"
# No card had points before: earlier dates are typed into the address, not picked.
FIRST_STATEMENT_DAY = date(1900, 1, 1)


def barcode_url(value, width, height):
    """Address of the barcode image of ``value`` drawn by the report engine (white margins included)."""
    query = urlencode(
        {
            "barcode_type": BARCODE_TYPE,
            "value": value,
            "width": width,
            "height": height,
            "humanreadable": 0,
            "quiet": 1,
        }
    )
    return f"/report/barcode/?{query}"


class DealerMembershipPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dealer_card_count" in counters:
            Card = request.env["dealer.membership.card"]
            values["dealer_card_count"] = (
                Card.search_count(self._dealer_cards_domain(), limit=1) if Card.has_access("read") else 0
            )
        return values

    def _dealer_cards_domain(self):
        """The user's cards that were handed over: their own, or their company's.

        For a portal user the record rules say the same; the domain keeps
        membership staff, who may read every card, to their own here too.
        """
        partner = request.env.user.partner_id
        return [
            ("partner_id", "in", [partner.id, partner.commercial_partner_id.id]),
            ("state", "in", SHOWN_STATES),
        ]

    def _dealer_my_cards(self):
        cards = request.env["dealer.membership.card"].search(self._dealer_cards_domain())
        return cards.sorted(lambda card: (STATE_ORDER[card.state], -card.id))

    def _dealer_check_card(self, card_id):
        """The user's card ``card_id``, with the user's own rights.

        Anyone else's card answers 404 whether it exists or not: an id
        changed in the address tells nothing.
        """
        try:
            self._document_check_access("dealer.membership.card", card_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        card = (
            request.env["dealer.membership.card"].browse(card_id).filtered_domain(self._dealer_cards_domain())
        )
        if not card:
            raise NotFound()
        return card

    def _dealer_card_values(self, card, cards, voucher_cards, detail=False):
        """What the card page shows of ``card``; ``cards`` are all the user's cards.

        :param voucher_cards: the cards whose vouchers are listed (a replaced
            card's vouchers stay usable, so the main page lists them all)
        """
        env = request.env
        today = fields.Date.context_today(env.user)
        Card = env["dealer.membership.card"]
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="dealer_card",
            dealer_card_detail=detail,
            card=card,
            other_cards=cards - card,
            today=today,
            reward_label=Card._fields["reward_balance"]._description_string(env),
            qualifying_label=Card._fields["qualifying_balance"]._description_string(env),
            statement_from=today - relativedelta(months=12),
            statement_to=today,
            next_expiry=False,
            expiry_soon=False,
            usable_vouchers=env["dealer.membership.voucher"],
            past_vouchers=env["dealer.membership.voucher"],
        )
        if not card:
            return values
        former = card.state in FORMER_STATES
        values.update(
            former=former,
            card_colour=card.level_id._dealer_card_colour(),
            card_barcode_url=barcode_url(card.name, 800, 200),
            qualifying_help=env._(
                "Those of the last %(months)s months decide your level.",
                months=card.company_id.dealer_level_period_months,
            ),
            debt_text=env._(
                "%(points)s points owed: taken back from a credited work order after they were spent. "
                "Your next points pay them first.",
                points=formatLang(env, card.points_debt, digits=0),
            ),
        )
        if not former:
            next_expiry = env["dealer.points.move"]._dealer_next_expiry(card, today).get(card.id)
            if next_expiry:
                day, points = next_expiry
                values.update(
                    next_expiry=next_expiry,
                    expiry_soon=day <= today + relativedelta(days=EXPIRY_WARNING_DAYS),
                    expiry_text=env._(
                        "%(points)s reward points expire on %(date)s, unless you redeem them before.",
                        points=formatLang(env, points, digits=0),
                        date=format_date(env, day),
                    ),
                )
        Voucher = env["dealer.membership.voucher"]
        # One expression (explicit "&"), so that "!" below negates all of it.
        usable = [
            "&",
            ("state", "=", "issued"),
            "|",
            ("valid_until", "=", False),
            ("valid_until", ">=", today),
        ]
        values.update(
            # The first to lapse first, those without an end last.
            usable_vouchers=Voucher.search(
                [("card_id", "in", voucher_cards.ids), *usable], order="valid_until asc nulls last, id"
            ),
            # Past its date but not yet marked by the nightly job: no longer usable all the same.
            past_vouchers=Voucher.search(
                [("card_id", "in", voucher_cards.ids), "!", *usable], limit=PAST_VOUCHERS_SHOWN
            ),
            voucher_barcode_url=lambda voucher: barcode_url(voucher.code, 600, 120),
        )
        return values

    @http.route("/my/card", type="http", auth="user", website=True)
    def portal_my_dealer_card(self, **kw):
        cards = self._dealer_my_cards()
        values = self._dealer_card_values(cards[:1], cards, cards)
        return request.render("dealer_membership.portal_my_dealer_card", values)

    @http.route("/my/card/<int:card_id>", type="http", auth="user", website=True)
    def portal_my_dealer_card_detail(self, card_id, **kw):
        card = self._dealer_check_card(card_id)
        values = self._dealer_card_values(card, self._dealer_my_cards(), card, detail=True)
        return request.render("dealer_membership.portal_my_dealer_card", values)

    def _dealer_statement_period(self, date_from, date_to):
        """The statement's first and last day from the form; the last 12 months by default."""
        env = request.env
        try:
            until = fields.Date.to_date(date_to) if date_to else fields.Date.context_today(env.user)
            since = fields.Date.to_date(date_from) if date_from else until - relativedelta(months=12)
            # The statement counts back a level period from its last day: a year-1 date is no period.
            if since < FIRST_STATEMENT_DAY:
                raise ValueError(since)
        except ValueError as error:
            raise UserError(
                env._("Choose the first and last day of the statement from the calendar.")
            ) from error
        if since > until:
            raise UserError(env._("The period ends before it starts."))
        return since, until

    @http.route("/my/card/<int:card_id>/statement", type="http", auth="user", website=True)
    def portal_my_dealer_card_statement(self, card_id, date_from=None, date_to=None, **kw):
        """The card's points statement of the period, as the back office prints it, to download."""
        card = self._dealer_check_card(card_id)
        try:
            since, until = self._dealer_statement_period(date_from, date_to)
        except UserError as error:
            values = self._dealer_card_values(card, self._dealer_my_cards(), card, detail=True)
            values.update(statement_error=error.args[0], statement_from=date_from, statement_to=date_to)
            return request.render("dealer_membership.portal_my_dealer_card", values)
        # sudo: as the portal's own reports, a customer cannot read report actions; the card is
        # theirs (checked above) and the report shows nothing but this card's points.
        report = request.env["ir.actions.report"].sudo().with_company(card.company_id)
        pdf, _kind = report._render_qweb_pdf(
            STATEMENT_REPORT,
            card.ids,
            data={
                "card_ids": card.ids,
                "date_from": fields.Date.to_string(since),
                "date_to": fields.Date.to_string(until),
            },
        )
        filename = request.env._(
            "Points statement %(card)s %(since)s %(until)s", card=card.name, since=since, until=until
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(re.sub(r"[^\w-]+", "_", filename) + ".pdf")),
            ],
        )
