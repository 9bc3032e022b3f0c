"""GOV.UK's address pattern, for a UK address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from flask import current_app
from markupsafe import Markup
from wtforms import Form, StringField
from wtforms.validators import DataRequired, Length, Optional

from ...forms import uk_postcode
from ...text import _
from ...widgets import GovTextInput
from .base import Answers, Fields, FormData, Question, heading_legend, rendered

ADDRESS_LINES = ("line_1", "line_2", "town", "county", "postcode")


@dataclass(frozen=True, kw_only=True)
class Address(Question):
    """A UK address (GOV.UK's Address pattern), saved as {line_1, line_2, town, county,
    postcode}, the postcode in its usual form (SW1A 1AA)."""

    kind: ClassVar[str] = "address"

    @property
    def first_field_id(self) -> str:
        return self.part("line_1")

    def part(self, line: str) -> str:
        return f"{self.name}_{line}"

    def line(self, label: str, required: str | None) -> Any:
        presence = DataRequired(required) if required else Optional()
        too_long = _("%(label)s must be 100 characters or fewer", label=label)
        return StringField(
            label, widget=GovTextInput(), validators=[presence, Length(max=100, message=too_long)]
        )

    def fields(self) -> Fields:
        optional = self.optional
        return {
            self.part("line_1"): self.line(
                _("Address line 1"),
                None
                if optional
                else self.message(
                    "required", _("Enter address line 1, typically the building and street")
                ),
            ),
            self.part("line_2"): self.line(_("Address line 2 (optional)"), None),
            self.part("town"): self.line(
                _("Town or city"),
                None if optional else self.message("town", _("Enter town or city")),
            ),
            self.part("county"): self.line(_("County (optional)"), None),
            self.part("postcode"): StringField(
                _("Postcode"),
                widget=GovTextInput(),
                validators=[
                    Optional()
                    if optional
                    else DataRequired(self.message("postcode", _("Enter postcode"))),
                    Length(max=10, message=_("Enter a full UK postcode")),
                    uk_postcode,
                ],
            ),
        }

    def render(self, form: Form, *, heading: bool = True) -> Markup:
        widths = {
            "town": "govuk-!-width-two-thirds",
            "county": "govuk-!-width-two-thirds",
            "postcode": "govuk-input--width-10",
        }
        autocomplete = {
            "line_1": "address-line1",
            "line_2": "address-line2",
            "town": "address-level2",
            "postcode": "postal-code",
        }
        parts = Markup("").join(
            form[self.part(line)](
                params={
                    **({"autocomplete": autocomplete[line]} if line in autocomplete else {}),
                    **({"classes": widths[line]} if line in widths else {}),
                }
            )
            for line in ADDRESS_LINES
        )
        return rendered(
            fieldset_macro()({**heading_legend(self.label, heading=heading), "html": parts})
        )

    def answer(self, form: Form) -> Answers:
        return {self.name: {line: form[self.part(line)].data or "" for line in ADDRESS_LINES}}

    def form_data(self, answers: Answers) -> FormData:
        address = answers.get(self.name) or {}
        return {self.part(line): str(address.get(line) or "") for line in ADDRESS_LINES}

    def summary(self, answers: Answers) -> list[str]:
        if self.describe is not None:
            return self.describe(answers)
        address = answers.get(self.name) or {}
        return [str(address[line]) for line in ADDRESS_LINES if address.get(line)]

    def bad_answers(self) -> list[tuple[FormData, str]]:
        if self.optional:
            return []
        complete = self.form_data(
            {self.name: {"line_1": "1 High Street", "town": "Leeds", "postcode": "LS1 1AB"}}
        )
        return [
            (
                {},
                self.message(
                    "required", _("Enter address line 1, typically the building and street")
                ),
            ),
            ({**complete, self.part("postcode"): "LS1"}, _("Enter a full UK postcode")),
        ]


def fieldset_macro() -> Callable[..., str]:
    """GOV.UK Frontend's fieldset macro, to wrap the address's inputs."""
    module = current_app.jinja_env.get_template(
        "govuk_frontend_jinja/components/fieldset/macro.html"
    ).module
    macro: Callable[..., str] = module.govukFieldset  # type: ignore[attr-defined]
    return macro
