"""An application made through the example journey, saved when the user sends it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Shown to the user and quoted in emails; random, so it reveals nothing and can't be guessed.
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    # One per check answers page: sending twice (a double click, a retry) saves one application.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    juggled_in_public: Mapped[bool] = mapped_column(Boolean)
    years_juggling: Mapped[int | None] = mapped_column(Integer)
    equipment: Mapped[list[str]] = mapped_column(JSON)
    email: Mapped[str] = mapped_column(String(254))
    address_line_1: Mapped[str] = mapped_column(String(100))
    address_line_2: Mapped[str | None] = mapped_column(String(100))
    town: Mapped[str] = mapped_column(String(100))
    county: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(8))
    act: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
