"""Form building blocks that follow the GOV.UK Design System's patterns and messages.

`GovUKForm` cleans every text answer before validation. `GovUKDateField` is the date input
pattern with GOV.UK's error messages. `GovUKRadioField` and `GovUKCheckboxesField` give an
answer that is not one of the choices (only a tampered form can send one) the same message
as no answer. `uk_postcode` checks and tidies a UK postcode.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

from babel.support import NullTranslations, Translations
from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from wtforms import Field, Form, RadioField, SelectMultipleField
from wtforms.i18n import messages_path
from wtforms.validators import StopValidation, ValidationError

from .text import _, page_language
from .widgets import GovCheckboxesInput, GovDateInput, GovRadioInput

# Control characters break PostgreSQL text columns (NUL) and mean nothing to a reader.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# Welsh month names and their usual short forms, so either language's can be typed.
MONTHS |= {
    name: number
    for number, names in enumerate(
        (
            ("ion", "ionawr"),
            ("chwe", "chwef", "chwefror"),
            ("maw", "mawrth"),
            ("ebr", "ebrill"),
            ("mai",),
            ("meh", "mehefin"),
            ("gor", "gorff", "gorffennaf"),
            ("awst",),
            ("medi",),
            ("hyd", "hydref"),
            ("tach", "tachwedd"),
            ("rhag", "rhagfyr"),
        ),
        start=1,
    )
    for name in names
}
DATE_PARTS = ("day", "month", "year")
UK_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$")


def clean_text(value: Any) -> Any:
    """Trim text, use \\n for new lines (as the character count does) and drop control
    characters. Anything that is not text passes through."""
    if not isinstance(value, str):
        return value
    return CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n")).strip()


@cache
def wtforms_translations(language: str) -> NullTranslations:
    return Translations.load(messages_path(), [language], domain="wtforms")


class GovUKForm(FlaskForm):
    class Meta:
        # CSRFProtect checks the token of every form posted before any view runs, and each
        # page writes it with csrf_token(). A token field of the form's own would sign a
        # new token on every post, to check it a second time.
        csrf = False

        def bind_field(self, form: Form, unbound_field: Any, options: dict[str, Any]) -> Field:
            # Every field, including ones added later, gets clean_text first.
            filters = [clean_text, *unbound_field.kwargs.get("filters", ())]
            bound: Field = unbound_field.bind(form=form, **options, filters=filters)
            return bound

        def get_translations(self, _form: Form) -> NullTranslations:
            # WTForms' own messages in the page's language. Flask-WTF reads their
            # catalogue from disk for every request; it never changes, so once is enough.
            return wtforms_translations(page_language())

    def error_summary(self) -> dict[str, Any]:
        """Parameters for govukErrorSummary, each error linking to its input."""
        summary: dict[str, Any] = wtforms_errors(self, {"titleText": _("There is a problem")})
        anchors = {
            f"#{field.id}": f"#{anchor}"
            for field in self
            if (anchor := getattr(field, "error_anchor", None))
        }
        for error in summary["errorList"]:
            error["href"] = anchors.get(error["href"], error["href"])
        return summary


class GovUKDateField(Field):
    """Day, month and year inputs, checked with the GOV.UK date input's messages.

    `subject` names the date in messages ("Date of birth must be a real date").
    Months may be numbers or names ("3", "mar", "March").
    """

    widget = GovDateInput()

    def __init__(self, label: str, *, subject: str, required_message: str, **kwargs: Any):
        super().__init__(label, **kwargs)
        self.subject = subject
        self.required_message = required_message
        self.error_anchor = f"{self.id}-day"

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if isinstance(self.data, date) else ""

    def pre_validate(self, form: Form) -> None:  # noqa: ARG002 - WTForms passes the form
        # The date could not be read: its message is already there; other checks can't run.
        if self.process_errors:
            raise StopValidation()

    def process_formdata(self, valuelist: list[Any]) -> None:
        # The widget shows exactly three boxes, whatever was posted.
        parts = [clean_text(value) if isinstance(value, str) else "" for value in valuelist]
        self.raw_data = [*parts, "", "", ""][:3]
        self.data = None
        day, month, year = self.raw_data
        missing = [name for name, part in zip(DATE_PARTS, self.raw_data, strict=True) if not part]
        if len(missing) == len(DATE_PARTS):
            raise ValueError(self.required_message)
        if missing:
            self.error_anchor = f"{self.id}-{missing[0]}"
            raise ValueError(missing_parts_message(self.subject, tuple(missing)))
        if not (year.isdigit() and len(year) == 4):
            self.error_anchor = f"{self.id}-year"
            raise ValueError(_("Year must include 4 numbers"))
        month_number = MONTHS.get(month.lower()) or (int(month) if month.isdigit() else 0)
        try:
            self.data = date(int(year), month_number, int(day) if day.isdigit() else 0)
        except ValueError:
            raise ValueError(_("%(subject)s must be a real date", subject=self.subject)) from None


def missing_parts_message(subject: str, missing: tuple[str, ...]) -> str:
    """GOV.UK's message for a date missing some parts, whole, so it can be translated."""
    messages = {
        ("day",): _("%(subject)s must include a day", subject=subject),
        ("month",): _("%(subject)s must include a month", subject=subject),
        ("year",): _("%(subject)s must include a year", subject=subject),
        ("day", "month"): _("%(subject)s must include a day and month", subject=subject),
        ("day", "year"): _("%(subject)s must include a day and year", subject=subject),
        ("month", "year"): _("%(subject)s must include a month and year", subject=subject),
    }
    return messages[missing]


class GovUKRadioField(RadioField):
    def __init__(self, label: str, *, required_message: str, **kwargs: Any) -> None:
        super().__init__(label, widget=GovRadioInput(), **kwargs)
        self.required_message = required_message

    def pre_validate(self, form: Form) -> None:  # noqa: ARG002 - WTForms passes the form
        if self.data not in {choice.value for choice in self.choices}:
            raise StopValidation(self.required_message)


class GovUKCheckboxesField(SelectMultipleField):
    def __init__(self, label: str, *, required_message: str, **kwargs: Any) -> None:
        super().__init__(label, widget=GovCheckboxesInput(), **kwargs)
        self.required_message = required_message

    def pre_validate(self, form: Form) -> None:  # noqa: ARG002 - WTForms passes the form
        allowed = {choice.value for choice in self.choices}
        if not self.data or not set(self.data) <= allowed:
            raise StopValidation(self.required_message)


def uk_postcode(_form: Form, field: Field) -> None:
    """Accept any spacing and case; store the postcode in its usual form, like SW1A 1AA."""
    compact = re.sub(r"\s+", "", field.data or "").upper()
    if not UK_POSTCODE.match(compact):
        raise ValidationError(_("Enter a full UK postcode"))
    field.data = f"{compact[:-3]} {compact[-3:]}"
