# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DealerLoyaltyCase


@tagged("post_install", "-at_install")
class TestAccess(DealerLoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Motors"})
        cls.advisor = new_test_user(
            cls.env,
            login="dealer_advisor",
            groups="dealer_loyalty.dealer_loyalty_group_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.outsider = new_test_user(cls.env, login="dealer_outsider", groups="base.group_user")
        cls.visit_here = cls.make_visit(date(2026, 3, 1), odometer=1000)
        other_customer = cls.env["res.partner"].create(
            {"name": "Elsewhere", "company_id": cls.other_company.id}
        )
        cls.visit_elsewhere = cls.env["dealer.visit"].create(
            {
                "partner_id": other_customer.id,
                "company_id": cls.other_company.id,
                "date": date(2026, 3, 2),
                "state": "done",
                "line_ids": [(0, 0, {"name": "Service", "amount": 90.0})],
            }
        )

    def test_advisor_sees_only_own_company_visits_and_lines(self):
        visits = self.env["dealer.visit"].with_user(self.advisor).search([])
        self.assertIn(self.visit_here, visits)
        self.assertNotIn(self.visit_elsewhere, visits)
        lines = self.env["dealer.visit.line"].with_user(self.advisor).search([])
        self.assertNotIn(self.visit_elsewhere.line_ids, lines)

    def test_advisor_cannot_delete_visits(self):
        draft = self.make_visit(date(2026, 4, 1), state="draft")
        with self.assertRaises(AccessError):
            draft.with_user(self.advisor).unlink()

    def test_employee_without_dealer_group_cannot_read_visits(self):
        with self.assertRaises(AccessError):
            self.env["dealer.visit"].with_user(self.outsider).search([])

    def _program_with_reminder(self, company, partner):
        program = self.env["dealer.loyalty.program"].create(
            {
                "name": f"Calls {company.name}",
                "program_type": "insurance",
                "company_id": company.id,
                "user_id": False,
            }
        )
        reminder = self.env["dealer.loyalty.reminder"].create(
            {
                "program_id": program.id,
                "company_id": company.id,
                "partner_id": partner.id,
                "due_date": date(2026, 5, 5),
                "scheduled_date": date(2026, 5, 1),
                "channel": "phone",
            }
        )
        return program, reminder

    def test_advisor_works_reminders_but_does_not_configure_programs(self):
        program, reminder = self._program_with_reminder(self.company, self.customer)
        reminder._dealer_open_calls(date(2026, 5, 1))
        as_advisor = reminder.with_user(self.advisor)
        as_advisor.action_call_reached()
        self.assertEqual(reminder.state, "done")
        with self.assertRaises(AccessError):
            program.with_user(self.advisor).write({"lead_days": 3})
        with self.assertRaises(AccessError):
            self.env["dealer.loyalty.program"].with_user(self.advisor).create(
                {"name": "Mine", "program_type": "birthday"}
            )
        with self.assertRaises(AccessError):
            as_advisor.unlink()

    def test_reminders_and_programs_stay_in_their_company(self):
        elsewhere = self.visit_elsewhere.partner_id
        program, reminder = self._program_with_reminder(self.other_company, elsewhere)
        self.assertNotIn(reminder, self.env["dealer.loyalty.reminder"].with_user(self.advisor).search([]))
        self.assertNotIn(program, self.env["dealer.loyalty.program"].with_user(self.advisor).search([]))
