# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .common_portal import PortalMembersMixin


@tagged("post_install", "-at_install")
class TestPortalCard(PortalMembersMixin, HttpCase):
    """The customer's card page on the portal, as the customer and as another customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_members()

    def _statement_text(self, response):
        """The statement's text: a PDF, or its HTML where the test server does not print."""
        if response.content.startswith(b"%PDF"):
            reader = PdfFileReader(io.BytesIO(response.content))
            return "\n".join(page.extract_text() for page in reader.pages)
        return response.text

    def test_portal_card_tour(self):
        self.start_tour("/my", "dealer_membership_portal_card_tour", login="portal_a")

    def test_home_counts_the_customers_cards(self):
        self.authenticate("portal_a", "portal_a")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["dealer_card_count"]})
        self.assertEqual(counters["dealer_card_count"], 1)
        new_test_user(self.env, "portal_nocard", groups="base.group_portal", email="nocard@example.com")
        self.authenticate("portal_nocard", "portal_nocard")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["dealer_card_count"]})
        self.assertEqual(counters["dealer_card_count"], 0)
        page = self.url_open("/my/card")
        self.assertEqual(page.status_code, 200)
        self.assertIn("You have no membership card yet", page.text)

    def test_statement_downloads_the_chosen_period_of_the_own_card(self):
        self.authenticate("portal_a", "portal_a")
        response = self.url_open(
            f"/my/card/{self.card_a.id}/statement?date_from=2020-01-01&date_to=2020-06-30"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn("PORTALA01_2020-01-01_2020-06-30.pdf", response.headers["Content-Disposition"])
        text = self._statement_text(response)
        self.assertIn("06/30/2020", text)
        self.assertIn("No points were earned or spent in this period", text)
        # This year's statement has the card's points.
        response = self.url_open(
            f"/my/card/{self.card_a.id}/statement?date_from={self.today.year}-01-01"
            f"&date_to={self.today.isoformat()}"
        )
        text = self._statement_text(response)
        self.assertIn("PORTALA01", text)
        self.assertIn("PORTALV001", text, "the redemption row names its voucher")
        self.assertNotIn("No points were earned or spent in this period", text)

    def test_a_wrong_period_is_explained_on_the_page(self):
        self.authenticate("portal_a", "portal_a")
        url = f"/my/card/{self.card_a.id}/statement"
        response = self.url_open(f"{url}?date_from=2026-06-30&date_to=2026-01-01")
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "text/html")
        self.assertIn("The period ends before it starts.", response.text)
        self.assertIn('value="2026-06-30"', response.text, "the customer's dates stay in the form")
        response = self.url_open(f"{url}?date_from=yesterday&date_to=2026-13-45")
        self.assertIn("Choose the first and last day of the statement from the calendar.", response.text)

    def test_a_period_at_the_calendars_edge_is_explained_not_crashed(self):
        # Typed into the address: a year-1 period is a valid date range, but not a statement.
        self.authenticate("portal_a", "portal_a")
        url = f"/my/card/{self.card_a.id}/statement"
        for query in ("date_from=0001-01-01&date_to=0001-02-01", "date_to=0001-02-01"):
            with self.subTest(query=query):
                response = self.url_open(f"{url}?{query}")
                self.assertLess(response.status_code, 500)
                self.assertIn(
                    "Choose the first and last day of the statement from the calendar.", response.text
                )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.http")
    def test_another_customer_gets_not_found_on_the_first_ones_urls(self):
        draft_b = self.env["dealer.membership.card"].create(
            {"partner_id": self.user_b.partner_id.id, "level_id": self.level.id}
        )
        self.authenticate("portal_b", "portal_b")
        for url in (
            f"/my/card/{self.card_a.id}",
            f"/my/card/{self.card_a.id}/statement",
            f"/my/card/{self.card_a.id}/statement?date_from=2020-01-01&date_to=2030-01-01",
            f"/my/card/{draft_b.id}",
            "/my/card/999999999",
            "/my/card/999999999/statement",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("PORTALA01", response.text)
        page = self.url_open("/my/card").text
        self.assertIn("PORTALB01", page)
        self.assertIn("PORTALV002", page)
        for foreign in ("PORTALA01", "PORTALV001", "PORTALU001", "Portal Member A"):
            self.assertNotIn(foreign, page)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.http")
    def test_another_customer_can_neither_read_nor_change_points_over_rpc(self):
        self.authenticate("portal_b", "portal_b")

        def call(model, method, *args, **kwargs):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            )

        for model, record in (
            ("dealer.membership.card", self.card_a),
            ("dealer.points.move", self.card_a.move_ids[:1]),
            ("dealer.membership.voucher", self.voucher_a),
        ):
            with self.subTest(model=model), self.assertRaises(JsonRpcException):
                call(model, "read", record.ids, ["display_name"])
        self.assertEqual(
            {row["card_id"][0] for row in call("dealer.points.move", "search_read", [], ["card_id"])},
            {self.card_b.id},
        )
        self.assertEqual(
            [row["code"] for row in call("dealer.membership.voucher", "search_read", [], ["code"])],
            ["PORTALV002"],
        )
        for card in (self.card_a, self.card_b):
            for values in ({"reward_balance": 99999}, {"qualifying_balance": 99999}):
                with self.subTest(card=card.name, values=values), self.assertRaises(JsonRpcException):
                    call("dealer.membership.card", "write", card.ids, values)
        with self.assertRaises(JsonRpcException):
            call("dealer.membership.card", "_dealer_write_protected", self.card_b.ids, {"reward_balance": 9})
        with self.assertRaises(JsonRpcException):
            call("dealer.membership.voucher", "write", self.voucher_a.ids, {"state": "issued"})
        self.env.invalidate_all()
        self.assertEqual((self.card_a.reward_balance, self.card_b.reward_balance), (900, 1200))
        self.assertEqual((self.card_a.qualifying_balance, self.card_b.qualifying_balance), (900, 900))

    def test_a_replaced_card_is_greyed_and_the_new_one_shown_first(self):
        new_card = self.card_a._dealer_replace("Lost")
        self.authenticate("portal_a", "portal_a")
        page = self.url_open("/my/card").text
        self.assertIn(f"value={new_card.name}", page, "the new card's barcode")
        self.assertNotIn("value=PORTALA01", page, "no barcode of the replaced card")
        self.assertIn(f'href="/my/card/{self.card_a.id}"', page, "the old card under the other cards")
        self.assertIn("PORTALV001", page, "the old card's voucher is still usable")
        old = self.url_open(f"/my/card/{self.card_a.id}").text
        self.assertNotIn("o_dealer_card_barcode", old)
        self.assertIn("This card was replaced", old)
        self.assertIn(new_card.name, old)

    def test_the_page_speaks_the_customers_language(self):
        self.env["res.lang"]._activate_lang("et_EE")
        self.user_a.lang = "et_EE"
        self.authenticate("portal_a", "portal_a")
        page = self.url_open("/my/card").text
        self.assertIn(self.card_a.expiry_date.strftime("%d.%m.%Y"), page)

    def test_usable_vouchers_come_first_and_a_lapsed_one_is_not_offered(self):
        lapsed = self._issue_voucher(self.card_a, "PORTALL001")
        lapsed.valid_until = self.today - relativedelta(days=1)  # the nightly job has not marked it yet
        self.authenticate("portal_a", "portal_a")
        page = self.url_open("/my/card").text
        self.assertLess(page.index("PORTALV001"), page.index("PORTALU001"))
        self.assertLess(page.index("PORTALV001"), page.index("PORTALL001"))
        self.assertIn("value=PORTALV001", page, "the usable voucher's barcode")
        for not_usable in ("PORTALU001", "PORTALL001"):
            self.assertNotIn(f"value={not_usable}", page, "no barcode for a voucher that cannot be used")
