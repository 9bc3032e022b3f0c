"""What the KPIs count: one row per thing that happened on a journey, with nothing that
says who. Only the journey, the page, what happened and the hour it happened in (not the
second, so a row cannot be matched to a request in the logs)."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..database import Base
from ..metrics import Reading
from ..periods import this_hour

STARTED = "started"  # a user's first answer
PAGE_COMPLETED = "page completed"  # a question page answered (page says which)
SENT = "sent"  # an application saved: check answers sent
COMPLETED = "completed"  # an application complete (after its fee, if it has one)
ABANDONED = "abandoned"  # answers left unfinished, deleted by `journeys purge`
PAID = "paid"  # an application's fee paid (services that take one)
SAVED = "saved for later"  # answers saved to come back to (by email or to an account)
# Answers to "Is this page useful?" (feedback/page_useful.py), by the page's route.
PAGE_USEFUL, PAGE_NOT_USEFUL = "page useful", "page not useful"


class KpiEvent(Base):
    __tablename__ = "kpi_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    # Empty for what is counted across journeys (abandoned answers).
    journey: Mapped[str] = mapped_column(String(64))
    page: Mapped[str | None] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)
    # The start of the hour, in seconds since the epoch.
    hour: Mapped[float] = mapped_column(Float, index=True)


INSERT_EVENT = insert(KpiEvent)


def record(
    session: Session, name: str, journey: str, page: str | None = None, count: int = 1
) -> None:
    """Add the event in `session`'s transaction: it is saved when the session commits,
    and never if it rolls back. One statement, made once, rather than an object to flush:
    every answer counts one."""
    event = {"name": name, "journey": journey, "page": page, "count": count, "hour": this_hour()}
    session.connection().execute(INSERT_EVENT, event)


def totals(session: Session) -> dict[tuple[str, ...], float]:
    """Every event counted, ever, by event and journey: for the metrics, where Prometheus
    works out rates (the KPIs' own report reads periods: report.py)."""
    query = select(KpiEvent.name, KpiEvent.journey, func.sum(KpiEvent.count)).group_by(
        KpiEvent.name, KpiEvent.journey
    )
    return {(name, journey): float(total) for name, journey, total in session.execute(query)}


EVENTS_READING = Reading(
    "kpi_events",
    "What the KPIs count: journeys started, pages completed, applications sent, completed, paid, abandoned, saved for later",
    totals,
    labels=("event", "journey"),
    kind="counter",
)
