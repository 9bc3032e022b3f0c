"""The journey engine: it serves every journey declared in `journeys/` (the team's), from
question pages to the confirmation. A team never edits this package; template releases
update it.

What a journey file uses is here: the pages (`Journey`, `Page`, `AddAnother`, `Exit`,
`Applicant`), the questions (`Text`, `Email`, `Phone`, `Number`, `Date`, `Radios`,
`YesNo`, `Checkboxes`, `Select`, `Textarea`, `Address`, with `Choice`), and `answer()`
for conditions. Features join through `events` (signals and hooks), never by name here.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask

from .applications import Application, complete, readable_reference
from .check_answers import summary_list
from .conditions import answer
from .events import (
    FormAction,
    Hooks,
    Step,
    answers_saved,
    application_completed,
    application_sending,
    fee_paid,
    hooks,
    hooks_of,
    journey_started,
    page_answered,
)
from .pages import AddAnother, Applicant, Exit, Journey, Page
from .questions import (
    Address,
    Checkboxes,
    Choice,
    Date,
    Email,
    Number,
    Phone,
    Question,
    Radios,
    Select,
    Text,
    Textarea,
    YesNo,
    today_in_the_uk,
    years_before,
)
from .views import JourneyPages, journey_blueprint

__all__ = [
    "AddAnother",
    "Address",
    "Applicant",
    "Application",
    "Checkboxes",
    "Choice",
    "Date",
    "Email",
    "Exit",
    "FormAction",
    "Hooks",
    "Journey",
    "JourneyPages",
    "Number",
    "Page",
    "Phone",
    "Question",
    "Radios",
    "Select",
    "Step",
    "Text",
    "Textarea",
    "YesNo",
    "answer",
    "answers_saved",
    "application_completed",
    "application_sending",
    "complete",
    "fee_paid",
    "hooks",
    "hooks_of",
    "init_app",
    "journey_started",
    "page_answered",
    "readable_reference",
    "today_in_the_uk",
    "years_before",
]


def init_app(app: Flask, journeys: Sequence[Journey]) -> None:
    """Serve each journey at /<its name>/."""
    registry = hooks_of(app)
    app.add_template_global(summary_list)
    for journey in journeys:
        blueprint, pages = journey_blueprint(journey)
        app.register_blueprint(blueprint)
        registry.journeys[journey.name] = pages
