"""The copy-time tasks never break a copy: offline, without uv, or inside another repo."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support import ROOT, run

LOCK = ROOT / "hooks" / "lock_dependencies.py"
COMMIT = ROOT / "hooks" / "initial_commit.py"


def test_lock_without_uv_explains_and_lets_the_copy_finish(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0"\n')

    result = run([sys.executable, "-I", LOCK], tmp_path, PATH="/nonexistent")

    assert result.returncode == 0
    assert "uv is not installed" in result.stdout
    assert not (tmp_path / "uv.lock").exists()


def test_lock_that_cannot_resolve_explains_and_lets_the_copy_finish(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "0"\ndependencies = ["no-such-package-gst-test==0"]\n'
    )

    result = run([sys.executable, LOCK], tmp_path, UV_OFFLINE="1")

    assert result.returncode == 0
    assert "Run `uv lock`" in result.stderr


def test_first_commit_is_made_in_a_new_folder(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hello\n")

    result = run([sys.executable, COMMIT], tmp_path)

    assert result.returncode == 0, result.stderr
    log = run(["git", "log", "--format=%s"], tmp_path).stdout
    assert log.strip() == "Create service from Gov Service Template"


def test_first_commit_leaves_an_existing_repository_alone(tmp_path: Path) -> None:
    run(["git", "init", "-q"], tmp_path)
    service = tmp_path / "services" / "new"
    service.mkdir(parents=True)
    (service / "README.md").write_text("hello\n")

    result = run([sys.executable, COMMIT], service)

    assert result.returncode == 0
    assert "left the new files uncommitted" in result.stdout
    assert run(["git", "log"], tmp_path).returncode != 0, "no commit was made"


RESOLVE = ROOT / "hooks" / "resolve_dependency_conflicts.py"
BEFORE = "<<<<<<< before updating\n"
AFTER = ">>>>>>> after updating\n"
BOTH_ADDED = """dependencies = [
    "flask>=3.1,<4",
    "gunicorn>=23",
<<<<<<< before updating
    "humanize>=4",
=======
    "notifications-python-client>=10",
>>>>>>> after updating
    "sqlalchemy>=2.0,<3",
]
"""


def conflicted_pyproject(folder: Path, text: str) -> Path:
    run(["git", "init", "-q"], folder)
    (folder / "pyproject.toml").write_text(text)
    return folder / "pyproject.toml"


def test_dependencies_added_on_both_sides_are_both_kept(tmp_path: Path) -> None:
    pyproject = conflicted_pyproject(tmp_path, BOTH_ADDED)

    result = run([sys.executable, RESOLVE], tmp_path)

    assert result.returncode == 0, result.stderr
    assert pyproject.read_text() == (
        'dependencies = [\n    "flask>=3.1,<4",\n    "gunicorn>=23",\n    "humanize>=4",\n'
        '    "notifications-python-client>=10",\n    "sqlalchemy>=2.0,<3",\n]\n'
    )
    assert run(["git", "diff", "--cached", "--name-only"], tmp_path).stdout == "pyproject.toml\n"


@pytest.mark.parametrize(
    "conflict",
    [
        f'{BEFORE}    "flask>=3.0",\n=======\n    "flask>=3.1,<4",\n{AFTER}',
        f'{BEFORE}name = "mine"\n=======\nname = "theirs"\n{AFTER}',
    ],
    ids=["one package, two versions", "not a dependency"],
)
def test_other_conflicts_are_left_for_a_person(tmp_path: Path, conflict: str) -> None:
    pyproject = conflicted_pyproject(tmp_path, f"[project]\n{conflict}")

    run([sys.executable, RESOLVE], tmp_path)

    assert pyproject.read_text() == f"[project]\n{conflict}"
