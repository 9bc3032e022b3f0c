"""axe-core checks against WCAG 2.0, 2.1 and 2.2, levels A and AA: zero violations.

A page with violations fails its test, and the findings are also written to
test-results/axe/, which CI keeps with the Playwright traces when a run fails.

One exception, and only one: GOV.UK Frontend puts aria-expanded on radios and checkboxes
that reveal a follow-up question. ARIA doesn't list the attribute for those roles, so axe
reports it, but the Design System keeps it on purpose because screen readers announce it
(a documented known issue: https://github.com/alphagov/govuk-frontend/issues/979). Only
that exact finding, on those exact inputs, is set aside; anything else on them still fails.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE = Axe()
REPORTS = Path("test-results") / "axe"
CONDITIONAL_REVEAL = re.compile(
    r'^<input class="govuk-(radios|checkboxes)__input" [^>]*aria-controls="conditional-'
)
ARIA_EXPANDED = re.compile(r'^ARIA attribute is not allowed: aria-expanded="(true|false)"$')


def is_known_govuk_frontend_issue(rule: str, node: dict[str, Any]) -> bool:
    messages = [check["message"] for kind in ("any", "all", "none") for check in node[kind]]
    return (
        rule == "aria-allowed-attr"
        and bool(CONDITIONAL_REVEAL.match(node["html"]))
        and bool(messages)
        and all(ARIA_EXPANDED.match(message) for message in messages)
    )


def assert_accessible(page: Page) -> None:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = [
        {
            "rule": violation["id"],
            "help": violation["help"],
            "helpUrl": violation["helpUrl"],
            "nodes": [{"target": node["target"], "html": node["html"]} for node in nodes],
        }
        for violation in results.response["violations"]
        if (
            nodes := [
                node
                for node in violation["nodes"]
                if not is_known_govuk_frontend_issue(violation["id"], node)
            ]
        )
    ]
    if violations:
        report = f"axe found problems on {page.url}:\n{json.dumps(violations, indent=2)}\n"
        save_report(report)
        raise AssertionError(report)


def save_report(report: str) -> None:
    """Append to this test's report file, named after the test."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "unknown").rsplit(" ", 1)[0]
    REPORTS.mkdir(parents=True, exist_ok=True)
    with (REPORTS / f"{re.sub(r'[^A-Za-z0-9]+', '-', test).strip('-')}.txt").open("a") as file:
        file.write(report)
