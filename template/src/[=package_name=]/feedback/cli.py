"""`flask feedback`: what users said over a period, for the team to read (CSV or JSON)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..database import db_session
from ..periods import between, days, period_options
from .models import RATINGS, Feedback

# Each rating's answer, as the question offered it.
ANSWERS = {rating: answer for answer, rating in RATINGS.items()}
COLUMNS = ("hour", "journey", "satisfaction", "improvement")


@click.command("feedback")
@period_options
@click.option(
    "--format", "output", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@with_appcontext
def feedback_command(start: datetime, end: datetime, output: str) -> None:
    """What users said on /feedback over a period (UK days), oldest first."""
    since, until = between(*days(start, end))
    said = select(Feedback).where(Feedback.hour >= since, Feedback.hour < until)
    rows = [
        {
            "hour": datetime.fromtimestamp(item.hour, UTC).isoformat(),
            "journey": item.journey or "",
            "satisfaction": ANSWERS.get(item.rating, str(item.rating)),
            "improvement": item.improvement or "",
        }
        for item in db_session().scalars(said.order_by(Feedback.hour, Feedback.id))
    ]
    if output == "json":
        click.echo(json.dumps(rows))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
