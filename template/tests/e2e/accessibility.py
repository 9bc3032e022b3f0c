"""axe-core checks against WCAG 2.0, 2.1 and 2.2, levels A and AA: zero violations.

A page with violations fails its test, and axe's report is also written to
test-results/axe/, which CI keeps with the Playwright traces when a run fails.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE = Axe()
REPORTS = Path("test-results") / "axe"


def assert_accessible(page: Page) -> None:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        report = f"{page.url}\n\n{results.generate_report()}\n"
        save_report(report)
        raise AssertionError(report)


def save_report(report: str) -> None:
    """Append to this test's report file, named after the test."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "unknown").rsplit(" ", 1)[0]
    REPORTS.mkdir(parents=True, exist_ok=True)
    with (REPORTS / f"{re.sub(r'[^A-Za-z0-9]+', '-', test).strip('-')}.txt").open("a") as file:
        file.write(report)
