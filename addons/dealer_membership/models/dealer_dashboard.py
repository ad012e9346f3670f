# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class DealerDashboard(models.AbstractModel):
    _inherit = "dealer.dashboard"

    def _dealer_dashboard_sections(self, companies, today):
        sections = super()._dealer_dashboard_sections(companies, today)
        active = [("state", "=", "active"), ("company_id", "in", companies.ids)]
        # sudo: aggregates for the dashboard, whose group check decides who sees them.
        Card = self.env["dealer.membership.card"].sudo()
        [(members, points, qualifying)] = Card._read_group(
            active, [], ["__count", "reward_balance:sum", "qualifying_balance:sum"]
        )
        joined = Card.search_count(active + [("join_date", ">=", today.replace(day=1))])
        sections.append(
            {
                "key": "membership",
                "title": _("Membership"),
                "tiles": [
                    {
                        "label": _("Active members"),
                        "value": members,
                        "hint": _("%(count)s joined this month.", count=joined),
                        "action": self._dealer_action(
                            "dealer_membership.dealer_membership_card_action", _("Active Cards"), active
                        ),
                    },
                    {
                        "label": _("Points outstanding"),
                        "value": points or 0,
                        "hint": _(
                            "Reward points the members can still redeem: the dealership's liability. "
                            "Qualifying points: %(qualifying)s.",
                            qualifying=qualifying or 0,
                        ),
                        "action": self._dealer_action(
                            "dealer_membership.dealer_membership_card_action", _("Points Outstanding"), active
                        ),
                    },
                ],
            }
        )
        return sections
