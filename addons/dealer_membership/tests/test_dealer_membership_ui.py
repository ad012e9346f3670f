# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_app_opens_from_home_menu(self):
        self.start_tour("/odoo", "dealer_membership_app_tour", login="admin")

    def test_join_print_and_redeem(self):
        self.env["res.partner"].create({"name": "Tour New Member", "dealer_segment": "active"})
        rich = self.env["res.partner"].create({"name": "Tour Rich Member", "dealer_segment": "active"})
        card = self.env["dealer.membership.card"].create(
            {
                "partner_id": rich.id,
                "level_id": self.env.ref("dealer_membership.dealer_membership_level_gold").id,
            }
        )
        card.action_activate()
        self.env["dealer.points.move"]._dealer_insert_moves(
            [
                {
                    "card_id": card.id,
                    "ledger": "reward",
                    "points": 500,
                    "origin": "adjustment",
                    "reason": "Tour",
                }
            ]
        )
        self.start_tour("/odoo", "dealer_membership_card_tour", login="admin")
        new_card = self.env["dealer.membership.card"].search([("partner_id.name", "=", "Tour New Member")])
        self.assertEqual((new_card.state, new_card.level_id.name), ("active", "Silver"))
        self.assertEqual(new_card.event_ids.event_type, "join")
        self.assertEqual(card.reward_balance, 200)
        self.assertEqual(card.move_ids.filtered(lambda move: move.origin == "redemption").points, -300)

    def test_card_and_statement_render_as_pdf(self):
        partner = self.env["res.partner"].create(
            {"name": "Print Member", "street": "Pikk 1", "city": "Tallinn", "dealer_segment": "active"}
        )
        card = self.env["dealer.membership.card"].create(
            {
                "partner_id": partner.id,
                "level_id": self.env.ref("dealer_membership.dealer_membership_level_silver").id,
            }
        )
        card.action_activate()
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for report in ("action_report_dealer_membership_card", "action_report_dealer_points_statement"):
            pdf, kind = Report._render_qweb_pdf(f"dealer_membership.{report}", card.ids)
            self.assertEqual(kind, "pdf")
            self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 1, report)
        statement = (
            self.env["dealer.points.statement"]
            .with_context(active_model="dealer.membership.card", active_id=card.id)
            .create({"date_from": "2026-01-01", "date_to": "2026-06-30"})
        )
        action = statement.action_print()
        self.assertEqual(
            action["data"], {"card_ids": card.ids, "date_from": "2026-01-01", "date_to": "2026-06-30"}
        )
        html = Report._render_qweb_html(
            "dealer_membership.action_report_dealer_points_statement", card.ids, data=action["data"]
        )[0]
        self.assertIn("06/30/2026", html.decode())

    def test_typing_a_card_number_opens_the_card(self):
        partner = self.env["res.partner"].create({"name": "Scan Member", "dealer_segment": "active"})
        self.env["dealer.membership.card"].create(
            {
                "name": "TOURSCAN1",
                "partner_id": partner.id,
                "level_id": self.env.ref("dealer_membership.dealer_membership_level_silver").id,
            }
        ).action_activate()
        self.start_tour("/odoo", "dealer_membership_scan_tour", login="admin")
