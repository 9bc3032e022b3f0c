"""`copier update` from earlier releases: Renovate's exact command works without trust from
the trust-free release on, services on earlier releases cross through the fleet tool with
their edits, moved files keep their edits, and conflicts are visible."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from gov_service_template.fleet import conflicted_files
from gov_service_template.fleet.fixups import after_update
from gov_service_template.fleet.template import local_template
from tests.releases import TemplateClone, clone_template
from tests.support import output_of, render, replace_in, run, template_source

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("update")]

PRIVACY = "src/{package}/pages/templates/pages/privacy.html"
BANNER_BEFORE_V0_2 = "src/{package}/templates/partials/cookie_banner.html"
BANNER = "src/{package}/cookies/templates/cookies/banner.html"
PACKAGE = "apply_for_a_juggling_licence"
# What Renovate's copier manager runs, word for word: no --trust.
RENOVATE = [
    sys.executable,
    "-m",
    "copier",
    "update",
    "--skip-answered",
    "--defaults",
    "--answers-file",
    ".copier-answers.yml",
    "--vcs-ref",
]
# How the fleet tool crosses from a release that still had tasks or migrations.
TRUSTED = [sys.executable, "-m", "copier", "update", "--trust", "--skip-answered", "--defaults"]
FLEET = [sys.executable, "-m", "gov_service_template.fleet"]
# After an update: lint, and the unit tests. The hostile-input gate and the coverage floor
# belong to the release's own gates (test_generated_gates.py), not to crossing releases.
UNIT_TESTS = ["--no-cov", "-k", "not hostile"]
CHECKS = ["uv", "run", "--locked", "nox", "-s", "lint", "tests", "--", *UNIT_TESTS]


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
    (project / "docs").mkdir(exist_ok=True)
    (project / "docs" / "runbook.md").write_text("# Runbook\n\nRestart the pods.\n")
    commit_all(project, "Our own changes")


def assert_typical_edits_kept(text_of: dict[str, str]) -> None:
    assert "We never use it for marketing or share it." in text_of["privacy"]
    assert '"humanize>=4"' in text_of["pyproject"]
    assert text_of["runbook"].startswith("# Runbook")


def renovate_update(project: Path, vcs_ref: str) -> None:
    result = run([*RENOVATE, vcs_ref], project)
    assert result.returncode == 0, output_of(result)


def trusted_update(project: Path, template: TemplateClone, from_ref: str, to_ref: str) -> None:
    """What `gst-fleet update` does to the work tree: Copier with trust, then the fix-ups."""
    result = run([*TRUSTED, "--vcs-ref", to_ref], project)
    assert result.returncode == 0, output_of(result)
    after_update(project, local_template(str(template.path)), from_ref, to_ref)


def test_renovate_updates_a_service_made_at_head_without_trust(tmp_path: Path) -> None:
    template = clone_template(tmp_path / "template")  # its own: this test adds a release
    project = render(tmp_path / "service", source=template.path, vcs_ref=template.latest)
    make_typical_edits(project)

    def template_rewords_accessibility(root: Path) -> None:
        replace_in(
            template_source(
                root, "src/{package}/pages/templates/pages/accessibility_statement.html"
            ),
            "This accessibility statement applies to",
            "This statement applies to",
        )

    newer = template.release(template_rewords_accessibility, "Shorter accessibility wording")

    renovate_update(project, newer)

    assert conflicted_files(project) == []
    assert f"_commit: {newer}" in (project / ".copier-answers.yml").read_text()
    statement = project / f"src/{PACKAGE}/pages/templates/pages/accessibility_statement.html"
    assert "This statement applies to" in statement.read_text()
    assert_typical_edits_kept(
        {
            "privacy": (project / PRIVACY.format(package=PACKAGE)).read_text(),
            "pyproject": (project / "pyproject.toml").read_text(),
            "runbook": (project / "docs" / "runbook.md").read_text(),
        }
    )
    checks = run(CHECKS, project)
    assert checks.returncode == 0, output_of(checks)


def test_the_previous_release_reaches_head_through_the_fleet(
    template: TemplateClone, tmp_path: Path
) -> None:
    project = render(tmp_path / "service", source=template.path, vcs_ref=template.previous)
    make_typical_edits(project)

    result = run(
        [*FLEET, "update", "--json", "--test-command", shlex.join(CHECKS), project], tmp_path
    )

    report = json.loads(result.stdout)
    (outcome,) = report["services"]
    assert result.returncode == 0, f"{outcome}\n{output_of(result)}"
    assert outcome["outcome"] == "updated"
    branch = outcome["branch"]

    def at_branch(path: str) -> str:
        return run(["git", "show", f"{branch}:{path}"], project).stdout

    assert_typical_edits_kept(
        {
            "privacy": at_branch(PRIVACY.format(package=PACKAGE)),
            "pyproject": at_branch("pyproject.toml"),
            "runbook": at_branch("docs/runbook.md"),
        }
    )
    assert f"_commit: {template.latest}" in at_branch(".copier-answers.yml")


def test_a_moved_file_keeps_its_edits(template: TemplateClone, tmp_path: Path) -> None:
    project = render(tmp_path / "service", source=template.path, vcs_ref="v0.1.0")
    old = project / BANNER_BEFORE_V0_2.format(package=PACKAGE)
    replace_in(old, "We use some essential cookies", "We use a few essential cookies")
    commit_all(project, "Reword the cookie banner")

    trusted_update(project, template, "v0.1.0", template.latest)

    assert not old.exists()
    moved = (project / BANNER.format(package=PACKAGE)).read_text()
    assert "We use a few essential cookies" in moved
    assert conflicted_files(project) == []
    status = run(["git", "status", "--porcelain"], project).stdout
    assert "R  " in status, "the move is staged as a rename, so history follows the file"


def test_an_unedited_moved_file_is_the_templates(template: TemplateClone, tmp_path: Path) -> None:
    project = render(tmp_path / "service", source=template.path, vcs_ref="v0.1.0")

    trusted_update(project, template, "v0.1.0", template.latest)

    fresh = render(tmp_path / "fresh", source=template.path, vcs_ref=template.latest)
    banner = BANNER.format(package=PACKAGE)
    assert (project / banner).read_text() == (fresh / banner).read_text()
    assert not (project / BANNER_BEFORE_V0_2.format(package=PACKAGE)).exists()


def test_conflicting_edit_is_left_as_inline_markers(tmp_path: Path) -> None:
    template = clone_template(tmp_path / "template")  # its own: this test adds a release
    project = render(tmp_path / "service", source=template.path, vcs_ref=template.latest)
    privacy = project / PRIVACY.format(package=PACKAGE)
    replace_in(privacy, "We do not use it for marketing.", "We do not use it for advertising.")
    commit_all(project, "Our wording")

    def template_rewords_privacy(root: Path) -> None:
        replace_in(
            template_source(root, PRIVACY),
            "We do not use it for marketing.",
            "We never use it for marketing.",
        )

    newer = template.release(template_rewords_privacy, "Reword the privacy notice")

    renovate_update(project, newer)  # Copier itself exits 0 here: the markers are the only signal

    text = privacy.read_text()
    assert "<<<<<<< before updating" in text
    assert "We do not use it for advertising." in text, "the service's edit is kept"
    assert "We never use it for marketing." in text, "the template's change is offered"
    assert conflicted_files(project) == [PRIVACY.format(package=PACKAGE)]
    lint = run(["uv", "run", "--locked", "nox", "-s", "lint"], project)
    assert lint.returncode != 0, "the service's own lint gate refuses the markers"


def test_a_moved_file_with_overlapping_edits_gets_conflict_markers(tmp_path: Path) -> None:
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
            template_source(root, BANNER),
            "We use some essential cookies",
            "We need some essential cookies",
        )

    newer = template.release(template_rewords_banner, "Reword the banner")
    trusted_update(project, template, "v0.1.0", newer)

    moved = (project / BANNER.format(package=PACKAGE)).read_text()
    assert "<<<<<<< before updating" in moved
    assert "We use a few essential cookies" in moved
    assert "We need some essential cookies" in moved
    assert conflicted_files(project) == [BANNER.format(package=PACKAGE)]


def test_a_removed_file_the_team_changed_is_kept_and_reported(tmp_path: Path) -> None:
    template = clone_template(tmp_path / "template")  # its own: this test adds a release
    project = render(tmp_path / "service", source=template.path, vcs_ref=template.latest)
    security = project / "SECURITY.md"
    security.write_text(security.read_text() + "\nOur own out-of-hours contact: 0300 000 0000\n")
    commit_all(project, "Our out-of-hours contact")

    def template_drops_security_md(root: Path) -> None:
        (root / "template" / "SECURITY.md.jinja").unlink()

    newer = template.release(template_drops_security_md, "Drop SECURITY.md")
    renovate_update(project, newer)

    report = after_update(project, local_template(str(template.path)), template.latest, newer)

    assert report.removed_edited == ["SECURITY.md"]
    assert "Our own out-of-hours contact" in security.read_text(), "the team's version, kept"


def test_fixup_carries_a_move_and_settles_dependencies_after_renovate(tmp_path: Path) -> None:
    template = clone_template(tmp_path / "template")  # its own: this test adds a release
    project = render(tmp_path / "service", source=template.path, vcs_ref=template.latest)
    privacy = PRIVACY.format(package=PACKAGE)
    replace_in(project / privacy, "We do not use it for marketing.", "No marketing, ever.")
    replace_in(
        project / "pyproject.toml", '"gunicorn>=23",\n', '"gunicorn>=23",\n    "humanize>=4",\n'
    )
    commit_all(project, "Our wording and a dependency")
    moved_privacy = "src/{package_name}/privacy/templates/privacy/notice.html"
    latest = Version(template.latest)
    upcoming = f"v{latest.major}.{latest.minor}.{latest.micro + 1}"  # what release() tags

    def template_moves_privacy_and_adds_a_dependency(root: Path) -> None:
        old = template_source(root, PRIVACY)
        new = root / "template" / moved_privacy.replace("{package_name}", "[=package_name=]")
        if old.suffix == ".jinja":  # rendered from a .jinja: so is the moved file
            new = new.with_name(f"{new.name}.jinja")
        new.parent.mkdir(parents=True)
        old.rename(new)
        replace_in(
            root / "template-files.yml",
            "moved:\n",
            f"moved:\n  - release: {upcoming}\n    from: {PRIVACY.format(package='{package_name}')}"
            f"\n    to: {moved_privacy}\n",
        )
        replace_in(
            root / "template" / "pyproject.toml.jinja",
            '"gunicorn>=23",\n',
            '"gunicorn>=23",\n    "itsdangerous>=2.2",\n',
        )

    newer = template.release(template_moves_privacy_and_adds_a_dependency, "Move the notice")
    assert newer == upcoming
    renovate_update(project, newer)
    commit_all(project, f"chore(deps): update template to {newer}")  # as Renovate does

    result = run([*FLEET, "fixup", project], tmp_path)

    assert result.returncode == 0, output_of(result)
    notice = project / moved_privacy.format(package_name=PACKAGE)
    assert "No marketing, ever." in notice.read_text()
    assert not (project / privacy).exists()
    pyproject = (project / "pyproject.toml").read_text()
    assert '"humanize>=4"' in pyproject
    assert '"itsdangerous>=2.2"' in pyproject
    assert conflicted_files(project) == []
    assert "your edits carried over" in result.stdout


# Answers added since the previous release that change what a service has.
NEW_FEATURES = {"payments": "govuk_pay", "welsh": "true"}


def test_the_previous_release_takes_up_new_features_without_trust(
    template: TemplateClone, tmp_path: Path
) -> None:
    """Turning the new features on, as a team would: Renovate's command with --data, then
    the fleet's fix-up for the dependencies both sides added. (Welsh rewrites every page's
    words, so a page the team edited conflicts: that is for the team to merge.)"""
    project = render(tmp_path / "service", source=template.path, vcs_ref=template.previous)
    added = run(["uv", "add", "--quiet", "--no-sync", "humanize>=4"], project)
    assert added.returncode == 0, output_of(added)
    commit_all(project, "A dependency of our own")
    data = [part for name, value in NEW_FEATURES.items() for part in ("--data", f"{name}={value}")]

    result = run([*RENOVATE[:-1], *data, "--vcs-ref", template.latest], project)
    fixup = run([*FLEET, "fixup", project], tmp_path)

    assert result.returncode == 0, output_of(result)
    assert fixup.returncode == 0, output_of(fixup)
    assert conflicted_files(project) == []
    answers = (project / ".copier-answers.yml").read_text()
    for name, value in NEW_FEATURES.items():
        assert f"{name}: {value}" in answers
    assert '"humanize>=4"' in (project / "pyproject.toml").read_text()
    relock = run(["uv", "lock", "--quiet"], project)
    assert relock.returncode == 0, output_of(relock)
    checks = run(CHECKS, project)
    assert checks.returncode == 0, output_of(checks)
