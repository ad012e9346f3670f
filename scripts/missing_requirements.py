# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Exit 1 when a requirement of the given requirements file is not installed."""

import sys
from importlib import metadata

try:
    from packaging.requirements import Requirement
except ImportError:
    try:  # a fresh virtual environment has pip's copy only
        from pip._vendor.packaging.requirements import Requirement
    except ImportError:  # without packaging we cannot tell: let pip decide
        sys.exit(1)


def missing(path):
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            yield line
            continue
        if requirement.specifier and version not in requirement.specifier:
            yield line


if __name__ == "__main__":
    absent = list(missing(sys.argv[1]))
    for line in absent:
        print(f"missing: {line}")
    sys.exit(1 if absent else 0)
