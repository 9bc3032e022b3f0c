"""Reporting periods in whole UK days, as `flask kpis` and `flask feedback` take them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def start_of(day: date) -> float:
    """Midnight at the start of `day` in the UK, in seconds since the epoch."""
    return datetime.combine(day, time(), tzinfo=UK).timestamp()


def between(start: date, end: date) -> tuple[float, float]:
    """From the first moment of `start` to just before the day after `end`."""
    return start_of(start), start_of(end + timedelta(days=1))
