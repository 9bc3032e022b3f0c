"""What users said about the service: how they felt (1, very dissatisfied, to 5, very
satisfied) and what would make it better. Nothing that says who: no application, no
session, no address, and the hour rather than the moment."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base

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
