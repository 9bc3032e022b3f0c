"""`copier update` from earlier releases: local edits survive, conflicts are visible,
migrations carry files across, and the updated service still passes its own checks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gov_service_template.fleet import conflicted_files
from tests.releases import TemplateClone, clone_template
from tests.support import output_of, render, replace_in, run

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("update")]

PRIVACY = "src/{package}/pages/templates/pages/privacy.html"
BANNER_BEFORE_V0_2 = "src/{package}/templates/partials/cookie_banner.html"
BANNER = "src/{package}/cookies/templates/cookies/banner.html"
PACKAGE = "apply_for_a_juggling_licence"
UPDATE = [sys.executable, "-m", "copier", "update", "--trust", "--skip-answered", "--defaults"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> TemplateClone:
    return clone_template(tmp_path_factory.mktemp("template") / "template")


def commit_all(project: Path, message: str) -> None:
    assert run(["git", "add", "--all"], project).returncode == 0
    result = run(["git", "commit", "--quiet", "-m", message], project)
    assert result.returncode == 0, output_of(result)


def make_typical_edits(project: Path) -> None:
    """What a service team does in its first weeks: content, a dependency, a new file."""
    replace_in(
        project / PRIVACY.format(package=PACKAGE),
        "We do not use it for marketing.",
        "We never use it for marketing or share it.",
    )
    added = run(["uv", "add", "--quiet", "--no-sync", "humanize>=4"], project)
    assert added.returncode == 0, output_of(added)
    (project / "docs").mkdir()
    (project / "docs" / "runbook.md").write_text("# Runbook\n\nRestart the pods.\n")
    commit_all(project, "Our own changes")


def update(project: Path, vcs_ref: str) -> None:
    result = run([*UPDATE, "--vcs-ref", vcs_ref], project)
    assert result.returncode == 0, output_of(result)


def test_update_from_the_previous_release_keeps_local_edits(
    template: TemplateClone, tmp_path: Path
) -> None:
    project = render(tmp_path / "service", source=template.path, vcs_ref=template.previous)
    make_typical_edits(project)

    update(project, template.latest)

    privacy = (project / PRIVACY.format(package=PACKAGE)).read_text()
    assert "We never use it for marketing or share it." in privacy
    assert '"humanize>=4"' in (project / "pyproject.toml").read_text()
    assert (project / "docs" / "runbook.md").read_text().startswith("# Runbook")
    assert conflicted_files(project) == []
    assert f"_commit: {template.latest}" in (project / ".copier-answers.yml").read_text()

    relock = run(["uv", "lock", "--quiet"], project)
    assert relock.returncode == 0, output_of(relock)
    checks = run(["uv", "run", "--locked", "nox", "-s", "lint", "tests"], project)
    assert checks.returncode == 0, output_of(checks)


def test_migration_moves_the_cookie_banner_with_its_edits(
    template: TemplateClone, tmp_path: Path
) -> None:
    project = render(tmp_path / "service", source=template.path, vcs_ref="v0.1.0")
    old = project / BANNER_BEFORE_V0_2.format(package=PACKAGE)
    replace_in(old, "We use some essential cookies", "We use a few essential cookies")
    commit_all(project, "Reword the cookie banner")

    update(project, template.latest)

    assert not old.exists()
    moved = (project / BANNER.format(package=PACKAGE)).read_text()
    assert "We use a few essential cookies" in moved
    assert conflicted_files(project) == []
    status = run(["git", "status", "--porcelain"], project).stdout
    assert "R  " in status, "the move is staged as a rename, so history follows the file"


def test_conflicting_edit_is_left_as_inline_markers(tmp_path: Path) -> None:
    template = clone_template(tmp_path / "template")  # its own: this test adds a release
    project = render(tmp_path / "service", source=template.path, vcs_ref=template.latest)
    privacy = project / PRIVACY.format(package=PACKAGE)
    replace_in(privacy, "We do not use it for marketing.", "We do not use it for advertising.")
    commit_all(project, "Our wording")

    def template_rewords_privacy(root: Path) -> None:
        replace_in(
            root / "template" / PRIVACY.format(package="{{package_name}}"),
            "We do not use it for marketing.",
            "We never use it for marketing.",
        )

    newer = template.release(template_rewords_privacy, "Reword the privacy notice")

    update(project, newer)  # Copier itself exits 0 here: the markers are the only signal

    text = privacy.read_text()
    assert "<<<<<<< before updating" in text
    assert "We do not use it for advertising." in text, "the service's edit is kept"
    assert "We never use it for marketing." in text, "the template's change is offered"
    assert conflicted_files(project) == [PRIVACY.format(package=PACKAGE)]


def test_migration_keeps_overlapping_edits_as_conflict_markers(tmp_path: Path) -> None:
    template = clone_template(tmp_path / "template")  # its own: this test adds a release
    project = render(tmp_path / "service", source=template.path, vcs_ref="v0.1.0")
    replace_in(
        project / BANNER_BEFORE_V0_2.format(package=PACKAGE),
        "We use some essential cookies",
        "We use a few essential cookies",
    )
    commit_all(project, "Reword the cookie banner")

    def template_rewords_banner(root: Path) -> None:
        replace_in(
            root / "template" / BANNER.format(package="{{package_name}}"),
            "We use some essential cookies",
            "We need some essential cookies",
        )

    update(project, template.release(template_rewords_banner, "Reword the banner"))

    moved = (project / BANNER.format(package=PACKAGE)).read_text()
    assert "<<<<<<< before updating" in moved
    assert "We use a few essential cookies" in moved
    assert "We need some essential cookies" in moved
    assert conflicted_files(project) == [BANNER.format(package=PACKAGE)]
