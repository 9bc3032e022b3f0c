"""The service README's steps for removing the example journey work as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support import output_of, render, run

pytestmark = pytest.mark.slow


# What else the README lists for each kind of service, beside the journey itself.
FEE = {
    "files": [
        "src/apply_for_a_juggling_licence/payments",
        "src/apply_for_a_juggling_licence/migrations/versions/0005_payments.py",
        "tests/unit/test_payments.py",
        "tests/unit/test_pay_client.py",
        "tests/e2e/test_payments.py",
        "tests/paying.py",
    ],
    "marked": {"src/apply_for_a_juggling_licence/__init__.py": 5, "tests/helpers.py": 2},
}
NO_FEE: dict[str, Any] = {
    "files": [],
    "marked": {"src/apply_for_a_juggling_licence/__init__.py": 2},
}


def delete_marked_lines(path: Path, expected: int) -> None:
    lines = path.read_text().splitlines()
    marked = [line for line in lines if "the example journey" in line]
    assert len(marked) == expected, (path, marked)
    path.write_text("".join(f"{line}\n" for line in lines if line not in marked))


@pytest.mark.parametrize(
    ("answers", "also"), [({}, NO_FEE), ({"payments": "govuk_pay"}, FEE)], ids=["free", "fee"]
)
def test_following_the_readme_removes_the_example_journey(
    tmp_path: Path, answers: dict[str, str], also: dict[str, Any]
) -> None:
    project = render(tmp_path / "service", answers)
    package = project / "src" / "apply_for_a_juggling_licence"
    readme = (project / "README.md").read_text()
    assert "### Removing the example journey" in readme

    # 1. The blueprint folder and its migration.
    shutil.rmtree(package / "apply")
    (package / "migrations" / "versions" / "0003_applications.py").unlink()
    for listed in also["files"]:
        path = project / listed
        assert path.exists(), listed
        assert listed in readme.replace("{package}", "apply_for_a_juggling_licence") or (
            Path(listed).name in readme
        ), listed
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    # 2. The lines marked in the application factory (and, with a fee, the test helpers).
    for marked_in, count in also["marked"].items():
        delete_marked_lines(project / marked_in, count)
    # 3. The start button.
    start = package / "pages" / "templates" / "pages" / "start.html"
    start.write_text(
        re.sub(
            r"\n\s*\{#- Starts the example journey.*?\}\) \}\}", "", start.read_text(), flags=re.S
        )
    )
    assert "apply." not in start.read_text()
    # 4. Its tests.
    shutil.rmtree(project / "tests" / "unit" / "apply")
    (project / "tests" / "e2e" / "test_apply.py").unlink()
    (project / "tests" / "apply_answers.py").unlink()

    # 5. Tidy the imports, then the checks.
    tidied = run(["uv", "run", "--locked", "ruff", "check", "--fix", "--quiet", "."], project)
    assert tidied.returncode == 0, output_of(tidied)
    result = run(["uv", "run", "--locked", "nox", "-s", "lint", "tests"], project)

    assert result.returncode == 0, output_of(result)
    assert (
        "apply"
        not in (project / "src").joinpath("apply_for_a_juggling_licence", "__init__.py").read_text()
    )
