# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The people of the generated dealerships (demo data and benchmarks): names, languages, genders.

Pure functions, no database: customer ``number`` of a seed is always the same person.
"""

import functools
import random
import unicodedata

# The people of a Tallinn dealership: Estonians, Russian speakers and a few Chinese
# customers, each with a first name of their gender. Estonian family names are
# the same for women and men; Russian ones take the feminine form.
ESTONIAN_MEN = [
    "Mart", "Jaan", "Toomas", "Andres", "Rein", "Mihkel", "Priit", "Tõnu", "Margus", "Urmas",
    "Indrek", "Rasmus", "Kristjan", "Siim", "Lauri", "Ott", "Taavi", "Jüri", "Peeter", "Aivar",
]  # fmt: skip
ESTONIAN_WOMEN = [
    "Kadri", "Liis", "Katrin", "Piret", "Mari", "Tiina", "Kersti", "Triin", "Kristiina", "Maarja",
    "Helen", "Merike", "Anu", "Eve", "Laura", "Kätlin", "Pille", "Sirje", "Reet", "Ülle",
]  # fmt: skip
ESTONIAN_FAMILY_NAMES = [
    "Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel", "Lepik", "Mets",
    "Vaher", "Luik", "Raud", "Kuusk", "Lill", "Karu", "Oja", "Põder", "Kallas", "Teder", "Org", "Paju", "Kivi",
]  # fmt: skip
RUSSIAN_MEN = [
    "Sergei", "Dmitri", "Aleksandr", "Andrei", "Vladimir", "Igor", "Nikolai", "Pavel",
    "Mihhail", "Aleksei", "Viktor", "Juri", "Roman", "Maksim", "Konstantin",
]  # fmt: skip
RUSSIAN_WOMEN = [
    "Olga", "Tatjana", "Jelena", "Natalja", "Irina", "Svetlana", "Marina", "Julia",
    "Anastassia", "Ljudmila", "Galina", "Jekaterina", "Valentina", "Oksana", "Ksenia",
]  # fmt: skip
# Masculine forms; the feminine adds an "a" (Ivanov, Ivanova).
RUSSIAN_FAMILY_NAMES = [
    "Ivanov", "Smirnov", "Petrov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov",
    "Novikov", "Morozov", "Volkov", "Orlov", "Vassiljev", "Fjodorov", "Jegorov",
]  # fmt: skip
CHINESE_MEN = ["Wei", "Jun", "Hao", "Lei", "Qiang"]
CHINESE_WOMEN = ["Na", "Fang", "Min", "Jing", "Xiu"]
CHINESE_FAMILY_NAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang"]
# (first names, family names, feminine family names, family name first, language, gender)
NAME_GROUPS = {
    "et_male": (ESTONIAN_MEN, ESTONIAN_FAMILY_NAMES, False, False, "et_EE", "male"),
    "et_female": (ESTONIAN_WOMEN, ESTONIAN_FAMILY_NAMES, False, False, "et_EE", "female"),
    "ru_male": (RUSSIAN_MEN, RUSSIAN_FAMILY_NAMES, False, False, "ru_RU", "male"),
    "ru_female": (RUSSIAN_WOMEN, RUSSIAN_FAMILY_NAMES, True, False, "ru_RU", "female"),
    "zh_male": (CHINESE_MEN, CHINESE_FAMILY_NAMES, False, True, "zh_CN", "male"),
    "zh_female": (CHINESE_WOMEN, CHINESE_FAMILY_NAMES, False, True, "zh_CN", "female"),
}
# Who the next customer is, repeating: about 55 % Estonian, 35 % Russian speaking, 10 % Chinese.
NAME_PATTERN = [
    "et_male", "et_female", "ru_male", "et_female", "et_male", "ru_female", "et_male", "et_female",
    "ru_male", "ru_female", "et_male", "et_female", "zh_male", "et_female", "ru_female", "et_male",
    "ru_male", "et_female", "ru_female", "zh_female",
]  # fmt: skip
# Names the tests give their own customers: the demo leaves them to the tests.
RESERVED_NAMES = {"Jaan Tamm", "Kadri Kask", "Piret Pärn", "Olga Petrova", "Mari Maasikas", "Ivan Ivanov"}


@functools.lru_cache(maxsize=64)
def _shuffled_names(group, seed):
    """The first and family names of a group, each in an order of its own."""
    firsts, families, feminine, _family_first, _lang, _gender = NAME_GROUPS[group]
    rng = random.Random(f"{group}-{seed}")
    firsts = rng.sample(firsts, len(firsts))
    families = rng.sample([f"{family}a" if feminine else family for family in families], len(families))
    return firsts, families


def demo_person(number, seed):
    """The customer ``number`` of a generated dealership: ``(name, first, family, cycle, group)``.

    Customers take the groups of NAME_PATTERN in turn and, within their group,
    the next first name and the next family name, so that names repeat only
    after every combination of the group was used (``cycle`` counts the rounds).
    """
    position = number % len(NAME_PATTERN)
    group = NAME_PATTERN[position]
    rank = number // len(NAME_PATTERN) * NAME_PATTERN.count(group) + NAME_PATTERN[:position].count(group)
    firsts, families = _shuffled_names(group, seed)
    cycle, rank = divmod(rank, len(firsts) * len(families))
    turn, first_index = divmod(rank, len(firsts))
    # Every (first, family) pair once per cycle: the family moves on by one each round of first names.
    family_index = (first_index + turn) % len(families)
    name = _full_name(group, firsts[first_index], families[family_index])
    if name in RESERVED_NAMES:
        # Another family name; a cycle of its own keeps the e-mail address apart from its namesake's.
        family_index = (family_index + 1) % len(families)
        name = _full_name(group, firsts[first_index], families[family_index])
        cycle += 1000
    return name, firsts[first_index], families[family_index], cycle, group


def _full_name(group, first, family):
    return f"{family} {first}" if NAME_GROUPS[group][3] else f"{first} {family}"


def ascii_name(text):
    """Lower-case ASCII for an e-mail address: "Tõnu.Mägi" -> "tonu.magi"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
