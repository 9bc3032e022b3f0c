"""What the KPIs count: one row per thing that happened on a journey, with nothing that
says who. Only the journey, the page, what happened and the hour it happened in (not the
second, so a row cannot be matched to a request in the logs)."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..database import Base
from ..periods import this_hour

STARTED = "started"  # a user's first answer
PAGE_COMPLETED = "page completed"  # a question page answered (page says which)
SENT = "sent"  # an application saved: check answers sent
COMPLETED = "completed"  # an application complete (after its fee, if it has one)
ABANDONED = "abandoned"  # answers left unfinished, deleted by `journeys purge`


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


def record(
    session: Session, name: str, journey: str, page: str | None = None, count: int = 1
) -> None:
    """Add the event to `session`: it is saved with whatever the session commits next."""
    session.add(KpiEvent(name=name, journey=journey, page=page, count=count, hour=this_hour()))
