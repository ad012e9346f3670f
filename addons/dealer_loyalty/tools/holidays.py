# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The days greetings are sent on: fixed dates and the movable feasts of the suite's markets."""

import calendar
from datetime import date

from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

from odoo import _
from odoo.exceptions import UserError

try:
    from lunardate import LunarDate
except ImportError:  # an image without the project's requirements.txt: the lunar feasts say so when used
    LunarDate = None

HOLIDAY_RULES = [
    ("fixed", "Same day every year"),
    ("easter", "Easter Sunday"),
    ("orthodox_easter", "Orthodox Easter Sunday"),
    ("chinese_new_year", "Chinese New Year (Spring Festival)"),
    ("mid_autumn", "Mid-Autumn Festival"),
    ("last_sunday_october", "Last Sunday of October (Motorist Day)"),
]


def _last_sunday(year, month):
    last = date(year, month, calendar.monthrange(year, month)[1])
    return date.fromordinal(last.toordinal() - (last.weekday() + 1) % 7)


def holiday_date(rule, year, month=None, day=None):
    """The day of ``year`` a greeting of ``rule`` is due; ``month``/``day`` for fixed ones.

    29 February falls on 28 February in other years. Lunar feasts come from
    the Chinese calendar (the lunar new year, the 15th of the 8th month).
    """
    if rule == "fixed":
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))
    if rule == "easter":
        return easter(year, EASTER_WESTERN)
    if rule == "orthodox_easter":
        return easter(year, EASTER_ORTHODOX)
    if rule in ("chinese_new_year", "mid_autumn") and LunarDate is None:
        raise UserError(
            _("The lunar feasts need the Python package lunardate: install the project's requirements.txt.")
        )
    if rule == "chinese_new_year":
        return LunarDate(year, 1, 1).to_solar_date()
    if rule == "mid_autumn":
        return LunarDate(year, 8, 15).to_solar_date()
    if rule == "last_sunday_october":
        return _last_sunday(year, 10)
    raise ValueError(f"unknown holiday rule {rule!r}")
