"""Render each answer set and run the service's own gates, as its CI would."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import ANSWER_SETS, output_of, render, run

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", list(ANSWER_SETS))
def test_generated_service_passes_its_own_gates(tmp_path: Path, name: str) -> None:
    project = render(tmp_path / "service", ANSWER_SETS[name])

    result = run(["uv", "run", "--locked", "nox", "-s", "lint", "tests", "e2e"], project)

    assert result.returncode == 0, output_of(result)
