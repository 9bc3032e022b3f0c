"""When a page is shown: conditions on earlier answers, written as

    when=answer("juggled_in_public").is_(True)
    when=answer("equipment").includes("fire") & answer("age").is_not("under_16")

A condition can say which answers make it true and which make it false, so the tests can
walk every branch of a journey without being told how.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Answers = dict[str, Any]


class Condition:
    def holds(self, answers: Answers) -> bool:
        raise NotImplementedError

    def names(self) -> set[str]:
        """The answers it reads."""
        raise NotImplementedError

    def answers_making(self, outcome: bool) -> Iterator[Answers]:
        """Answers (to the questions it reads) under which it is `outcome`, where it can
        say; the tests try each."""
        raise NotImplementedError

    def __and__(self, other: Condition) -> Condition:
        return Both(self, other)

    def __or__(self, other: Condition) -> Condition:
        return Either(self, other)

    def __invert__(self) -> Condition:
        return Not(self)


@dataclass(frozen=True)
class Is(Condition):
    name: str
    value: Any
    negated: bool = False

    def holds(self, answers: Answers) -> bool:
        return bool(answers.get(self.name) == self.value) != self.negated

    def names(self) -> set[str]:
        return {self.name}

    def answers_making(self, outcome: bool) -> Iterator[Answers]:
        if outcome != self.negated:
            yield {self.name: self.value}
        else:
            yield {self.name: _other_than(self.value)}


@dataclass(frozen=True)
class Includes(Condition):
    """For Checkboxes: the answer includes `value`."""

    name: str
    value: str

    def holds(self, answers: Answers) -> bool:
        return self.value in (answers.get(self.name) or [])

    def names(self) -> set[str]:
        return {self.name}

    def answers_making(self, outcome: bool) -> Iterator[Answers]:
        yield {self.name: [self.value] if outcome else [_other_than(self.value)]}


@dataclass(frozen=True)
class Both(Condition):
    left: Condition
    right: Condition

    def holds(self, answers: Answers) -> bool:
        return self.left.holds(answers) and self.right.holds(answers)

    def names(self) -> set[str]:
        return self.left.names() | self.right.names()

    def answers_making(self, outcome: bool) -> Iterator[Answers]:
        if outcome:
            for left in self.left.answers_making(True):
                for right in self.right.answers_making(True):
                    yield left | right
        else:
            yield from self.left.answers_making(False)
            yield from self.right.answers_making(False)


@dataclass(frozen=True)
class Either(Condition):
    left: Condition
    right: Condition

    def holds(self, answers: Answers) -> bool:
        return self.left.holds(answers) or self.right.holds(answers)

    def names(self) -> set[str]:
        return self.left.names() | self.right.names()

    def answers_making(self, outcome: bool) -> Iterator[Answers]:
        return Both(Not(self.left), Not(self.right)).answers_making(not outcome)


@dataclass(frozen=True)
class Not(Condition):
    inner: Condition

    def holds(self, answers: Answers) -> bool:
        return not self.inner.holds(answers)

    def names(self) -> set[str]:
        return self.inner.names()

    def answers_making(self, outcome: bool) -> Iterator[Answers]:
        return self.inner.answers_making(not outcome)


@dataclass(frozen=True)
class AnswerTo:
    """The answer to one question, to compare: answer("name").is_(value)."""

    name: str

    def is_(self, value: Any) -> Condition:
        return Is(self.name, value)

    def is_not(self, value: Any) -> Condition:
        return Is(self.name, value, negated=True)

    def includes(self, value: str) -> Condition:
        return Includes(self.name, value)


def answer(name: str) -> AnswerTo:
    return AnswerTo(name)


class Other:
    """Stands for "any other answer" in the tests' walks: the walk picks a real one."""

    def __init__(self, than: Any) -> None:
        self.than = than

    def __repr__(self) -> str:
        return f"any answer but {self.than!r}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Other) and other.than == self.than

    def __hash__(self) -> int:
        return hash(("other", repr(self.than)))


def _other_than(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    return Other(value)
