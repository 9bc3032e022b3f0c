"""The journey's question pages, in order. To add one: write its form in forms.py and its
template in templates/apply/, then add a Question here where it should be asked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .forms import (
    ActForm,
    AddressForm,
    DateOfBirthForm,
    EmailForm,
    EquipmentForm,
    ExperienceForm,
    NameForm,
    QuestionForm,
)

Answers = dict[str, Any]


@dataclass(frozen=True)
class Question:
    slug: str  # its URL: /apply/<slug>, and the key of its answer
    form: type[QuestionForm]
    summary_label: str  # its row on the check answers page

    @property
    def template(self) -> str:
        return f"apply/{self.slug.replace('-', '_')}.html"


QUESTIONS = (
    Question("name", NameForm, "Name"),
    Question("date-of-birth", DateOfBirthForm, "Date of birth"),
    Question("experience", ExperienceForm, "Juggled in public"),
    Question("equipment", EquipmentForm, "What you will juggle"),
    Question("email", EmailForm, "Email address"),
    Question("address", AddressForm, "Address"),
    Question("act", ActForm, "Your act"),
)
BY_SLUG = {question.slug: question for question in QUESTIONS}


def first_unanswered(answers: Answers, before: Question | None = None) -> Question | None:
    """The first question (before `before`, if given) that has no answer yet."""
    for question in QUESTIONS:
        if question == before:
            return None
        if question.slug not in answers:
            return question
    return None


def after(question: Question) -> Question | None:
    position = QUESTIONS.index(question)
    return QUESTIONS[position + 1] if position + 1 < len(QUESTIONS) else None


def before(question: Question) -> Question | None:
    position = QUESTIONS.index(question)
    return QUESTIONS[position - 1] if position > 0 else None
