"""Questions answered by typing: text, email, telephone, number, and several lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from markupsafe import Markup
from wtforms import Field, Form, StringField, TextAreaField
from wtforms.validators import Email as EmailAddress
from wtforms.validators import Length, ValidationError

from ...text import _, sentence_start
from ...widgets import GovCharacterCount, GovTextArea, GovTextInput
from .base import Answers, Fields, FormData, Params, Question, heading_label, rendered


@dataclass(frozen=True, kw_only=True)
class Text(Question):
    """A text input (GOV.UK's Text input component)."""

    max_length: int = 100
    autocomplete: str | None = None
    spellcheck: bool | None = None
    width: str | None = None  # a GOV.UK width class, such as "govuk-input--width-10"
    input_type: ClassVar[str] = "text"
    kind: ClassVar[str] = "text"

    def too_long_message(self) -> str:
        return self.message(
            "too_long",
            _(
                "%(subject)s must be %(most)d characters or fewer",
                subject=sentence_start(self.about()),
                most=self.max_length,
            ),
        )

    def validators(self) -> list[Any]:
        return [*self.presence(), Length(max=self.max_length, message=self.too_long_message())]

    def fields(self) -> Fields:
        return {
            self.name: StringField(
                self.label,
                description=self.hint,
                widget=GovTextInput(),
                validators=[*self.validators(), *self.rules],
            )
        }

    def params(self, *, heading: bool) -> Params:
        params: Params = {"label": heading_label(self.label, heading=heading)}
        if self.input_type != "text":
            params["type"] = self.input_type
        if self.autocomplete:
            params["autocomplete"] = self.autocomplete
        if self.spellcheck is not None:
            params["spellcheck"] = self.spellcheck
        if self.width:
            params["classes"] = self.width
        return params

    def render(self, form: Form, *, heading: bool = True) -> Markup:
        return rendered(form[self.name](params=self.params(heading=heading)))

    def bad_answers(self) -> list[tuple[FormData, str]]:
        return [
            *super().bad_answers(),
            ({self.name: "x" * (self.max_length + 1)}, self.too_long_message()),
        ]


@dataclass(frozen=True, kw_only=True)
class Email(Text):
    """An email address, checked for its format (not that it exists)."""

    max_length: int = 254
    autocomplete: str | None = "email"
    spellcheck: bool | None = False
    input_type: ClassVar[str] = "email"
    kind: ClassVar[str] = "email"

    def invalid_message(self) -> str:
        return self.message(
            "invalid", _("Enter an email address in the correct format, like name@example.com")
        )

    def validators(self) -> list[Any]:
        return [
            *super().validators(),
            EmailAddress(self.invalid_message(), check_deliverability=False),
        ]

    def bad_answers(self) -> list[tuple[FormData, str]]:
        return [*super().bad_answers(), ({self.name: "name@"}, self.invalid_message())]


UK_PHONE = re.compile(r"^(\+44|0044|0)\d{9,10}$")
INTERNATIONAL_PHONE = re.compile(r"^(\+|00)[1-9]\d{6,14}$")


@dataclass(frozen=True, kw_only=True)
class Phone(Text):
    """A telephone number: UK numbers, and international ones written with their code."""

    max_length: int = 20
    autocomplete: str | None = "tel"
    width: str | None = "govuk-input--width-20"
    input_type: ClassVar[str] = "tel"
    kind: ClassVar[str] = "phone"

    def invalid_message(self) -> str:
        return self.message(
            "invalid",
            _("Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
        )

    def check_number(self, _form: Form, field: Field) -> None:
        digits = re.sub(r"[\s().-]", "", field.data or "")
        if field.data and not (UK_PHONE.match(digits) or INTERNATIONAL_PHONE.match(digits)):
            raise ValidationError(self.invalid_message())

    def validators(self) -> list[Any]:
        return [*super().validators(), self.check_number]

    def bad_answers(self) -> list[tuple[FormData, str]]:
        return [*super().bad_answers(), ({self.name: "12345"}, self.invalid_message())]


@dataclass(frozen=True, kw_only=True)
class Number(Text):
    """A number: whole unless `whole=False`, between `minimum` and `maximum` if given."""

    whole: bool = True
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    max_length: int = 20
    width: str | None = "govuk-input--width-5"
    kind: ClassVar[str] = "number"

    def not_a_number_message(self) -> str:
        if self.whole:
            return self.message(
                "not_whole",
                _("%(subject)s must be a whole number", subject=sentence_start(self.about())),
            )
        return self.message(
            "invalid", _("%(subject)s must be a number", subject=sentence_start(self.about()))
        )

    def too_small_message(self) -> str:
        return self.message(
            "too_small",
            _(
                "%(subject)s must be %(least)s or more",
                subject=sentence_start(self.about()),
                least=self.minimum,
            ),
        )

    def too_big_message(self) -> str:
        return self.message(
            "too_big",
            _(
                "%(subject)s must be %(most)s or fewer",
                subject=sentence_start(self.about()),
                most=self.maximum,
            ),
        )

    def parsed(self, text: str) -> int | Decimal | None:
        cleaned = text.replace(",", "").strip()
        if self.whole:
            return int(cleaned) if re.fullmatch(r"-?\d+", cleaned) else None
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None

    def check_number(self, _form: Form, field: Field) -> None:
        if not field.data:
            return
        number = self.parsed(field.data)
        if number is None:
            raise ValidationError(self.not_a_number_message())
        if self.minimum is not None and number < self.minimum:
            raise ValidationError(self.too_small_message())
        if self.maximum is not None and number > self.maximum:
            raise ValidationError(self.too_big_message())

    def validators(self) -> list[Any]:
        return [*self.presence(), Length(max=self.max_length), self.check_number]

    def params(self, *, heading: bool) -> Params:
        return {
            **super().params(heading=heading),
            "inputmode": "numeric" if self.whole else "decimal",
        }

    def answer(self, form: Form) -> Answers:
        number = self.parsed(form[self.name].data or "")
        value = number if isinstance(number, int) or number is None else str(number)
        return {self.name: value}

    def bad_answers(self) -> list[tuple[FormData, str]]:
        bad: list[tuple[FormData, str]] = [
            *Question.bad_answers(self),
            ({self.name: "twelve"}, self.not_a_number_message()),
        ]
        if self.maximum is not None:
            bad.append(({self.name: str(self.maximum + 1)}, self.too_big_message()))
        if self.minimum is not None:
            bad.append(({self.name: str(self.minimum - 1)}, self.too_small_message()))
        return bad


@dataclass(frozen=True, kw_only=True)
class Textarea(Question):
    """Several lines of text, with a character count when `max_length` is given."""

    max_length: int | None = 1200
    rows: int = 5
    kind: ClassVar[str] = "textarea"

    def too_long_message(self) -> str:
        return self.message(
            "too_long",
            _(
                "%(subject)s must be %(most)d characters or fewer",
                subject=sentence_start(self.about()),
                most=self.max_length or 0,
            ),
        )

    def fields(self) -> Fields:
        validators = self.presence()
        if self.max_length:
            validators.append(Length(max=self.max_length, message=self.too_long_message()))
        widget = GovCharacterCount() if self.max_length else GovTextArea()
        return {
            self.name: TextAreaField(
                self.label,
                description=self.hint,
                widget=widget,
                validators=[*validators, *self.rules],
            )
        }

    def render(self, form: Form, *, heading: bool = True) -> Markup:
        params: Params = {"label": heading_label(self.label, heading=heading), "rows": self.rows}
        if self.max_length:
            params["maxlength"] = self.max_length
        return rendered(form[self.name](params=params))

    def summary(self, answers: Answers) -> list[str]:
        if self.describe is not None:
            return self.describe(answers)
        return list(str(answers.get(self.name) or "").splitlines())

    def bad_answers(self) -> list[tuple[FormData, str]]:
        bad = super().bad_answers()
        if self.max_length:
            bad.append(({self.name: "x" * (self.max_length + 1)}, self.too_long_message()))
        return bad
