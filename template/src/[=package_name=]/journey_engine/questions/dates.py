"""GOV.UK's date input, with rules on how early or late a date may be."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from flask_babel import format_date
from markupsafe import Markup
from wtforms import Field, Form
from wtforms.validators import ValidationError

from ...forms import GovUKDateField
from ...text import _, sentence_start
from .base import Answers, Fields, FormData, Question, heading_legend, rendered

UK = ZoneInfo("Europe/London")


def today_in_the_uk() -> date:
    return datetime.now(UK).date()


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True, kw_only=True)
class Date(Question):
    """GOV.UK's date input. `earliest` and `latest` may be dates, or functions of today
    (for a date that moves, like "16 years ago"); `past` and `future` ask for a date
    before or after today."""

    earliest: date | Callable[[date], date] | None = None
    latest: date | Callable[[date], date] | None = None
    past: bool = False
    future: bool = False
    kind: ClassVar[str] = "date"

    @property
    def first_field_id(self) -> str:
        return f"{self.name}-day"

    def required_message(self) -> str:
        return self.message("required", _("Enter %(subject)s", subject=self.about()))

    def limit(self, bound: date | Callable[[date], date] | None, today: date) -> date | None:
        return bound(today) if callable(bound) else bound

    def too_early_message(self, earliest: date) -> str:
        return self.message(
            "too_early",
            _(
                "%(subject)s must be the same as or after %(date)s",
                subject=sentence_start(self.about()),
                date=format_date(earliest, "d MMMM y"),
            ),
        )

    def too_late_message(self, latest: date) -> str:
        return self.message(
            "too_late",
            _(
                "%(subject)s must be the same as or before %(date)s",
                subject=sentence_start(self.about()),
                date=format_date(latest, "d MMMM y"),
            ),
        )

    def check_range(self, _form: Form, field: Field) -> None:
        day, today = field.data, today_in_the_uk()
        if self.past and day >= today:
            raise ValidationError(
                self.message(
                    "not_past",
                    _("%(subject)s must be in the past", subject=sentence_start(self.about())),
                )
            )
        if self.future and day <= today:
            raise ValidationError(
                self.message(
                    "not_future",
                    _("%(subject)s must be in the future", subject=sentence_start(self.about())),
                )
            )
        earliest, latest = self.limit(self.earliest, today), self.limit(self.latest, today)
        if earliest is not None and day < earliest:
            raise ValidationError(self.too_early_message(earliest))
        if latest is not None and day > latest:
            raise ValidationError(self.too_late_message(latest))

    def fields(self) -> Fields:
        return {
            self.name: GovUKDateField(
                self.label,
                subject=sentence_start(self.about()),
                required_message=self.required_message(),
                description=self.hint or _("For example, 27 3 2007"),
                validators=[self.check_range, *self.rules],
            )
        }

    def render(self, form: Form, *, heading: bool = True) -> Markup:
        return rendered(
            form[self.name](params={"fieldset": heading_legend(self.label, heading=heading)})
        )

    def answer(self, form: Form) -> Answers:
        return {self.name: form[self.name].data.isoformat()}

    def form_data(self, answers: Answers) -> FormData:
        value = answers.get(self.name)
        if not value:
            return {self.name: ["", "", ""]}
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return {self.name: [str(day.day), str(day.month), str(day.year)]}

    def summary(self, answers: Answers) -> list[str]:
        if self.describe is not None:
            return self.describe(answers)
        value = answers.get(self.name)
        return [format_date(date.fromisoformat(value), "d MMMM y")] if value else []

    def bad_answers(self) -> list[tuple[FormData, str]]:
        subject = sentence_start(self.about())
        return [
            ({self.name: ["", "", ""]}, self.required_message()),
            (
                {self.name: ["31", "2", "2001"]},
                _("%(subject)s must be a real date", subject=subject),
            ),
            (
                {self.name: ["1", "", "2001"]},
                _("%(subject)s must include a month", subject=subject),
            ),
        ]
