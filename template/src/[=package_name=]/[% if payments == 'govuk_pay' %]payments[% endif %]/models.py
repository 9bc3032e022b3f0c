"""A payment for an application: what we asked GOV.UK Pay to take, and what became of it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base

# Ours, before Pay has answered the request that creates the payment there.
NEW = "new"
# Ours, for a payment Pay never confirmed it had made, given up on by reconciliation.
NOT_CREATED = "not_created"
# Ours, for a payment Pay says it does not have (the API key is for another account).
LOST = "lost"


def now() -> datetime:
    return datetime.now(UTC)


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        # At most one payment under way per application: a double submit or a retry from
        # the back button finds this one instead of making a second.
        Index(
            "uq_payments_unfinished_application_id",
            "application_id",
            unique=True,
            sqlite_where=text("NOT finished"),
            postgresql_where=text("NOT finished"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    # Pay's id for the payment; None until Pay has answered.
    pay_payment_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    amount: Mapped[int] = mapped_column(Integer)  # pence
    reference: Mapped[str] = mapped_column(String(255))
    # Pay's state.status (created, started, success, failed, …), or NEW / NOT_CREATED.
    status: Mapped[str] = mapped_column(String(16), default=NEW)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    # The page's language when it was made ("en" or "cy"): Pay's pages, and the
    # confirmation email, are in it, even when reconciliation sends that email later.
    language: Mapped[str] = mapped_column(String(2), default="en")
    # Why it failed, when it did: P0010 declined, P0020 expired, P0030 cancelled, P0050 error.
    code: Mapped[str | None] = mapped_column(String(8))
    # Sent with the request that creates it, so repeating that request makes no second one.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The secret part of this payment's return_url: Pay sends the user back to it, and it
    # is how we know which payment they return from (in the session that made it).
    return_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)
