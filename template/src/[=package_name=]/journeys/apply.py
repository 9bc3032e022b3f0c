"""Apply for a juggling licence: the example journey. Make it your own: change, add,
remove and reorder its pages below. Nothing else needs to change (no migration, no
test): see "Your own journey" in README.md.

Each page is a URL (/apply/<slug>) and one question. A question's `name` is the key its
answer is saved under; its `example` is the answer the tests give.
"""

from __future__ import annotations

from datetime import date

from ..journey_engine import (
    AddAnother,
    Address,
    Applicant,
    Checkboxes,
    Choice,
    Date,
    Email,
    Exit,
    Journey,
    Number,
    Page,
    Text,
    Textarea,
    YesNo,
    answer,
    years_before,
)
from ..text import _, ngettext, pgettext

MINIMUM_AGE = 16
MAX_YEARS_JUGGLING = 100
ACT_MAX_LENGTH = 500


def years_juggled(answers: dict[str, object]) -> list[str]:
    """How "Juggled in public" reads on check answers."""
    years = answers.get("years")
    if not answers.get("juggled_in_public") or not isinstance(years, int):
        return [_("No")]
    return [ngettext("Yes, for %(num)d year", "Yes, for %(num)d years", years)]


JOURNEY = Journey(
    "apply",
    version=2,
    applicant=Applicant(name="full_name", email="email", address="address"),
    pages=[
        Page(
            "name",
            Text(
                name="full_name",
                label=_("What is your full name?"),
                summary_label=_("Name"),
                autocomplete="name",
                spellcheck=False,
                errors={
                    "required": _("Enter your full name"),
                    "too_long": _("Full name must be 100 characters or fewer"),
                },
                example="Ada Lovelace",
            ),
        ),
        Page(
            "date-of-birth",
            Date(
                name="date_of_birth",
                label=_("What is your date of birth?"),
                subject=pgettext("within a sentence", "Date of birth"),
                summary_label=_("Date of birth"),
                past=True,
                earliest=date(1900, 1, 1),
                latest=lambda today: years_before(today, MINIMUM_AGE),
                errors={
                    "required": _("Enter your date of birth"),
                    "not_past": _("Date of birth must be in the past"),
                    "too_early": _("Date of birth must be after 31 December 1899"),
                    "too_late": _("You must be %(age)d or older to apply", age=MINIMUM_AGE),
                },
                example="1990-12-10",
            ),
        ),
        Page(
            "experience",
            YesNo(
                name="juggled_in_public",
                label=_("Have you juggled in public before?"),
                summary_label=_("Juggled in public"),
                # Revealed under "Yes": asked, and checked, only when the answer is yes.
                if_yes=Number(
                    name="years",
                    label=_("How many years have you juggled in public?"),
                    minimum=0,
                    maximum=MAX_YEARS_JUGGLING,
                    width="govuk-input--width-3",
                    errors={
                        "required": _("Enter how many years you have juggled in public"),
                        "not_whole": _("Years must be a whole number, like 3"),
                        "too_small": _("Years must be a whole number, like 3"),
                        "too_big": _("Years must be %(most)d or fewer", most=MAX_YEARS_JUGGLING),
                    },
                    example=5,
                ),
                errors={"required": _("Select yes if you have juggled in public before")},
                describe=years_juggled,
                example=True,
            ),
        ),
        Page(
            "equipment",
            Checkboxes(
                name="equipment",
                label=_("What will you juggle?"),
                hint=_("Select all that apply."),
                summary_label=_("What you will juggle"),
                choices=[
                    Choice("balls", _("Balls")),
                    Choice("clubs", _("Clubs")),
                    Choice("rings", _("Rings")),
                    Choice("knives", _("Knives")),
                    Choice("fire", _("Fire torches")),
                ],
                errors={"required": _("Select what you will juggle")},
                example=["balls", "clubs"],
            ),
        ),
        # A branch: asked only of those who will juggle fire.
        Page(
            "fire-safety",
            YesNo(
                name="fire_safety_certificate",
                label=_("Do you have a fire safety certificate for performers?"),
                summary_label=_("Fire safety certificate"),
                yes=pgettext("do you have", "Yes"),
                no=pgettext("do you have", "No"),
                errors={
                    "required": _("Select yes if you have a fire safety certificate for performers")
                },
                example=True,
            ),
            when=answer("equipment").includes("fire"),
        ),
        # Where the journey ends for those who cannot apply.
        Page(
            "fire-safety-needed",
            Exit(
                heading=_("You need a fire safety certificate to juggle fire"),
                paragraphs=[
                    _(
                        "You cannot get a licence to juggle fire torches without a fire safety certificate for performers."
                    ),
                    _(
                        "You can apply without fire torches, or come back when you have a certificate."
                    ),
                ],
            ),
            when=answer("fire_safety_certificate").is_(False),
        ),
        Page(
            "email",
            Email(
                name="email",
                label=_("What is your email address?"),
                hint=_("We’ll only use this to send you a confirmation of your application."),
                summary_label=_("Email address"),
                errors={
                    "required": _("Enter your email address"),
                    "too_long": _("Email address must be 254 characters or fewer"),
                },
                example="ada@example.com",
            ),
        ),
        Page(
            "address",
            Address(
                name="address",
                label=_("What is your address?"),
                summary_label=_("Address"),
                example={
                    "line_1": "1 High Street",
                    "line_2": "",
                    "town": "Leeds",
                    "county": "",
                    "postcode": "LS1 1AB",
                },
            ),
        ),
        Page(
            "act",
            Textarea(
                name="act",
                label=_("Describe your juggling act"),
                hint=_("Include where you will perform and how long the act lasts."),
                summary_label=_("Your act"),
                max_length=ACT_MAX_LENGTH,
                errors={
                    "required": _("Describe your juggling act"),
                    "too_long": _(
                        "Description must be %(most)d characters or fewer", most=ACT_MAX_LENGTH
                    ),
                },
                example="Five balls while reciting poetry.\nTen minutes, in the park.",
            ),
        ),
        Page(
            "assistants",
            YesNo(
                name="has_assistants",
                label=_("Will anyone perform with you?"),
                summary_label=_("Performs with others"),
                # The answers' words in context: Welsh answers with the question's verb.
                yes=pgettext("will anyone perform", "Yes"),
                no=pgettext("will anyone perform", "No"),
                errors={"required": _("Select yes if anyone will perform with you")},
                example=False,
            ),
        ),
        # "Add another": the people who perform with the applicant, one page each.
        Page(
            "performers",
            AddAnother(
                name="performers",
                thing=_("performer"),
                things=_("performers"),
                heading=_("Who will perform with you?"),
                summary_label=_("Performer"),
                maximum=5,
                questions=[
                    Text(
                        name="full_name",
                        label=_("Their full name"),
                        autocomplete="off",
                        spellcheck=False,
                        errors={
                            "required": _("Enter their full name"),
                            "too_long": _("Full name must be 100 characters or fewer"),
                        },
                        example="Charles Babbage",
                    ),
                    YesNo(
                        name="over_16",
                        label=_("Are they 16 or older?"),
                        yes=pgettext("are they", "Yes"),
                        no=pgettext("are they", "No"),
                        errors={"required": _("Select yes if they are 16 or older")},
                        example=True,
                    ),
                ],
            ),
            when=answer("has_assistants").is_(True),
        ),
    ],
    what_happens_next=[
        _("We’ve sent your application to %(organisation)s."),
        _("They will contact you either to confirm your licence, or to ask for more information."),
    ],
)
