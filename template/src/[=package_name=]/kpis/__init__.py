"""The service's KPIs: what GOV.UK services measure and publish (the Service Manual's
"Data you must publish"). The journey engine says what happens (events.py's signals);
this counts it in the database, with nothing that says who (models.py), and
`flask --app <package> kpis --from DATE --to DATE` reports it (cli.py, report.py).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from ..database import db_session
from ..journey_engine import (
    Application,
    Journey,
    Page,
    answers_saved,
    application_completed,
    application_sending,
    fee_paid,
    journey_started,
    page_answered,
)
from ..journey_state import journeys_abandoned
from ..metrics import add_reading
from .cli import kpis
from .models import (
    ABANDONED,
    COMPLETED,
    EVENTS_READING,
    PAGE_COMPLETED,
    PAID,
    SAVED,
    SENT,
    STARTED,
    record,
)


def count_started(_app: Flask, *, journey: Journey, **_: Any) -> None:
    record(db_session(), STARTED, journey.name)


def count_page(_app: Flask, *, journey: Journey, page: Page, **_: Any) -> None:
    record(db_session(), PAGE_COMPLETED, journey.name, page.slug)


def count_sent(_app: Flask, *, application: Application, **_: Any) -> None:
    # Saved with the application, or not at all (a double click's second send is not).
    record(db_session(), SENT, application.journey)


def count_completed(_app: Flask, *, application: Application, session: Session, **_: Any) -> None:
    record(session, COMPLETED, application.journey)


def count_paid(_app: Flask, *, journey: str, session: Session, **_: Any) -> None:
    record(session, PAID, journey)


def count_saved(_app: Flask, *, journey: str, **_: Any) -> None:
    record(db_session(), SAVED, journey)


def count_abandoned(_app: Flask, *, count: int, **_: Any) -> None:
    if count:
        record(db_session(), ABANDONED, "", count=count)
        db_session().commit()


def init_app(app: Flask) -> None:
    journey_started.connect(count_started, sender=app)
    page_answered.connect(count_page, sender=app)
    application_sending.connect(count_sent, sender=app)
    application_completed.connect(count_completed, sender=app)
    fee_paid.connect(count_paid, sender=app)
    answers_saved.connect(count_saved, sender=app)
    journeys_abandoned.connect(count_abandoned, sender=app)
    app.cli.add_command(kpis)
    add_reading(app, EVENTS_READING)
