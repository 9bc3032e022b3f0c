"""Every pair of answers to the choice and yes/no questions renders a service that passes
its lint and unit tests. New questions join the matrix by being in copier.yml.

The answer sets of test_generated_gates.py run lint and unit tests (and more) already, as
test_every_answer_set_has_gates there checks, so the pairs they cover count as tested;
the combinations here cover the rest. Those gates also hold each answer set to the
coverage floor; here the unit tests run without measuring coverage, which doubles their
time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from allpairspy import AllPairs

from tests.support import GATED_ANSWER_SETS, ROOT, output_of, render, run

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


def matrix_defaults() -> dict[str, Any]:
    config = yaml.safe_load((ROOT / "copier.yml").read_text())
    return {name: config[name]["default"] for name in QUESTIONS}


QUESTIONS = matrix_questions()
# What each answer set of the gates answers to the matrix's questions, defaults included.
GATED = [
    matrix_defaults() | {q: a[q] for q in QUESTIONS if q in a} for a in GATED_ANSWER_SETS.values()
]
COMBINATIONS = [
    dict(zip(QUESTIONS, values, strict=True))
    for values in AllPairs(
        list(QUESTIONS.values()),
        previously_tested=[[answers[name] for name in QUESTIONS] for answers in GATED],
    )
]


def test_every_pair_of_answers_is_covered() -> None:
    assert {"on_govuk", "phase", "python_version"} <= set(QUESTIONS)
    tested = COMBINATIONS + GATED
    for name, values in QUESTIONS.items():
        for other, other_values in QUESTIONS.items():
            if name == other:
                continue
            pairs = {(combo[name], combo[other]) for combo in tested}
            assert len(pairs) == len(values) * len(other_values), (name, other)


@pytest.mark.parametrize(
    "answers",
    COMBINATIONS,
    ids=["-".join(f"{key}={value}" for key, value in combo.items()) for combo in COMBINATIONS],
)
def test_combination_passes_lint_and_unit_tests(tmp_path: Path, answers: dict[str, Any]) -> None:
    project = render(tmp_path / "service", answers)

    # The hostile-input gate runs in every answer set's own gates (test_generated_gates.py);
    # here, each pair of answers is linted and unit-tested.
    unit = ["--no-cov", "-k", "not hostile"]
    result = run(["uv", "run", "--locked", "nox", "-s", "lint", "tests", "--", *unit], project)

    assert result.returncode == 0, output_of(result)
