#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# `docker compose run --rm test`: runs `make test` (scripts/test.sh) inside
# the official odoo:18 image, as root, against the compose PostgreSQL named
# by the PG* variables. pytest options go in PYTEST_ARGS, as with make test:
#   PYTEST_ARGS="-k segment" docker compose run --rm test
set -euo pipefail

# The image is Ubuntu 24.04, whose chromium packages are only stubs for the
# snap, which cannot run in a container: use Google's own package.
if ! command -v google-chrome >/dev/null; then
    if [[ $(dpkg --print-architecture) != amd64 ]]; then
        echo "error: Google Chrome is only published for amd64" >&2
        exit 1
    fi
    curl -fsSL -o /tmp/chrome.deb \
        https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/chrome.deb >/dev/null
    rm -f /tmp/chrome.deb
fi
google-chrome --version

# The checkout is mounted read-only: work on a copy, so that nothing root-owned
# lands in it and the host's own .run/ (private cluster, filestore) is left alone.
mkdir -p /srv/repo
tar -C /mnt/repo --exclude=./.git --exclude=./.run -cf - . | tar -C /srv/repo -xf -
exec bash /srv/repo/scripts/test.sh
