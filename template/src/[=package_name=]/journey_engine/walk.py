"""Walks through a journey, made from its declaration: what a browser posts on each page,
with the questions' example answers, down every branch. The service's tests and the
template's benchmark follow them, so a team that changes its questions changes no test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .conditions import Other
from .flow import counted_answers
from .pages import Journey, Page
from .questions import Answers, Checkboxes, FormData, Question, Radios, Select

ADD_ANOTHER = "add_another"


@dataclass(frozen=True)
class Visit:
    """One page of a walk: its path, and what is posted there (None: only seen)."""

    path: str
    page: Page
    data: FormData | None
    number: int | None = None  # the thing's number, on an "add another" thing's page

    @property
    def ends_the_journey(self) -> bool:
        return self.page.exit is not None


def example_answers(journey: Journey) -> Answers:
    """Every question's example, whether or not its page is shown with them."""
    answers: Answers = {}
    for page in journey.pages:
        if page.question is not None:
            answers |= _examples_of(page.question)
        elif page.add_another is not None:
            answers[page.add_another.name] = page.add_another.examples()
    return answers


def _examples_of(question: Question) -> Answers:
    examples: Answers = {question.name: question.example}
    if isinstance(question, Radios):
        for _choice, follow in question.follow_ups:
            examples |= _examples_of(follow)
    return examples


def walk(journey: Journey, answers: Answers | None = None) -> list[Visit]:
    """The pages a user answers, in order, to give `answers` (the examples by default):
    up to check answers, or to an exit page that applies."""
    answers = example_answers(journey) if answers is None else answers
    given: Answers = {}
    visits: list[Visit] = []
    for page in journey.pages:
        if not page.shown(counted_answers(journey, given)):
            continue
        path = f"{journey.url_prefix}/{page.slug}"
        if page.exit is not None:
            visits.append(Visit(path, page, None))
            break
        if page.question is not None:
            visits.append(Visit(path, page, page.question.form_data(answers)))
            given |= {name: answers.get(name) for name in page.names}
        elif (things := page.add_another) is not None:
            items = list(answers.get(things.name) or [])
            for number, item in enumerate(items, start=1):
                data: FormData = {}
                for question in things.questions:
                    data |= question.form_data(item)
                visits.append(Visit(f"{path}/{number}", page, data, number))
                more = number < len(items)
                if number < things.maximum:
                    visits.append(Visit(path, page, {ADD_ANOTHER: "yes" if more else "no"}))
                else:
                    visits.append(Visit(path, page, {}))
            given[things.name] = items
    return visits


def branch_walks(journey: Journey) -> dict[str, Answers]:
    """Answers that between them show and hide every page that has a condition: the
    examples, and for each such page, answers that show it and answers that hide it.
    Keyed by what they do ("fire-safety shown")."""
    base = example_answers(journey)
    walks = {"examples": base}
    for page in journey.pages:
        if page.when is None:
            continue
        for outcome, verb in ((True, "shown"), (False, "hidden")):
            reached = _reaching(journey, page, outcome, base)
            if reached is not None:
                walks[f"{page.slug} {verb}"] = reached
    return walks


def _reaching(
    journey: Journey, page: Page, outcome: bool, base: Answers, depth: int = 0
) -> Answers | None:
    """Answers under which `page`'s condition is `outcome`, the questions it reads being
    themselves asked; None when no answers the walk can give do that."""
    if page.when is None or depth > len(journey.pages):
        return None
    for wanted in page.when.answers_making(outcome):
        resolved = {name: _resolve(journey, name, value) for name, value in wanted.items()}
        if any(value is None for value in resolved.values()):
            continue
        answers: Answers | None = base | resolved
        for name in resolved:
            asking = _page_asking(journey, name)
            if answers is None or asking is None or asking.shown(counted_answers(journey, answers)):
                continue
            earlier = _reaching(journey, asking, True, answers, depth + 1)
            answers = None if earlier is None else earlier | resolved
        if answers is not None and page.when.holds(counted_answers(journey, answers)) == outcome:
            return answers
    return None


def _page_asking(journey: Journey, name: str) -> Page | None:
    return next((page for page in journey.pages if name in page.names), None)


def _question_named(journey: Journey, name: str) -> Question | None:
    for page in journey.pages:
        if page.question is None:
            continue
        if page.question.name == name:
            return page.question
        if isinstance(page.question, Radios):
            for _choice, follow in page.question.follow_ups:
                if follow.name == name:
                    return follow
    return None


def _resolve(journey: Journey, name: str, value: Any) -> Any:
    """A real answer for "any answer but X" (a choice that is not X)."""
    if isinstance(value, list):
        items = [_resolve(journey, name, item) for item in value]
        return None if any(item is None for item in items) else items
    if not isinstance(value, Other):
        return value
    question = _question_named(journey, name)
    if isinstance(question, Radios | Checkboxes | Select):
        return next(
            (choice.value for choice in question.choices if choice.value != value.than), None
        )
    return None
