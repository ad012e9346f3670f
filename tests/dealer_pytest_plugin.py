# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""pytest plugin of the Dealer Loyalty Suite test run.

Odoo skips a browser tour (HttpCase) when Chromium or websocket-client is
missing and still counts it as run. A tour that did not run proves nothing,
so this plugin refuses to start without them and reports any skipped
HttpCase test as a failure.

Odoo also skips a tour when Chromium is slow to start (10 s for its
debugging port, 3 s for its first answer): on a loaded two-core machine the
first start of the run, with a cold disk cache, can take longer. The plugin
starts Chromium once before the tests and gives Odoo's wait 30 s, so that a
slow machine is not reported as a failed tour.
"""

import shutil
import subprocess
import tempfile

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def pytest_sessionstart(session):
    try:
        import websocket  # noqa: F401  (imported only to prove it is installed)
    except ImportError:
        pytest.exit("browser tours cannot run: install websocket-client", returncode=3)
    browser = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if not browser:
        pytest.exit("browser tours cannot run: install Chromium", returncode=3)
    _warm_up(browser)
    from odoo.tests import common

    common.CHECK_BROWSER_ITERATIONS = max(common.CHECK_BROWSER_ITERATIONS, 300)
    common.BROWSER_WAIT = common.CHECK_BROWSER_SLEEP * common.CHECK_BROWSER_ITERATIONS
    json_command = common.ChromeBrowser._json_command

    def patient_json_command(self, command, timeout=3):
        return json_command(self, command, timeout=max(timeout, 30))

    common.ChromeBrowser._json_command = patient_json_command


def _warm_up(browser):
    """Start Chromium once on a blank page, so that the first tour meets it in the disk cache."""
    with tempfile.TemporaryDirectory() as profile:
        try:
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--user-data-dir={profile}",
                    "--dump-dom",
                    "about:blank",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=120,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pass  # the tours will say what is wrong with this browser


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
