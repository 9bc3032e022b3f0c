"""Questions answered by choosing: radios (with follow-up questions), yes or no,
checkboxes, and a select box."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from markupsafe import Markup
from wtforms import Field, Form, SelectChoice, SelectField
from wtforms.validators import StopValidation, ValidationError

from ...forms import GovUKCheckboxesField, GovUKRadioField
from ...text import _
from ...widgets import GovSelect
from .base import (
    Answers,
    Fields,
    FormData,
    Params,
    Question,
    Rule,
    heading_label,
    heading_legend,
    rendered,
)


@dataclass(frozen=True)
class Choice:
    """One answer to a Radios, Checkboxes or Select question. Under Radios, `follow_up`
    is a question asked only when this answer is chosen (GOV.UK's conditional reveal)."""

    value: str
    label: str
    hint: str | None = None
    follow_up: Question | None = None


def _default_choice_message(question: Question) -> str:
    return _("Select %(subject)s", subject=question.about())


@dataclass(frozen=True, kw_only=True)
class Radios(Question):
    """One answer from a short list (GOV.UK's Radios), with follow-up questions."""

    choices: Sequence[Choice] = ()
    inline: bool = False
    kind: ClassVar[str] = "radios"

    @property
    def first_field_id(self) -> str:
        return self.name

    @property
    def follow_ups(self) -> list[tuple[Choice, Question]]:
        return [(choice, choice.follow_up) for choice in self.choices if choice.follow_up]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *(name for _, follow in self.follow_ups for name in follow.names))

    def required_message(self) -> str:
        return self.message("required", _default_choice_message(self))

    def saved(self, posted: str) -> Any:
        return posted

    def posted(self, value: Any) -> str:
        return "" if value is None else str(value)

    def fields(self) -> Fields:
        fields = {
            self.name: GovUKRadioField(
                self.label,
                choices=[SelectChoice(choice.value, choice.label) for choice in self.choices],
                description=self.hint,
                required_message=self.required_message(),
                validators=list(self.rules),
            )
        }
        for choice, follow in self.follow_ups:
            for name, unbound in follow.fields().items():
                fields[name] = unbound
                # Asked, and so checked, only when its answer is chosen.
                unbound.kwargs["validators"] = [
                    only_when(self.name, choice.value),
                    *unbound.kwargs.get("validators", []),
                ]
        return fields

    def items(self, form: Form) -> list[Params]:
        items: list[Params] = []
        for choice in self.choices:
            item: Params = {}
            if choice.hint:
                item["hint"] = {"text": choice.hint}
            if choice.follow_up is not None:
                item["conditional"] = {"html": choice.follow_up.render(form, heading=False)}
            items.append(item)
        return items

    def render(self, form: Form, *, heading: bool = True) -> Markup:
        params: Params = {
            "fieldset": heading_legend(self.label, heading=heading),
            "items": self.items(form),
        }
        if self.inline and not self.follow_ups:
            params["classes"] = "govuk-radios--inline"
        return rendered(form[self.name](params=params))

    def answer(self, form: Form) -> Answers:
        chosen = form[self.name].data
        answers: Answers = {self.name: self.saved(chosen)}
        for choice, follow in self.follow_ups:
            for name in follow.names:
                answers[name] = None
            if choice.value == chosen:
                answers |= follow.answer(form)
        return answers

    def form_data(self, answers: Answers) -> FormData:
        chosen = self.posted(answers.get(self.name))
        data: FormData = {self.name: chosen}
        for choice, follow in self.follow_ups:
            if choice.value == chosen:
                data |= follow.form_data(answers)
        return data

    def label_of(self, value: Any) -> str:
        posted = self.posted(value)
        return next((choice.label for choice in self.choices if choice.value == posted), posted)

    def summary(self, answers: Answers) -> list[str]:
        if self.describe is not None:
            return self.describe(answers)
        lines = [self.label_of(answers.get(self.name))]
        for choice, follow in self.follow_ups:
            if self.posted(answers.get(self.name)) == choice.value:
                lines += follow.summary(answers)
        return lines

    def bad_answers(self) -> list[tuple[FormData, str]]:
        bad: list[tuple[FormData, str]] = [] if self.optional else [({}, self.required_message())]
        for choice, follow in self.follow_ups:
            for data, message in follow.bad_answers():
                bad.append(({self.name: choice.value, **data}, message))
        return bad


def only_when(name: str, value: str) -> Rule:
    """A follow-up question's first rule: when its answer is not chosen, it is not asked,
    so its other rules are skipped and what was typed in it is dropped."""

    def check(form: Form, field: Field) -> None:
        if form[name].data != value:
            field.errors = ()
            field.data = None
            raise StopValidation()

    return check


@dataclass(frozen=True, kw_only=True)
class YesNo(Radios):
    """A yes or no question, saved as true or false. `if_yes` and `if_no` are follow-up
    questions asked under that answer. `yes` and `no` are the answers' words, where the
    question needs others (Welsh answers a question with its verb: "Bydd", "Na fydd")."""

    if_yes: Question | None = None
    if_no: Question | None = None
    yes: str | None = None
    no: str | None = None
    inline: bool = True
    kind: ClassVar[str] = "yes_no"

    def __post_init__(self) -> None:
        choices = (
            Choice("yes", self.yes or _("Yes"), follow_up=self.if_yes),
            Choice("no", self.no or _("No"), follow_up=self.if_no),
        )
        object.__setattr__(self, "choices", choices)

    def required_message(self) -> str:
        return self.message("required", _("Select yes if %(subject)s", subject=self.about()))

    def saved(self, posted: str) -> Any:
        return posted == "yes"

    def posted(self, value: Any) -> str:
        return "" if value is None else ("yes" if value else "no")


@dataclass(frozen=True, kw_only=True)
class Checkboxes(Question):
    """Any number of answers from a list (GOV.UK's Checkboxes), saved as a list."""

    choices: Sequence[Choice] = ()
    kind: ClassVar[str] = "checkboxes"

    @property
    def first_field_id(self) -> str:
        return self.name

    def required_message(self) -> str:
        return self.message("required", _default_choice_message(self))

    def fields(self) -> Fields:
        return {
            self.name: GovUKCheckboxesField(
                self.label,
                choices=[SelectChoice(choice.value, choice.label) for choice in self.choices],
                description=self.hint,
                required_message=self.required_message(),
                validators=list(self.rules),
            )
        }

    def render(self, form: Form, *, heading: bool = True) -> Markup:
        items = [{"hint": {"text": choice.hint}} if choice.hint else {} for choice in self.choices]
        return rendered(
            form[self.name](
                params={"fieldset": heading_legend(self.label, heading=heading), "items": items}
            )
        )

    def answer(self, form: Form) -> Answers:
        return {self.name: list(form[self.name].data or [])}

    def form_data(self, answers: Answers) -> FormData:
        return {self.name: [str(value) for value in answers.get(self.name) or []]}

    def summary(self, answers: Answers) -> list[str]:
        if self.describe is not None:
            return self.describe(answers)
        labels = {choice.value: choice.label for choice in self.choices}
        return [labels.get(value, value) for value in answers.get(self.name) or []]


@dataclass(frozen=True, kw_only=True)
class Select(Question):
    """One answer from a longer list, as a select box. The Design System prefers Radios
    where they fit: use a Select only for long lists people know their answer in."""

    choices: Sequence[Choice] = ()
    kind: ClassVar[str] = "select"

    def required_message(self) -> str:
        return self.message("required", _default_choice_message(self))

    def check_choice(self, _form: Form, field: Field) -> None:
        if field.data not in {choice.value for choice in self.choices}:
            raise ValidationError(self.required_message())

    def fields(self) -> Fields:
        choices = [
            SelectChoice("", _("Choose")),
            *(SelectChoice(choice.value, choice.label) for choice in self.choices),
        ]
        return {
            self.name: SelectField(
                self.label,
                choices=choices,
                description=self.hint,
                widget=GovSelect(),
                validate_choice=False,
                validators=[*self.presence(), self.check_choice, *self.rules],
            )
        }

    def render(self, form: Form, *, heading: bool = True) -> Markup:
        return rendered(
            form[self.name](params={"label": heading_label(self.label, heading=heading)})
        )

    def summary(self, answers: Answers) -> list[str]:
        if self.describe is not None:
            return self.describe(answers)
        labels = {choice.value: choice.label for choice in self.choices}
        value = answers.get(self.name)
        return [labels.get(value, str(value))] if value else []
