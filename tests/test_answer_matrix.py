"""Every pair of answers to the choice and yes/no questions renders a service that passes
its lint and unit tests. New questions join the matrix by being in copier.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from allpairspy import AllPairs

from tests.support import ROOT, output_of, render, run

pytestmark = pytest.mark.slow


def matrix_questions() -> dict[str, list[Any]]:
    """The questions whose answers change what is rendered: choices and booleans."""
    config = yaml.safe_load((ROOT / "copier.yml").read_text())
    questions: dict[str, list[Any]] = {}
    for name, question in config.items():
        if name.startswith("_") or not isinstance(question, dict):
            continue
        if question.get("type") == "bool":
            questions[name] = [True, False]
        elif choices := question.get("choices"):
            questions[name] = list(choices.values() if isinstance(choices, dict) else choices)
    return questions


QUESTIONS = matrix_questions()
COMBINATIONS = [
    dict(zip(QUESTIONS, values, strict=True)) for values in AllPairs(list(QUESTIONS.values()))
]


def test_every_pair_of_answers_is_covered() -> None:
    assert {"on_govuk", "phase", "python_version"} <= set(QUESTIONS)
    for name, values in QUESTIONS.items():
        for other, other_values in QUESTIONS.items():
            if name == other:
                continue
            pairs = {(combo[name], combo[other]) for combo in COMBINATIONS}
            assert len(pairs) == len(values) * len(other_values), (name, other)


@pytest.mark.parametrize(
    "answers",
    COMBINATIONS,
    ids=["-".join(f"{key}={value}" for key, value in combo.items()) for combo in COMBINATIONS],
)
def test_combination_passes_lint_and_unit_tests(tmp_path: Path, answers: dict[str, Any]) -> None:
    project = render(tmp_path / "service", answers)

    result = run(["uv", "run", "--locked", "nox", "-s", "lint", "tests"], project)

    assert result.returncode == 0, output_of(result)
