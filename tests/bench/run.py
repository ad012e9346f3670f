# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run every benchmark of the repository against a database and print its figures.

Usage: python3 tests/bench/run.py ODOO_CONFIG DATABASE [BENCH_NAME ...]

Each module ``tests/bench/bench_*.py`` defines ``run(registry)``, which yields
``(name, value, unit)`` figures; they print as ``name: value unit``.
"""

import importlib
import pkgutil
import sys
from pathlib import Path

import odoo
from odoo.modules.registry import Registry


def main(argv):
    config_path, database, *selected = argv
    odoo.tools.config.parse_config(["-c", config_path, "-d", database, "--log-level=warn"])
    registry = Registry(database)
    here = Path(__file__).parent
    sys.path.insert(0, str(here))
    names = sorted(
        module.name for module in pkgutil.iter_modules([str(here)]) if module.name.startswith("bench_")
    )
    for name in names:
        if selected and name not in selected:
            continue
        module = importlib.import_module(name)
        for figure, value, unit in module.run(registry):
            print(f"{figure}: {value} {unit}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
