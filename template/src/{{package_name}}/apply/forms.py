"""The example journey's questions, one form per page, with GOV.UK's error messages.

Each form says how its answer is saved between pages (`answer`), put back into the form
when the user returns (`prefill`) and shown on the check answers page (`summary`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextInput
from wtforms import Field, HiddenField, SelectChoice, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..forms import (
    GovUKCheckboxesField,
    GovUKDateField,
    GovUKForm,
    GovUKRadioField,
    uk_postcode,
)

Answer = dict[str, Any]
UK = ZoneInfo("Europe/London")
MINIMUM_AGE = 16
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MAX_YEARS_JUGGLING = 100
ACT_MAX_LENGTH = 500


def today_in_the_uk() -> date:
    return datetime.now(UK).date()


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class QuestionForm(GovUKForm):
    """A question page. Subclasses list their fields; answers are saved as plain JSON."""

    NOT_ANSWERS: ClassVar[set[str]] = {"csrf_token"}

    def answer(self) -> Answer:
        return {
            name: field.data for name, field in self._fields.items() if name not in self.NOT_ANSWERS
        }

    @staticmethod
    def prefill(answer: Answer) -> Answer:
        return answer

    @staticmethod
    def summary(answer: Answer) -> list[str]:
        """Lines shown for this answer on the check answers page."""
        raise NotImplementedError


class NameForm(QuestionForm):
    full_name = StringField(
        "What is your full name?",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter your full name"),
            Length(max=100, message="Full name must be 100 characters or fewer"),
        ],
    )

    @staticmethod
    def summary(answer: Answer) -> list[str]:
        return [answer["full_name"]]


class DateOfBirthForm(QuestionForm):
    date_of_birth = GovUKDateField(
        "What is your date of birth?",
        subject="Date of birth",
        required_message="Enter your date of birth",
        description="For example, 27 3 2007",
    )

    def validate_date_of_birth(self, field: Field) -> None:
        today = today_in_the_uk()
        if field.data >= today:
            raise ValidationError("Date of birth must be in the past")
        if field.data < EARLIEST_BIRTH_DATE:
            raise ValidationError("Date of birth must be after 31 December 1899")
        if field.data > years_before(today, MINIMUM_AGE):
            raise ValidationError(f"You must be {MINIMUM_AGE} or older to apply")

    def answer(self) -> Answer:
        return {"date_of_birth": self.date_of_birth.data.isoformat()}

    @staticmethod
    def prefill(answer: Answer) -> Answer:
        return {"date_of_birth": date.fromisoformat(answer["date_of_birth"])}

    @staticmethod
    def summary(answer: Answer) -> list[str]:
        born = date.fromisoformat(answer["date_of_birth"])
        return [f"{born.day} {born:%B %Y}"]


class ExperienceForm(QuestionForm):
    juggled_in_public = GovUKRadioField(
        "Have you juggled in public before?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        required_message="Select yes if you have juggled in public before",
    )
    # Revealed under "Yes"; only asked, and only checked, when the answer is yes.
    years = StringField("How many years have you juggled in public?", widget=GovTextInput())

    def validate_years(self, field: Field) -> None:
        if self.juggled_in_public.data != "yes":
            field.data = None
            return
        if not field.data:
            raise ValidationError("Enter how many years you have juggled in public")
        if not field.data.isdigit():
            raise ValidationError("Years must be a whole number, like 3")
        if int(field.data) > MAX_YEARS_JUGGLING:
            raise ValidationError(f"Years must be {MAX_YEARS_JUGGLING} or fewer")

    def answer(self) -> Answer:
        years = int(self.years.data) if self.juggled_in_public.data == "yes" else None
        return {"juggled_in_public": self.juggled_in_public.data, "years": years}

    @staticmethod
    def prefill(answer: Answer) -> Answer:
        years = answer["years"]
        return {
            "juggled_in_public": answer["juggled_in_public"],
            "years": "" if years is None else str(years),
        }

    @staticmethod
    def summary(answer: Answer) -> list[str]:
        if answer["juggled_in_public"] != "yes":
            return ["No"]
        years = answer["years"]
        return [f"Yes, for {years} year{'' if years == 1 else 's'}"]


EQUIPMENT = {
    "balls": "Balls",
    "clubs": "Clubs",
    "rings": "Rings",
    "knives": "Knives",
    "fire": "Fire torches",
}


class EquipmentForm(QuestionForm):
    equipment = GovUKCheckboxesField(
        "What will you juggle?",
        choices=[SelectChoice(value, label) for value, label in EQUIPMENT.items()],
        description="Select all that apply.",
        required_message="Select what you will juggle",
    )

    @staticmethod
    def summary(answer: Answer) -> list[str]:
        return [EQUIPMENT[item] for item in answer["equipment"]]


class EmailForm(QuestionForm):
    email = StringField(
        "What is your email address?",
        widget=GovTextInput(),
        description="We’ll only use this to send you a confirmation of your application.",
        validators=[
            DataRequired("Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                "Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
        ],
    )

    @staticmethod
    def summary(answer: Answer) -> list[str]:
        return [answer["email"]]


def address_line(label: str, required_message: str | None = None) -> StringField:
    presence = DataRequired(required_message) if required_message else Optional()
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[presence, Length(max=100, message=f"{label} must be 100 characters or fewer")],
    )


class AddressForm(QuestionForm):
    address_line_1 = address_line(
        "Address line 1", "Enter address line 1, typically the building and street"
    )
    address_line_2 = address_line("Address line 2 (optional)")
    town = address_line("Town or city", "Enter town or city")
    county = address_line("County (optional)")
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter postcode"),
            Length(max=10, message="Enter a full UK postcode"),
            uk_postcode,
        ],
    )

    @staticmethod
    def summary(answer: Answer) -> list[str]:
        lines = ("address_line_1", "address_line_2", "town", "county", "postcode")
        return [answer[line] for line in lines if answer[line]]


class ActForm(QuestionForm):
    act = StringField(
        "Describe your juggling act",
        widget=GovCharacterCount(),
        description="Include where you will perform and how long the act lasts.",
        validators=[
            DataRequired("Describe your juggling act"),
            Length(
                max=ACT_MAX_LENGTH,
                message=f"Description must be {ACT_MAX_LENGTH} characters or fewer",
            ),
        ],
    )

    @staticmethod
    def summary(answer: Answer) -> list[str]:
        return list(answer["act"].splitlines())


class DeclarationForm(GovUKForm):
    """Check answers: the declaration is the button; the key makes sending idempotent."""

    submission_key = HiddenField(validators=[DataRequired(), Length(max=64)])
