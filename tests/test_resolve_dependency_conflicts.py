"""hooks/resolve_dependency_conflicts.py, which gst-fleet runs after `copier update`: only
dependency lines added on both sides are settled; anything else is left for a person."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support import ROOT, run

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


def test_a_comment_stays_with_the_dependency_it_is_about(tmp_path: Path) -> None:
    pyproject = conflicted_pyproject(
        tmp_path,
        f'dependencies = [\n{BEFORE}    "humanize>=4",\n=======\n'
        f'    # HTTP for GOV.UK Pay.\n    "httpx>=0.28",\n{AFTER}]\n',
    )

    run([sys.executable, RESOLVE], tmp_path)

    assert pyproject.read_text() == (
        'dependencies = [\n    # HTTP for GOV.UK Pay.\n    "httpx>=0.28",\n    "humanize>=4",\n]\n'
    )


@pytest.mark.parametrize(
    "conflict",
    [
        f'{BEFORE}    "flask>=3.0",\n=======\n    "flask>=3.1,<4",\n{AFTER}',
        f'{BEFORE}name = "mine"\n=======\nname = "theirs"\n{AFTER}',
        f'{BEFORE}    "humanize>=4",\n=======\n    # a comment about nothing\n{AFTER}',
    ],
    ids=["one package, two versions", "not a dependency", "a comment about nothing"],
)
def test_other_conflicts_are_left_for_a_person(tmp_path: Path, conflict: str) -> None:
    pyproject = conflicted_pyproject(tmp_path, f"[project]\n{conflict}")

    run([sys.executable, RESOLVE], tmp_path)

    assert pyproject.read_text() == f"[project]\n{conflict}"
