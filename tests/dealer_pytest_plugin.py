# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""pytest plugin of the Dealer Loyalty Suite test run.

Odoo skips a browser tour (HttpCase) when Chromium or websocket-client is
missing and still counts it as run. A tour that did not run proves nothing,
so this plugin refuses to start without them and reports any skipped
HttpCase test as a failure.
"""

import shutil

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def pytest_sessionstart(session):
    try:
        import websocket  # noqa: F401  (imported only to prove it is installed)
    except ImportError:
        pytest.exit("browser tours cannot run: install websocket-client", returncode=3)
    if not any(shutil.which(name) for name in BROWSERS):
        pytest.exit("browser tours cannot run: install Chromium", returncode=3)


def _is_http_case(item):
    from odoo.tests.common import HttpCase

    test_class = getattr(item, "cls", None)
    return bool(test_class) and issubclass(test_class, HttpCase)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _is_http_case(item):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"browser test was skipped, which counts as a failure: {reason}"
