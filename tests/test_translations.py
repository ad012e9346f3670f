# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The translations are kept true: each addon's template matches its code,
and every shipped language translates every term of it.

`make pot` rewrites the templates from the test database; this test fails
when one is stale or a language lacks a term, so CI catches both.
"""

import io
import pathlib
import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

ADDONS = pathlib.Path(__file__).resolve().parents[1] / "addons"
MODULES = ["dealer_loyalty", "dealer_membership", "dealer_csi"]
LANGUAGES = ["et", "ru", "zh_CN"]
PLACEHOLDERS = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\{.*?\}\}")


def _terms(entries):
    return {(entry.msgctxt, entry.msgid) for entry in entries if not entry.obsolete and entry.msgid}


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def _current_terms(self, module):
        buffer = io.BytesIO()
        trans_export(None, [module], buffer, "po", self.env.cr)
        return _terms(polib.pofile(buffer.getvalue().decode()))

    def test_every_python_file_gives_its_terms(self):
        """Odoo extracts terms with babel, which drops a whole file whose _() arguments it cannot read."""
        from babel.messages import extract  # noqa: PLC0415 - babel ships with Odoo; only this test needs it

        for path in sorted(ADDONS.glob("dealer_*/**/*.py")):
            with self.subTest(path=str(path.relative_to(ADDONS))), path.open("rb") as source:
                list(extract.extract("python", source, keywords={"_": None, "_lt": None}))

    def test_templates_match_the_code(self):
        for module in MODULES:
            with self.subTest(module=module):
                shipped = _terms(polib.pofile(str(ADDONS / module / "i18n" / f"{module}.pot")))
                current = self._current_terms(module)
                self.assertFalse(
                    sorted(msgid for __, msgid in current - shipped)[:5],
                    f"{module}.pot lacks terms of the code: run `make pot`",
                )
                self.assertFalse(
                    sorted(msgid for __, msgid in shipped - current)[:5],
                    f"{module}.pot has terms the code no longer has: run `make pot`",
                )

    def test_every_language_translates_every_term(self):
        for module in MODULES:
            template = polib.pofile(str(ADDONS / module / "i18n" / f"{module}.pot"))
            for lang in LANGUAGES:
                with self.subTest(module=module, lang=lang):
                    path = ADDONS / module / "i18n" / f"{lang}.po"
                    self.assertTrue(path.exists(), f"{module} has no {lang}.po")
                    po = polib.pofile(str(path))
                    translated = {
                        (entry.msgctxt, entry.msgid): entry.msgstr
                        for entry in po
                        if entry.msgstr and "fuzzy" not in entry.flags
                    }
                    missing = _terms(template) - translated.keys()
                    self.assertFalse(
                        sorted(msgid[:60] for __, msgid in missing)[:5], f"{module}/{lang}.po lacks terms"
                    )
                    broken = [
                        msgid[:60]
                        for (__, msgid), msgstr in translated.items()
                        if sorted(PLACEHOLDERS.findall(msgid)) != sorted(PLACEHOLDERS.findall(msgstr))
                    ]
                    self.assertFalse(broken[:5], f"{module}/{lang}.po changes placeholders")
