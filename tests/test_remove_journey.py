"""The service README's steps for removing the example journey work as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.support import output_of, render, run

pytestmark = pytest.mark.slow


def test_following_the_readme_removes_the_example_journey(tmp_path: Path) -> None:
    project = render(tmp_path / "service")
    package = project / "src" / "apply_for_a_juggling_licence"
    readme = (project / "README.md").read_text()
    assert "### Removing the example journey" in readme

    # 1. The blueprint folder and its migration.
    shutil.rmtree(package / "apply")
    (package / "migrations" / "versions" / "0003_applications.py").unlink()
    # 2. The two lines marked in the application factory.
    factory = package / "__init__.py"
    marked = [line for line in factory.read_text().splitlines() if "the example journey" in line]
    assert len(marked) == 2
    factory.write_text(
        "".join(f"{line}\n" for line in factory.read_text().splitlines() if line not in marked)
    )
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

    result = run(["uv", "run", "--locked", "nox", "-s", "lint", "tests"], project)

    assert result.returncode == 0, output_of(result)
    assert (
        "apply"
        not in (project / "src").joinpath("apply_for_a_juggling_licence", "__init__.py").read_text()
    )
