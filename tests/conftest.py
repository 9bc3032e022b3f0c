from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import ANSWER_SETS, render


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each answer set rendered once per test worker, for the fast structural tests."""
    return {
        name: render(tmp_path_factory.mktemp(name) / "service", answers)
        for name, answers in ANSWER_SETS.items()
    }
