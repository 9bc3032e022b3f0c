"""What every question has, and the pieces questions are built from.

A question says what it asks (`label`, `hint`), its rules, the messages for them (GOV.UK's
wording made from `subject` when not given), how its answer reads on check answers
(`summary_label`), and an `example` answer the tests send. Its answer is plain JSON,
saved under its `name` (and its follow-up questions' names).

Every rule's message can be replaced through `errors`, keyed by the rule's name:
`required`, `too_long`, `invalid`, `not_past`, `not_future`, `too_early`, `too_late`,
`too_small`, `too_big`, `not_whole`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from markupsafe import Markup
from wtforms import Field, Form
from wtforms.validators import DataRequired, Optional

from ...text import _, lazily

Answers = dict[str, Any]
# WTForms' fields as a form class declares them (StringField(...) and the like).
Fields = dict[str, Any]
FormData = dict[str, str | list[str]]
Params = dict[str, Any]
# A rule of your own: given the field (its cleaned value in `field.data`), raise
# wtforms.validators.ValidationError with the message to show.
Rule = Callable[[Form, Field], None]


def heading_label(text: str, *, heading: bool) -> Params:
    """A label that is the page's heading, as the Design System's question pages have."""
    if heading:
        return {"text": text, "isPageHeading": True, "classes": "govuk-label--l"}
    return {"text": text, "classes": "govuk-label--s"}


def heading_legend(text: str, *, heading: bool) -> Params:
    if heading:
        return {
            "legend": {"text": text, "isPageHeading": True, "classes": "govuk-fieldset__legend--l"}
        }
    return {"legend": {"text": text, "classes": "govuk-fieldset__legend--s"}}


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every question has. `name` is the key its answer is saved under."""

    name: str
    label: str
    hint: str | None = None
    subject: str | None = None  # names it in messages: "your full name"
    summary_label: str | None = None  # its row on check answers; the label otherwise
    optional: bool = False
    example: Any = None  # a valid answer, as saved; the tests answer with it
    errors: Mapping[str, str] = field(default_factory=dict)
    rules: Sequence[Rule] = ()  # checks of your own, after the built-in ones
    # How the answer reads on check answers, when the usual way will not do.
    describe: Callable[[Answers], list[str]] | None = None

    kind: ClassVar[str] = "question"

    @property
    def check_answers_label(self) -> str:
        # Not `or`: that would translate a lazy label just to test it.
        return self.label if self.summary_label is None else self.summary_label

    @property
    def names(self) -> tuple[str, ...]:
        """Every answer key this question saves (its follow-ups' too)."""
        return (self.name,)

    @property
    def first_field_id(self) -> str:
        """Where the error summary's link for a missing answer leads."""
        return self.name

    def message(self, rule: str, default: str) -> str:
        return self.errors.get(rule, default)

    def about(self) -> str:
        if self.subject is not None:
            return self.subject
        label = self.check_answers_label
        return lazily(lambda: str(label).lower())

    def required_message(self) -> str:
        return self.message("required", _("Enter %(subject)s", subject=self.about()))

    # --- the form ---------------------------------------------------------------------
    def fields(self) -> Fields:
        raise NotImplementedError

    def render(self, form: Form, *, heading: bool = True) -> Markup:
        raise NotImplementedError

    def answer(self, form: Form) -> Answers:
        """What is saved from a valid form: {name: value}."""
        return {self.name: form[self.name].data}

    def form_data(self, answers: Answers) -> FormData:
        """What a browser posts to give these answers (and what a page is filled in with)."""
        value = answers.get(self.name)
        return {self.name: "" if value is None else str(value)}

    def summary(self, answers: Answers) -> list[str]:
        """Lines that show the answer on check answers."""
        if self.describe is not None:
            return self.describe(answers)
        value = answers.get(self.name)
        return [] if value in (None, "") else [str(value)]

    def bad_answers(self) -> list[tuple[FormData, str]]:
        """Posts that break a rule, each with the message it must show."""
        if self.optional:
            return []
        return [({}, self.required_message())]

    def presence(self) -> list[Any]:
        return [Optional()] if self.optional else [DataRequired(self.required_message())]


def rendered(html: object) -> Markup:
    """What a GOV.UK widget or macro gives back: markup it has escaped already."""
    if not isinstance(html, Markup):
        raise TypeError(f"expected escaped markup from a GOV.UK widget, not {type(html)}")
    return html
