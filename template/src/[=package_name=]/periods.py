"""Reporting periods in whole UK days, as `flask kpis` and `flask feedback` take them, and
the hour that what they report is recorded by."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click

UK = ZoneInfo("Europe/London")
HOUR = 60 * 60
DAY = click.DateTime(formats=["%Y-%m-%d"])
Command = Callable[..., Any]


def this_hour() -> float:
    """The start of this hour, in seconds since the epoch: recorded rather than the moment,
    so a row cannot be matched to a request in the logs."""
    return time.time() // HOUR * HOUR


def start_of(day: date) -> float:
    """Midnight at the start of `day` in the UK, in seconds since the epoch."""
    return datetime.combine(day, datetime.min.time(), tzinfo=UK).timestamp()


def between(start: date, end: date) -> tuple[float, float]:
    """From the first moment of `start` to just before the day after `end`."""
    return start_of(start), start_of(end + timedelta(days=1))


def period_options(command: Command) -> Command:
    """`--from DAY --to DAY` (the last day included), passed as `start` and `end`."""
    command = click.option("--to", "end", type=DAY, required=True, help="The last day, included.")(
        command
    )
    return click.option(
        "--from", "start", type=DAY, required=True, help="The first day (YYYY-MM-DD)."
    )(command)


def days(start: datetime, end: datetime) -> tuple[date, date]:
    """The period's first and last days; refused, naming --to, if it ends before it starts."""
    if end < start:
        raise click.BadParameter("must be the same day as --from or later", param_hint="--to")
    return start.date(), end.date()
