"""What users said about the service: how they felt (1, very dissatisfied, to 5, very
satisfied) and what would make it better. Nothing that says who: no application, no
session, no address, and the hour rather than the moment."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..database import Base
from ..metrics import Reading

# The answers to GOV.UK's satisfaction question, best first, and what each is stored as.
RATINGS = {
    "very-satisfied": 5,
    "satisfied": 4,
    "neither": 3,
    "dissatisfied": 2,
    "very-dissatisfied": 1,
}
SATISFIED = (4, 5)


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rating: Mapped[int] = mapped_column(Integer)
    improvement: Mapped[str | None] = mapped_column(Text)
    # The journey the user had just finished, if they came from its confirmation.
    journey: Mapped[str | None] = mapped_column(String(64))
    # The start of the hour, in seconds since the epoch.
    hour: Mapped[float] = mapped_column(Float, index=True)


def ratings_given(session: Session) -> dict[tuple[str, ...], float]:
    """How many gave each answer, ever, by its name ("very-satisfied"): for the metrics."""
    names = {stored: name for name, stored in RATINGS.items()}
    counts = session.execute(select(Feedback.rating, func.count()).group_by(Feedback.rating))
    return {(names.get(rating, str(rating)),): float(count) for rating, count in counts}


RATINGS_READING = Reading(
    "satisfaction_responses",
    "Answers to the satisfaction question, by answer",
    ratings_given,
    labels=("rating",),
    kind="counter",
)
