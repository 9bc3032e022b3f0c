"""Rendering the template and running what it renders, shared by the tests."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from copier import run_copy
from jinja2 import Environment

from gov_service_template.environment import git_identity, rendered_project_env

ROOT = Path(__file__).resolve().parents[1]

# Answer sets that change what a service looks like or runs on. Each is rendered and
# its own gates run (test_generated_gates.py); the names appear in failing test ids.
ANSWER_SETS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "standalone-live-py312": {
        "service_name": "Register a child’s school & nursery place",
        "organisation": "Office for Schools’ & Nurseries’ Records",
        "on_govuk": False,
        "phase": "live",
        "python_version": "3.12",
    },
    "beta-custom-names-py313": {
        "service_name": "Check your fishing rod permit",
        "service_slug": "rod-permits",
        "package_name": "rod_permit_service",
        "contact_email": "rod-permits@fisheries.example.gov.uk",
        "phase": "beta",
        "python_version": "3.13",
        "auth": "one_login",
        "payments": "govuk_pay",
        "welsh": True,
        "service_name_cy": "Gwirio’ch trwydded gwialen bysgota & “Rhwyd”",
        "organisation_cy": "Asiantaeth Pysgodfeydd <Cymru>",
    },
}

# Answer sets for what ANSWER_SETS leaves at its defaults (the database, the deploy target,
# the fee without One Login). Their gates run too; the other tests render ANSWER_SETS.
DEPLOY_ANSWER_SETS: dict[str, dict[str, Any]] = {
    "postgresql-kubernetes-pay": {
        "database": "postgresql",
        "use_notify": True,
        "payments": "govuk_pay",
    },
    "no-deploy-target-pay": {"deploy_target": "none", "use_notify": False, "payments": "govuk_pay"},
}
GATED_ANSWER_SETS = ANSWER_SETS | DEPLOY_ANSWER_SETS
# The gates test_own_journey.py runs on a journey a team made its own. The standalone
# service's lint, types, unit tests (with their coverage floor), hostile-input gate and
# browser run there, not again on the example (test_generated_gates.py runs its one other
# gate, docker-lint). With Welsh and other names, what the journey touches: lint (every
# string in the catalogue) and the tests the declarations drive, in both languages;
# types and the browser walks do not change with the language.
JOURNEY_GATES: dict[str, list[str]] = {
    "standalone-live-py312": ["lint", "typecheck", "tests", "e2e"],
    "beta-custom-names-py313": ["lint", "tests", "--", "-k", "journey", "--no-cov"],
}

# Answers every release since v0.1.0 accepts: services made at each, then updated
# (test_update_paths.py).
UPDATE_ANSWER_SETS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "standalone-live": {
        "service_name": "Register a child’s school & nursery place",
        "organisation": "Office for Schools’ & Nurseries’ Records",
        "on_govuk": False,
        "phase": "live",
        "python_version": "3.12",
        "use_notify": False,
        "deploy_target": "none",
    },
    "postgresql-custom-names": {
        "service_name": "Check your fishing rod permit",
        "service_slug": "rod-permits",
        "package_name": "rod_permit_service",
        "phase": "beta",
        "database": "postgresql",
    },
}

GIT_IDENTITY = git_identity("Template Tests", "template-tests@example.gov.uk")
# The first commit the service's own `nox -s setup` makes.
FIRST_COMMIT = "Create service from Gov Service Template"


def render(
    destination: Path,
    answers: Mapping[str, Any] | None = None,
    *,
    source: Path = ROOT,
    vcs_ref: str = "HEAD",
    set_up: bool = True,
) -> Path:
    """`copier copy --defaults` without --trust, as a service team runs it.

    set_up then does what the service's first nox session does (`nox -s setup`): write
    uv.lock and make the first commit. It is done here directly, because releases before
    v0.3.0 have no setup session; tests/test_setup.py runs the real one. set_up=False
    leaves both out, for tests that only read files.
    """
    run_copy(
        str(source),
        destination,
        data=dict(answers or {}),
        defaults=True,
        vcs_ref=vcs_ref,
        quiet=True,
        # Releases before v0.3.0 had copy-time tasks; skipping them needs no trust.
        skip_tasks=True,
    )
    if set_up:
        lock = run(["uv", "lock", "--quiet", "--offline"], destination)
        if lock.returncode != 0:
            lock = run(["uv", "lock", "--quiet"], destination)
        assert lock.returncode == 0, output_of(lock)
        for step in (
            ["git", "init", "--quiet", "--initial-branch=main"],
            ["git", "add", "--all"],
            ["git", "commit", "--quiet", "--no-verify", "-m", FIRST_COMMIT],
        ):
            done = run(step, destination)
            assert done.returncode == 0, output_of(done)
    return destination


def project_env(**extra: str) -> dict[str, str]:
    return rendered_project_env(GIT_IDENTITY, **inner_workers(), **extra)


def inner_workers() -> dict[str, str]:
    """A rendered service runs its tests with `-n auto`, one process per core. Under this
    suite's own workers (one per core already), one each: a second set of processes per
    service would only contend for the same cores, and each repeats the set-up."""
    if "PYTEST_XDIST_WORKER" in os.environ:
        return {"PYTEST_XDIST_AUTO_NUM_WORKERS": "1"}
    return {}


def run(
    command: Sequence[str | Path], cwd: Path, *, timeout: float = 900, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run a command in a rendered project; the result carries its whole output."""
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=project_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def output_of(result: subprocess.CompletedProcess[str]) -> str:
    return f"$ {' '.join(result.args)}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def answers_file(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return answers


def default_answers(root: Path = ROOT) -> dict[str, Any]:
    questions = yaml.safe_load((root / "copier.yml").read_text())
    return {
        name: question.get("default")
        for name, question in questions.items()
        if isinstance(question, dict) and not name.startswith("_")
    }


def template_source(
    root: Path, service_path: str, answers: Mapping[str, Any] | None = None
) -> Path:
    """The file under root/template that renders to service_path, where {package} stands
    for the package's folder, in a service made with `answers` (the defaults otherwise):
    the file itself, the .jinja it is rendered from, or the one named by a condition
    those answers meet (`[% if not welsh %]start.html[% endif %]`)."""
    plain = root / "template" / service_path.format(package="[=package_name=]")
    for candidate in (plain.with_name(plain.name + ".jinja"), plain):
        if candidate.exists():
            return candidate
    named = re.compile(r"\[% if (.+?) %\]" + re.escape(plain.name) + r"\[% endif %\](\.jinja)?")
    given = default_answers(root) | dict(answers or {})
    conditions = Environment(autoescape=True)  # only answers' truth is read, no markup made
    for sibling in sorted(plain.parent.iterdir()):
        if (match := named.fullmatch(sibling.name)) and conditions.compile_expression(match[1])(
            **given
        ):
            return sibling
    return plain


def replace_in(path: Path, old: str, new: str, count: int = -1) -> None:
    """Edit a file as a person would; fail loudly if what to replace is not there."""
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, count))


# The template's conditionals: what issue 22 limits (100 tags in at most 25 files, no
# {% raw %}) and, until then, what may not grow (test_render.py).
CONDITION_TAG = re.compile(r"\[%-?\s*if\b")
RAW_TAG = re.compile(r"\{%-?\s*raw\s*-?%\}")


def template_conditionals(root: Path = ROOT) -> dict[str, int]:
    template = root / "template"
    sources = [path for path in template.rglob("*.jinja") if path.is_file()]
    tags = {path: len(CONDITION_TAG.findall(path.read_text())) for path in sources}
    return {
        "if tags": sum(tags.values()),
        "files with an if tag": sum(1 for count in tags.values() if count),
        "paths named by a condition": sum(
            1 for path in template.rglob("*") if CONDITION_TAG.search(path.name)
        ),
        "raw blocks": sum(len(RAW_TAG.findall(path.read_text())) for path in sources),
    }
