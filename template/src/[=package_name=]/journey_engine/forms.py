"""The forms the engine's pages post: one per question page, made from its question's
fields, and the few the engine asks itself (add another, remove, the declaration)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from ..forms import GovUKForm
from ..text import _
from .pages import AddAnother
from .questions import Question, YesNo


class QuestionForm(GovUKForm):
    """A question page's form; its fields come from the page's questions."""


def form_for(questions: Sequence[Question]) -> type[QuestionForm]:
    fields: dict[str, Any] = {}
    for question in questions:
        fields |= question.fields()
    return type("QuestionForm", (QuestionForm,), fields)


def add_another_question(things: AddAnother) -> YesNo:
    return YesNo(
        name="add_another",
        label=_("Do you need to add another %(thing)s?", thing=things.thing),
        errors={
            "required": _("Select yes if you need to add another %(thing)s", thing=things.thing)
        },
    )


def remove_question(things: AddAnother, number: int) -> YesNo:
    return YesNo(
        name="remove",
        label=_(
            "Are you sure you want to remove %(thing)s %(number)d?",
            thing=things.thing,
            number=number,
        ),
        errors={
            "required": _(
                "Select yes if you want to remove %(thing)s %(number)d",
                thing=things.thing,
                number=number,
            )
        },
    )


class DeclarationForm(GovUKForm):
    """Check answers: the declaration is the button; the key makes sending idempotent."""

    submission_key = HiddenField(validators=[DataRequired(), Length(max=64)])
