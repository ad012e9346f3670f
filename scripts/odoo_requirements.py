# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Print the pins of Odoo's requirements.txt for this Python, one a line.

Usage: python odoo_requirements.py ODOO_SOURCE/requirements.txt

Odoo 18 pins two sets of versions. Those for Python < 3.12 are the versions
of Debian 12's and Ubuntu 22.04's packages, meant to come from those systems'
packages, and not all of them build from PyPI on a current system; those for
Python >= 3.12 are Ubuntu 24.04's, newer releases that also serve Python 3.10
and 3.11 (this project's CI runs Odoo 18 on Python 3.11 with them). So the
markers are evaluated as if the Python were at least 3.12; the others
(sys_platform...) as they are.
"""

import platform
import sys

try:
    from packaging.requirements import Requirement
except ImportError:  # a fresh virtual environment has pip's copy only
    from pip._vendor.packaging.requirements import Requirement

FLOOR = (3, 12)


def marker_environment():
    version = sys.version_info[:2]
    if version >= FLOOR:
        return {}
    return {
        "python_version": "{}.{}".format(*FLOOR),
        "python_full_version": "{}.{}.0".format(*FLOOR),
        "implementation_version": "{}.{}.0".format(*FLOOR),
    }


def pins(path):
    environment = marker_environment()
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        requirement.marker = None
        yield str(requirement)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(f"# Odoo's requirements for Python {platform.python_version()} (markers as for >= 3.12)")
    for pin in pins(sys.argv[1]):
        print(pin)
