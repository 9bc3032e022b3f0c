"""Answers saved to come back to later, kept apart from a browser's session.

Saved under a signed-in user, or under a link emailed to the user (GOV.UK Notify).
A link's token is never stored: only its SHA-256 digest, so a copy of the database
opens nothing. An email address is stored only as a keyed digest (HMAC with SECRET_KEY),
enough to end an address's earlier link when it asks for a new one. A link works once,
and everything saved expires after SAVED_ANSWERS_DAYS; `flask journeys purge` deletes it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from flask import current_app
from sqlalchemy import JSON, Float, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..database import Base, db_session

Answers = dict[str, Any]
DAY = 24 * 60 * 60
# Links a browser's address (or an email address) may ask for in RATE_WINDOW seconds.
RATE_WINDOW = 60 * 60
LINKS_PER_EMAIL_ADDRESS = 3
LINKS_PER_CLIENT = 20


class SavedAnswers(Base):
    __tablename__ = "saved_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    journey: Mapped[str] = mapped_column(String(64))
    answers: Mapped[Answers] = mapped_column(JSON)
    # One of the two: who saved them (signed in), or the digest of their link's token.
    user_id: Mapped[str | None] = mapped_column(String(255), index=True)
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    email_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    # Seconds since the epoch, as journey_state keeps them.
    saved_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class LinkRequest(Base):
    """A link asked for, by digest of the email address or the browser's address: what
    the rate limits count. Kept for RATE_WINDOW."""

    __tablename__ = "save_link_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), index=True)
    asked_at: Mapped[float] = mapped_column(Float, index=True)


def days_kept() -> int:
    return int(current_app.extensions["settings"].saved_answers_days)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_digest(text: str) -> str:
    """A digest nobody without SECRET_KEY can match to a guessed email address."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def normal_address(email_address: str) -> str:
    return email_address.strip().lower()


def save_for_user(journey: str, answers: Answers, user_id: str) -> SavedAnswers:
    saved = _saved(journey, answers, user_id=user_id)
    db_session().add(saved)
    db_session().commit()
    return saved


def save_for_link(journey: str, answers: Answers, email_address: str) -> tuple[str, int]:
    """Save the answers behind a new link's token; end any earlier link this address
    asked for on this journey. Returns the token (to email, never to keep) and the id."""
    email = keyed_digest(normal_address(email_address))
    db_session().execute(
        delete(SavedAnswers).where(
            SavedAnswers.email_digest == email, SavedAnswers.journey == journey
        )
    )
    token = secrets.token_urlsafe(32)
    saved = _saved(journey, answers, token_digest=token_digest(token), email_digest=email)
    db_session().add(saved)
    db_session().commit()
    return token, saved.id


def forget(saved_id: int) -> None:
    db_session().execute(delete(SavedAnswers).where(SavedAnswers.id == saved_id))
    db_session().commit()


def _saved(journey: str, answers: Answers, **owner: str) -> SavedAnswers:
    now = time.time()
    return SavedAnswers(
        journey=journey,
        answers=dict(answers),
        saved_at=now,
        expires_at=now + days_kept() * DAY,
        **owner,
    )


def by_link(journey: str, token: str) -> SavedAnswers | None:
    """The answers behind a link, while it works: None for a link that is made up,
    used already, or expired."""
    query = select(SavedAnswers).where(
        SavedAnswers.token_digest == token_digest(token),
        SavedAnswers.journey == journey,
        SavedAnswers.expires_at > time.time(),
    )
    return db_session().scalars(query).one_or_none()


def of_user(user_id: str, journey: str) -> list[SavedAnswers]:
    query = (
        select(SavedAnswers)
        .where(
            SavedAnswers.user_id == user_id,
            SavedAnswers.journey == journey,
            SavedAnswers.expires_at > time.time(),
        )
        .order_by(SavedAnswers.saved_at.desc(), SavedAnswers.id.desc())
    )
    return list(db_session().scalars(query))


def take(saved: SavedAnswers) -> Answers | None:
    """The saved answers, deleted as they are taken: a link works once. None if another
    request took them first (a double click, the same link in two tabs)."""
    answers = dict(saved.answers)
    result = db_session().execute(delete(SavedAnswers).where(SavedAnswers.id == saved.id))
    db_session().commit()
    return answers if result.rowcount == 1 else None  # type: ignore[attr-defined]


def link_allowed(key: str, limit: int) -> bool:
    """Count a link asked for under `key` (an email address, a browser's address); False
    once `limit` were asked for within RATE_WINDOW."""
    digest = keyed_digest(key)
    since = time.time() - RATE_WINDOW
    asked = db_session().scalar(
        select(func.count())
        .select_from(LinkRequest)
        .where(LinkRequest.key_digest == digest, LinkRequest.asked_at > since)
    )
    if (asked or 0) >= limit:
        return False
    db_session().add(LinkRequest(key_digest=digest, asked_at=time.time()))
    db_session().commit()
    return True


def waiting(session: Session) -> int:
    """Answers saved and not yet taken back, nor expired: drafts waiting for their users."""
    still_kept = select(func.count()).where(SavedAnswers.expires_at > time.time())
    return session.scalar(still_kept) or 0


def purge_expired() -> int:
    """Delete saved answers past their time, and link requests the limits no longer count."""
    now = time.time()
    result = db_session().execute(delete(SavedAnswers).where(SavedAnswers.expires_at <= now))
    db_session().execute(delete(LinkRequest).where(LinkRequest.asked_at <= now - RATE_WINDOW))
    db_session().commit()
    return int(result.rowcount)  # type: ignore[attr-defined]
