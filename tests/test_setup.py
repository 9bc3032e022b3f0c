"""Making a service needs no trust: plain `copier copy`, then the service's own first nox
session writes uv.lock and makes the first commit. Offline, without uv, or inside another
repository, it says what happened in one line and never shows a traceback."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from tests.support import FIRST_COMMIT, ROOT, output_of, render, run

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("setup")]

NOX = [sys.executable, "-m", "nox"]
# Anything in copier.yml that makes Copier demand --trust for an update.
NEEDS_TRUST = ("_tasks", "_migrations", "_jinja_extensions")


def commits(project: Path) -> list[str]:
    return run(["git", "log", "--format=%s"], project).stdout.splitlines()


def test_the_template_has_nothing_that_needs_trust() -> None:
    config = yaml.safe_load((ROOT / "copier.yml").read_text())

    assert [key for key in NEEDS_TRUST if key in config] == []


def test_a_plain_copy_and_any_first_session_give_a_locked_committed_service(
    tmp_path: Path,
) -> None:
    project = tmp_path / "my-service"
    copy = [sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref=HEAD"]
    copied = run([*copy, ROOT, project], tmp_path)  # no --trust, as the README says
    assert copied.returncode == 0, output_of(copied)
    assert not (project / "uv.lock").exists()

    lint = run([*NOX, "-s", "lint"], project)

    assert lint.returncode == 0, output_of(lint)
    assert "Wrote uv.lock" in lint.stderr
    assert (project / "uv.lock").is_file()
    assert commits(project) == [FIRST_COMMIT]
    assert run(["git", "status", "--porcelain"], project).stdout == ""
    tracked = run(["git", "ls-files"], project).stdout.splitlines()
    assert "uv.lock" in tracked

    again = run([*NOX, "-s", "setup"], project)

    assert again.returncode == 0, output_of(again)
    assert commits(project) == [FIRST_COMMIT], "a second run changes nothing"


# What reads as a failure to someone watching a copy and its first session.
LOOKS_LIKE_AN_ERROR = re.compile(r"error:|warning:|no solution found|traceback", re.IGNORECASE)


def test_on_a_cold_uv_cache_nothing_reads_as_an_error_when_it_worked(tmp_path: Path) -> None:
    project = tmp_path / "my-service"
    copy = [sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref=HEAD"]
    copied = run([*copy, ROOT, project], tmp_path)
    assert copied.returncode == 0, output_of(copied)

    # uv's cache is empty, so the quiet offline attempt fails and the online one locks.
    setup = run([*NOX, "-s", "setup"], project, UV_CACHE_DIR=str(tmp_path / "empty-cache"))

    assert setup.returncode == 0, output_of(setup)
    assert "Wrote uv.lock" in setup.stderr
    for output in (copied.stdout, copied.stderr, setup.stdout, setup.stderr):
        # Copier warns of uncommitted template changes: only to those editing the template.
        said = [line for line in output.splitlines() if "DirtyLocalWarning" not in line]
        assert not LOOKS_LIKE_AN_ERROR.search("\n".join(said)), output


def test_when_uv_cannot_lock_its_own_reason_is_shown(tmp_path: Path) -> None:
    project = render(tmp_path / "service", set_up=False)

    offline = {"UV_OFFLINE": "1", "UV_CACHE_DIR": str(tmp_path / "empty-cache")}
    result = run([*NOX, "-s", "setup"], project, **offline)

    assert result.returncode != 0
    assert "Could not write uv.lock: No solution found when resolving dependencies" in (
        result.stderr
    )
    assert "network was disabled" in result.stderr, "uv's reason, not only ours"
    assert "Fix that, then run `uv lock`." in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert commits(project) == [], "nothing is committed without a lock"


def test_inside_another_repository_the_files_are_left_to_commit(tmp_path: Path) -> None:
    assert run(["git", "init", "--quiet"], tmp_path).returncode == 0
    project = render(tmp_path / "services" / "new", set_up=False)

    result = run([*NOX, "-s", "setup"], project)

    assert result.returncode == 0, output_of(result)
    assert (project / "uv.lock").is_file()
    assert run(["git", "log"], tmp_path).returncode != 0, "no commit in the monorepo"
    skipped = [line for line in result.stderr.splitlines() if "Made no first commit" in line]
    assert skipped == [
        "nox > Made no first commit: this is inside another git repository, so commit the "
        "service's files (uv.lock too) there."
    ]

    for step in (["git", "add", "--all"], ["git", "commit", "--quiet", "-m", "Add a service"]):
        assert run(step, tmp_path).returncode == 0
    again = run([*NOX, "-s", "setup"], project)

    assert again.returncode == 0, output_of(again)
    assert "Made no first commit" not in again.stderr, "said only until it is committed"


def test_without_uv_it_says_what_to_run(tmp_path: Path) -> None:
    project = render(tmp_path / "service", set_up=False)
    only_git = tmp_path / "bin"
    only_git.mkdir()
    git = next(
        Path(folder) / "git"
        for folder in os.environ["PATH"].split(os.pathsep)
        if (Path(folder) / "git").is_file()
    )
    (only_git / "git").symlink_to(git)

    result = run([*NOX, "-s", "setup"], project, PATH=str(only_git))

    assert result.returncode != 0
    assert "Could not write uv.lock" in result.stderr
    assert "run `uv lock`" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert commits(project) == [], "nothing is committed without a lock"


def test_lint_refuses_rejected_hunks_and_names_them(tmp_path: Path) -> None:
    project = render(tmp_path / "service")
    (project / "README.md.rej").write_text("@@ -1 +1 @@\n-old\n+new\n")

    result = run(["uv", "run", "--locked", "nox", "-s", "lint"], project)

    assert result.returncode != 0
    assert "README.md.rej" in result.stdout + result.stderr


def test_the_pre_commit_hooks_refuse_conflicts_and_rejected_hunks(tmp_path: Path) -> None:
    project = render(tmp_path / "service")
    (project / "notes.md").write_text(
        "# Notes\n<<<<<<< before updating\nours\n=======\ntheirs\n>>>>>>> after updating\n"
    )
    (project / "README.md.rej").write_text("@@ -1 +1 @@\n-old\n+new\n")
    assert run(["git", "add", "notes.md", "README.md.rej"], project).returncode == 0

    hooks = ["uvx", "pre-commit", "run", "--files", "notes.md", "README.md.rej"]
    result = run(hooks, project, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-cache"))

    assert result.returncode != 0, output_of(result)
    report = result.stdout
    assert re.search(r"conflict markers\.+Failed", report), report
    assert re.search(r"no \.rej files\.+Failed", report), report
    assert "README.md.rej" in report
