"""Each gate fails when what it guards is broken, and says what broke.

A copy of a rendered service is broken the way a team might break it; the gate's nox
session must exit non-zero and name the problem, so a red CI job explains itself.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import ANSWER_SETS, output_of, render, replace_in, run

pytestmark = pytest.mark.slow

PACKAGE = "apply_for_a_juggling_licence"
EVERY_OPTION = "beta-custom-names-py313"  # One Login, GOV.UK Pay, Notify and Welsh
EVERY_OPTION_PACKAGE = ANSWER_SETS[EVERY_OPTION]["package_name"]
CI = ".github/workflows/ci.yml"
DEPLOY = ".github/workflows/deploy.yml"
UNLABELLED_INPUT = '<input class="govuk-input" type="text" name="q">'


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default service, rendered once; each test breaks a copy of its own."""
    return render(tmp_path_factory.mktemp("rendered") / "service")


@pytest.fixture(scope="module")
def rendered_with_every_option(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("every-option") / "service", ANSWER_SETS[EVERY_OPTION])


# The hand-written checks that redirect targets went through before local_url (v0.4.0):
# each passes "/<tab>/evil.example/", which a browser reads as //evil.example/.
OLD_COOKIE_BANNER_CHECK = """

def _local_path(path: str | None) -> str:
    if path and path.startswith("/") and not path.startswith(("//", "/\\\\")):
        return path
    return url_for("pages.start")
"""
OLD_SIGN_IN_CHECK = """

def local_path(value: str | None) -> str | None:
    if value and value.startswith("/") and not value.startswith("//") and "\\\\" not in value:
        return value
    return None
"""


def old_cookie_banner_check(project: Path) -> None:
    cookies = project / "src" / PACKAGE / "cookies" / "__init__.py"
    replace_in(
        cookies,
        'redirect(local_url(form.next.data, fallback=url_for("pages.start")))',
        "redirect(_local_path(form.next.data))",
    )
    cookies.write_text(cookies.read_text() + OLD_COOKIE_BANNER_CHECK)


def old_sign_in_check(project: Path) -> None:
    one_login = project / "src" / EVERY_OPTION_PACKAGE / "one_login" / "__init__.py"
    replace_in(
        one_login,
        'local_url(request.args.get("next"), fallback="")',
        'local_path(request.args.get("next"))',
    )
    replace_in(
        one_login,
        'redirect(local_url(pending.get("next"), fallback=url_for("pages.start")))',
        'redirect(pending.get("next") or url_for("pages.start"))',
    )
    one_login.write_text(one_login.read_text() + OLD_SIGN_IN_CHECK)


def unused_import(project: Path) -> None:
    replace_in(
        project / "src" / PACKAGE / "pages" / "__init__.py",
        "from flask import Blueprint",
        "import os\nfrom flask import Blueprint",
        count=1,
    )


def unlabelled_input(project: Path) -> None:
    # A text box with no label: axe's "label" rule (WCAG 1.3.1, 4.1.2).
    start = project / "src" / PACKAGE / "pages" / "templates" / "pages" / "start.html"
    replace_in(start, "</h1>", f"</h1>\n  {UNLABELLED_INPUT}", count=1)


def root_container(project: Path) -> None:
    replace_in(project / "Dockerfile", "USER 10001:10001", "USER root", count=1)


def privilege_escalation_allowed(project: Path) -> None:
    deployment = project / "deploy" / "base" / "deployment.yaml"
    replace_in(
        deployment,
        "allowPrivilegeEscalation: false",
        "allowPrivilegeEscalation: true",
        count=1,
    )


def misspelt_field(project: Path) -> None:
    replace_in(
        project / "deploy" / "base" / "deployment.yaml",
        "revisionHistoryLimit:",
        "revisionHistoryLimt:",
        count=1,
    )


def unpinned_action_with_every_permission(project: Path) -> None:
    # In deploy.yml's image job: actionlint accepts both, zizmor must not.
    workflow = project / DEPLOY
    text = workflow.read_text()
    image_job = r"    permissions:\n      contents: read\n      packages: write[^\n]*"
    text, replaced = re.subn(image_job, "    permissions: write-all", text, count=1)
    assert replaced == 1
    pinned = r"actions/checkout@[0-9a-f]{40} # v[\d.]+"
    workflow.write_text(re.sub(pinned, "actions/checkout@v5", text, count=1))


def dashboard_reads_a_metric_nobody_serves(project: Path) -> None:
    dashboard = project / "deploy" / "monitoring" / "dashboard.json"
    replace_in(dashboard, "max by (queue) (queue_length", "max by (queue) (queue_size", count=1)


def unknown_workflow_key(project: Path) -> None:
    replace_in(project / CI, "    timeout-minutes: 15", "    timeout-minutez: 15", count=1)


# How to break a service, the nox session and its arguments, what the failure names.
Breaking = tuple[Callable[[Path], None], list[str], list[str]]
# The hostile-input tests that try a redirect target (the gate runs them all).
HOSTILE_GATE = ["tests", "--", "--no-cov", "-k", "every_form or hostile_link"]
BREAKAGES: dict[str, Breaking] = {
    "lint-ruff": (unused_import, ["lint"], ["F401", "`os` imported but unused"]),
    "e2e-axe": (
        unlabelled_input,
        ["e2e", "--", "-k", "test_page_is_accessible"],
        ["test_page_is_accessible", '"rule": "label"', json.dumps(UNLABELLED_INPUT)],
    ),
    "docker-lint-root": (root_container, ["docker-lint"], ["DL3002", "root"]),
    "manifests-policy": (
        privilege_escalation_allowed,
        ["manifests"],
        ["CKV_K8S_20", "allowPrivilegeEscalation"],
    ),
    "manifests-schema": (misspelt_field, ["manifests"], ["revisionHistoryLimt"]),
    "manifests-monitoring": (
        dashboard_reads_a_metric_nobody_serves,
        ["manifests"],
        ["dashboard.json: Queues reads metrics the service does not serve: {'queue_size'}"],
    ),
    "workflows-zizmor": (
        unpinned_action_with_every_permission,
        ["workflows"],
        ["unpinned-uses", "excessive-permissions"],
    ),
    "workflows-actionlint": (unknown_workflow_key, ["workflows"], ["timeout-minutez"]),
    "tests-hostile-cookie-banner": (
        old_cookie_banner_check,
        HOSTILE_GATE,
        ["test_every_form_takes_one_hostile_field_at_a_time", "redirected off the service"],
    ),
}
# Breakages of a service with every option.
EVERY_OPTION_BREAKAGES: dict[str, Breaking] = {
    "tests-hostile-sign-in": (
        old_sign_in_check,
        HOSTILE_GATE,
        ["test_signing_in_from_a_hostile_link_lands_on_this_service[tab between slashes]"],
    ),
}


def break_and_run_the_gate(rendered: Path, tmp_path: Path, breaking: Breaking) -> Path:
    """Break a copy of `rendered`; the gate must fail and name the problem."""
    breakage, session, expected = breaking
    project = shutil.copytree(rendered, tmp_path / "service", symlinks=True)
    breakage(project)

    result = run(["uv", "run", "--locked", "nox", "-s", *session], project)

    assert result.returncode != 0, output_of(result)
    output = result.stdout + result.stderr
    for problem in expected:
        assert problem in output, output_of(result)
    return project


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_gate_fails_and_names_the_problem(rendered: Path, tmp_path: Path, name: str) -> None:
    project = break_and_run_the_gate(rendered, tmp_path, BREAKAGES[name])

    if name == "e2e-axe":
        reports = list((project / "test-results" / "axe").glob("*.txt"))
        assert reports, "axe's report is kept for CI to upload"
        assert json.dumps(UNLABELLED_INPUT) in reports[0].read_text()


@pytest.mark.parametrize("name", list(EVERY_OPTION_BREAKAGES))
def test_gate_fails_and_names_the_problem_with_every_option(
    rendered_with_every_option: Path, tmp_path: Path, name: str
) -> None:
    break_and_run_the_gate(rendered_with_every_option, tmp_path, EVERY_OPTION_BREAKAGES[name])
