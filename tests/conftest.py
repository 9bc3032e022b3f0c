from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import ANSWER_SETS, render, template_conditionals


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each answer set rendered once per test worker, for the fast structural tests."""
    return {
        name: render(tmp_path_factory.mktemp(name) / "service", answers)
        for name, answers in ANSWER_SETS.items()
    }


# Tests that take minutes each, longest first. Started first, they run side by side on
# the workers while the many short tests fill the gaps, instead of one of them starting
# last and running alone at the end.
LONGEST_FIRST = (
    "test_generated_gates",
    "test_own_journey",
    "test_properties",
    "test_postgresql",
    "test_answer_matrix",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    counts = template_conditionals()
    terminalreporter.write_line(
        "template conditionals: " + ", ".join(f"{name} {n}" for name, n in counts.items())
    )
