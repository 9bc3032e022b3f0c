"""A journey, declared: its pages in order, each asking one question, some shown only
when earlier answers say so, some ending the journey, some asking for several things.

    JOURNEY = Journey(
        "apply",
        pages=[
            Page("name", Text(name="full_name", label=_("What is your full name?"), ...)),
            Page("too-young", ExitPage(...), when=answer("over_16").is_(False)),
            ...
        ],
    )

A journey checks itself when it is made: a mistake in it stops the service starting,
with a message that names the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..text import _, sentence_start
from .conditions import Condition
from .questions import Answers, Question

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
NAME = re.compile(r"^[a-z][a-z0-9_]*\Z")
# Paths the engine answers itself, under the journey's own.
RESERVED_SLUGS = frozenset({"check-your-answers", "confirmation"})


@dataclass(frozen=True)
class Exit:
    """A page that ends the journey: "You cannot use this service because..."."""

    heading: str
    paragraphs: Sequence[str] = ()


@dataclass(frozen=True)
class AddAnother:
    """GOV.UK's "Add multiple things" pattern: `questions` asked together for each thing,
    a list of those added with Change and Remove, and "Do you need to add another?".

    `thing` and `things` name one and several ("person", "people"); `heading` is each
    thing's page heading. The answer is a list of {name: value}, one per thing.
    """

    name: str  # the key the list is saved under
    questions: Sequence[Question]
    thing: str
    things: str
    heading: str
    minimum: int = 1
    maximum: int = 10
    summary_label: str | None = None  # its rows on check answers: "Person 1", "Person 2"
    example: Sequence[Answers] | None = None  # the tests add these; one of each example otherwise

    def examples(self) -> list[Answers]:
        if self.example is not None:
            return [dict(item) for item in self.example]
        return [{question.name: question.example for question in self.questions}]

    @property
    def label(self) -> str:
        return self.heading

    def item_label(self, number: int) -> str:
        """How the list names one of its things, in summaries: "Person 2"."""
        return f"{self.summary_label or sentence_start(self.thing)} {number}"


@dataclass(frozen=True)
class Page:
    """One page of a journey: a URL (`slug`) and what it asks.

    `when` shows it only when earlier answers say so. `section` groups its answer on check
    answers. `template` names a template of your own for the page (one that extends
    "journey_engine/question.html"), for what the declarations cannot say.
    """

    slug: str
    ask: Question | AddAnother | Exit
    when: Condition | None = None
    section: str | None = None
    template: str | None = None

    @property
    def question(self) -> Question | None:
        return self.ask if isinstance(self.ask, Question) else None

    @property
    def add_another(self) -> AddAnother | None:
        return self.ask if isinstance(self.ask, AddAnother) else None

    @property
    def exit(self) -> Exit | None:
        return self.ask if isinstance(self.ask, Exit) else None

    @property
    def names(self) -> tuple[str, ...]:
        """The answer keys this page saves."""
        if isinstance(self.ask, Question):
            return self.ask.names
        if isinstance(self.ask, AddAnother):
            return (self.ask.name,)
        return ()

    def shown(self, answers: Answers) -> bool:
        return self.when is None or self.when.holds(answers)


@dataclass(frozen=True)
class Applicant:
    """Which answers say who the application is from, for the features that contact them
    (a confirmation email, a page for paying a fee): the names of those questions."""

    name: str | None = None
    email: str | None = None
    address: str | None = None

    def of(self, answers: Answers) -> dict[str, Any]:
        return {
            "name": answers.get(self.name) if self.name else None,
            "email": answers.get(self.email) if self.email else None,
            "address": answers.get(self.address) if self.address else None,
        }


@dataclass(frozen=True)
class Journey:
    """A journey: its `name` is its URL (/name) and how its applications are told apart; `version`
    goes with every application sent, so you can tell answers to an older set of questions
    apart. Raise it when a question's meaning changes."""

    name: str
    pages: Sequence[Page]
    version: int = 1
    applicant: Applicant = field(default_factory=Applicant)
    check_answers_heading: str = field(
        default_factory=lambda: _("Check your answers before sending your application")
    )
    declaration: Sequence[str] = field(
        default_factory=lambda: [
            _(
                "By sending this application you are confirming that, to the best of your "
                "knowledge, the details you are providing are correct."
            )
        ]
    )
    confirmation_heading: str = field(default_factory=lambda: _("Application complete"))
    # What the confirmation page says happens next: paragraphs, which may use
    # %(organisation)s and %(service)s.
    what_happens_next: Sequence[str] = ()

    def __post_init__(self) -> None:
        problems = list(self.problems())
        if problems:
            raise ValueError(f"The journey {self.name!r} cannot be used: " + "; ".join(problems))

    @property
    def url_prefix(self) -> str:
        return f"/{self.name}"

    def page(self, slug: str) -> Page | None:
        return next((page for page in self.pages if page.slug == slug), None)

    def question_pages(self) -> list[Page]:
        return [page for page in self.pages if page.exit is None]

    def problems(self) -> list[str]:
        problems: list[str] = []
        if not SLUG.match(self.name) or self.name in {"static", "assets"}:
            problems.append("its name (its URL) must be lowercase letters, digits and hyphens")
        if not self.pages:
            problems.append("it has no pages")
        seen_slugs: set[str] = set()
        asked: set[str] = set()
        for page in self.pages:
            where = f"page {page.slug!r}"
            if not SLUG.match(page.slug):
                problems.append(f"{where}: a slug is lowercase letters, digits and hyphens")
            if page.slug in RESERVED_SLUGS or page.slug in seen_slugs:
                problems.append(f"{where}: the slug is used already")
            seen_slugs.add(page.slug)
            if page.when is not None and (unknown := page.when.names() - asked):
                problems.append(
                    f"{where}: `when` reads answers not asked before it: {sorted(unknown)}"
                )
            if page.exit is not None and page.when is None:
                problems.append(f"{where}: an exit page needs `when`, or no one could finish")
            if isinstance(page.ask, AddAnother):
                item_names = [name for question in page.ask.questions for name in question.names]
                if len(set(item_names)) != len(item_names):
                    problems.append(f"{where}: its questions' names must differ")
            for name in page.names:
                if not NAME.match(name):
                    problems.append(
                        f"{where}: the answer name {name!r} is not lowercase_with_underscores"
                    )
                if name in asked:
                    problems.append(f"{where}: the answer name {name!r} is used twice")
                asked.add(name)
        for role, name in vars(self.applicant).items():
            if name is not None and name not in asked:
                problems.append(f"applicant's {role} is {name!r}, which no page asks")
        return problems
