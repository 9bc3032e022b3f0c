"""Every earlier release, with several answer sets, updated to the newest release.

Each service takes the path it would take for real: Renovate's exact command, without
trust, where its release allows that; the fleet tool (which trusts the template) where the
release still had tasks or migrations. With no team edits the result is exactly a fresh
copy of the newest release with the same answers, but for `_commit`; with a team's typical
edits, the edits survive.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from gov_service_template.fleet import conflicted_files
from gov_service_template.releases import git
from tests.releases import TemplateClone, clone_template
from tests.support import (
    UPDATE_ANSWER_SETS,
    answers_file,
    output_of,
    project_env,
    render,
    replace_in,
    run,
    template_source,
)

pytestmark = pytest.mark.slow

# The releases before the trust-free one. Later releases join the matrix by being tagged.
FIRST_RELEASES = ["v0.1.0", "v0.2.0"]
UNSAFE_FEATURES = ("_tasks", "_migrations", "_jinja_extensions")
PRIVACY = "src/{package}/pages/templates/pages/privacy.html"
RENOVATE = [sys.executable, "-m", "copier", "update", "--skip-answered", "--defaults"]
FLEET = [sys.executable, "-m", "gov_service_template.fleet"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> TemplateClone:
    """This template, with one more release after it, so that what is being worked on
    is an earlier release too, updated the way the next release will update it."""
    clone = clone_template(tmp_path_factory.mktemp("template") / "template")

    def reword_the_start_page(root: Path) -> None:
        start = template_source(root, "src/{package}/pages/templates/pages/start.html")
        replace_in(start, "It takes around 10 minutes.", "It takes around 10 minutes to apply.")

    clone.release(reword_the_start_page, "A release after the one being worked on")
    return clone


def earlier_releases() -> list[str]:
    """Every release before the newest: the first ones, then the one being worked on."""
    return [*FIRST_RELEASES, "current"]


def needs_trust(template: TemplateClone, release: str) -> bool:
    config = yaml.safe_load(git(template.path, "show", f"{release}:copier.yml"))
    return any(feature in config for feature in UNSAFE_FEATURES)


def committed_service(destination: Path, template: TemplateClone, ref: str, answers: Any) -> Path:
    """A service as Copier wrote it, committed, without a lock: nothing but the template."""
    project = render(destination, answers, source=template.path, vcs_ref=ref, set_up=False)
    env = project_env()
    git(project, "init", "--quiet", "--initial-branch=main", env=env)
    git(project, "add", "--all", env=env)
    git(project, "commit", "--quiet", "--no-verify", "-m", "Create service", env=env)
    return project


def typical_edits(project: Path) -> None:
    """Content, a dependency and a file of the team's own, committed."""
    package = answers_file(project)["package_name"]
    replace_in(
        project / PRIVACY.format(package=package),
        "We do not use it for marketing.",
        "We never use it for marketing or share it.",
    )
    # Where `uv add humanize` puts it: sorted, next to lines later releases add to.
    replace_in(
        project / "pyproject.toml", '"gunicorn>=23",\n', '"gunicorn>=23",\n    "humanize>=4",\n'
    )
    (project / "docs").mkdir(exist_ok=True)
    (project / "docs" / "runbook.md").write_text("# Runbook\n\nRestart the pods.\n")
    env = project_env()
    git(project, "add", "--all", env=env)
    git(project, "commit", "--quiet", "--no-verify", "-m", "Our own changes", env=env)


def update(template: TemplateClone, project: Path, release: str) -> str:
    """Update to the newest release the way the service would be; return the git revision
    holding the result."""
    if not needs_trust(template, release):
        renovate = [*RENOVATE, "--answers-file", ".copier-answers.yml"]
        result = run([*renovate, "--vcs-ref", template.latest], project)
        assert result.returncode == 0, output_of(result)
        git(project, "add", "--all", env=project_env())
        return git(project, "write-tree", env=project_env()).strip()
    result = run([*FLEET, "update", "--json", "--test-command", "true", project], project.parent)
    report = json.loads(result.stdout or "{}")
    assert result.returncode == 0, output_of(result)
    (outcome,) = report["services"]
    assert outcome["outcome"] == "updated", outcome
    return str(outcome["branch"])


def files_at(project: Path, revision: str) -> dict[str, str]:
    """path -> blob id of every file at a revision (or tree id)."""
    listing = git(project, "ls-tree", "-r", "--format=%(objectname) %(path)", revision)
    return {path: blob for blob, path in (line.split(" ", 1) for line in listing.splitlines())}


def without_commit(answers: str) -> str:
    return "".join(line for line in answers.splitlines(True) if not line.startswith("_commit:"))


@cache
def fresh_copy(template_path: Path, folder: Path, answers_yaml: str, locked: bool) -> Path:
    """A new service at the newest release with these answers (cached per answer set)."""
    clone = TemplateClone(template_path, project_env())
    answers = yaml.safe_load(answers_yaml)
    name = f"fresh-{abs(hash((answers_yaml, locked)))}"
    project = committed_service(folder / name, clone, clone.latest, answers)
    if locked:  # the fleet re-locks after an update; a fresh `uv lock` is the comparison
        for offline in (["--offline"], []):
            if run(["uv", "lock", "--quiet", *offline], project).returncode == 0:
                break
        git(project, "add", "--all", env=project_env())
        git(project, "commit", "--quiet", "--no-verify", "-m", "Lock", env=project_env())
    return project


def resolve(template: TemplateClone, release: str) -> str:
    return template.previous if release == "current" else release


# Every earlier release with every answer set, and the release before the journey engine
# (v0.4.0, whose example journey the engine replaced) with the default answers.
UPDATE_PATHS = [
    *((release, answer_set) for release in earlier_releases() for answer_set in UPDATE_ANSWER_SETS),
    ("v0.4.0", "defaults"),
]


@pytest.mark.parametrize(("release", "answer_set"), UPDATE_PATHS)
def test_an_unedited_service_becomes_a_fresh_copy(
    template: TemplateClone, tmp_path_factory: pytest.TempPathFactory, release: str, answer_set: str
) -> None:
    folder = tmp_path_factory.mktemp(f"{release}-{answer_set}")
    old = resolve(template, release)
    project = committed_service(folder / "service", template, old, UPDATE_ANSWER_SETS[answer_set])

    revision = update(template, project, old)

    answers_text = git(project, "show", f"{revision}:.copier-answers.yml")
    answers = {k: v for k, v in yaml.safe_load(answers_text).items() if not k.startswith("_")}
    fresh = fresh_copy(
        template.path,
        tmp_path_factory.getbasetemp(),
        yaml.safe_dump(answers),
        needs_trust(template, old),
    )
    ours, theirs = files_at(project, revision), files_at(fresh, "HEAD")
    assert sorted(ours) == sorted(theirs)
    different = [path for path in ours if ours[path] != theirs[path]]
    assert [path for path in different if path != ".copier-answers.yml"] == []
    assert without_commit(answers_text) == without_commit(
        (fresh / ".copier-answers.yml").read_text()
    )


@pytest.mark.parametrize("answer_set", UPDATE_ANSWER_SETS)
@pytest.mark.parametrize("release", earlier_releases())
def test_typical_team_edits_survive(
    template: TemplateClone, tmp_path: Path, release: str, answer_set: str
) -> None:
    old = resolve(template, release)
    project = committed_service(tmp_path / "service", template, old, UPDATE_ANSWER_SETS[answer_set])
    typical_edits(project)

    revision = update(template, project, old)

    assert conflicted_files(project) == []
    package = answers_file(project)["package_name"]
    privacy = git(project, "show", f"{revision}:{PRIVACY.format(package=package)}")
    assert "We never use it for marketing or share it." in privacy
    assert '"humanize>=4"' in git(project, "show", f"{revision}:pyproject.toml")
    assert git(project, "show", f"{revision}:docs/runbook.md").startswith("# Runbook")


@pytest.mark.parametrize("release", ["v0.3.0", "v0.4.0"])
def test_a_journey_the_team_edited_is_kept_through_the_fleet(
    template: TemplateClone, tmp_path: Path, release: str
) -> None:
    """Releases before the journey engine had the journey in apply/. The fleet keeps the
    team's edited files there, and lists them, for the team to port (CHANGELOG)."""
    old = resolve(template, release)
    project = committed_service(tmp_path / "service", template, old, {})
    package = answers_file(project)["package_name"]
    forms = f"src/{package}/apply/forms.py"
    replace_in(project / forms, "What is your full name?", "What is your name, in full?")
    env = project_env()
    git(project, "add", "--all", env=env)
    git(project, "commit", "--quiet", "--no-verify", "-m", "Our question", env=env)

    result = run([*FLEET, "update", "--json", "--test-command", "true", project], project.parent)

    assert result.returncode == 0, output_of(result)
    (outcome,) = json.loads(result.stdout)["services"]
    assert outcome["outcome"] == "updated", outcome
    assert outcome["removed_edited"] == [forms]
    branch = str(outcome["branch"])
    assert "What is your name, in full?" in git(project, "show", f"{branch}:{forms}")
    assert git(project, "show", f"{branch}:src/{package}/journeys/apply.py")
    assert conflicted_files(project) == []
