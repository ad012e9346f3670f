# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import tagged

from .test_reminder_processing import ProcessingCase

# (language, a word the insurance e-mail has in it, the due date as that language writes it)
LANGUAGES = [
    ("ru_RU", "Здравствуйте", "01.03.2027"),
    ("et_EE", "Lugupeetud", "01.03.2027"),
    ("zh_CN", "尊敬的", "2027年03月01日"),
]


@tagged("post_install", "-at_install")
class TestCustomerLanguage(ProcessingCase):
    """What a Russian, an Estonian and a Chinese customer read: their language, their date format."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang, __, __ in LANGUAGES:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["dealer_loyalty"], [lang for lang, __, __ in LANGUAGES], overwrite=True
        )
        cls.vehicle.dealer_insurance_due = date(2027, 3, 1)
        cls.program = cls.standard_program("insurance")

    def _reminder(self):
        self.program._dealer_generate_reminders(today=date(2027, 2, 25))
        return self.mine(self.program)

    def test_email_sms_and_letter_in_the_customers_language(self):
        reminder = self._reminder()
        for lang, greeting, due in LANGUAGES:
            with self.subTest(lang=lang):
                self.customer.lang = lang
                template = self.program.mail_template_id
                body = template._render_field("body_html", reminder.ids, compute_lang=True)[reminder.id]
                self.assertIn(greeting, body)
                self.assertNotIn("Dear ", body)
                subject = template._render_field("subject", reminder.ids, compute_lang=True)[reminder.id]
                self.assertNotIn("renewal", subject.lower())
                sms = self.program.sms_template_id._render_field("body", reminder.ids, compute_lang=True)[
                    reminder.id
                ]
                self.assertIn(due, sms)
                self.assertNotIn("renews on", sms)
                letter = (
                    self.env["ir.actions.report"]
                    ._render_qweb_html("dealer_loyalty.action_report_dealer_reminder_letter", reminder.ids)[0]
                    .decode()
                )
                self.assertIn(greeting, letter)
                self.assertIn(due, letter)
                self.assertNotIn("Dear ", letter)
                self.assertIn(self.program.with_context(lang=lang).name, letter)
                self.assertNotIn("Insurance renewal", letter)
