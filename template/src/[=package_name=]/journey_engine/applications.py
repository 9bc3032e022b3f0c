"""Applications: every journey's answers, sent once, as one document.

An application is saved exactly once however many times it is sent (a double click, a
retry), under a reference nobody can guess. It is *complete* once nothing stands between
it and its confirmation: at once, or when a step a feature added (paying a fee) is done.
Features act on both moments through the signals in events.py, never the other way round.

To query an answer in SQL, or keep it in a column of your own, see "Answers in columns of
your own" in the service's README.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import JSON, CursorResult, DateTime, Integer, String, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..database import Base, db_session
from .events import application_completed, application_sending

# No 0/O or 1/I, so a reference read out over the phone is never ambiguous.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 12  # 32**12: about 10**18 references
ATTEMPTS = 3
AfterCommit = list[Callable[[], None]]


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Shown to the user and quoted in emails; random, so it reveals nothing and can't be guessed.
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    # One per check answers page: sending twice (a double click, a retry) saves one application.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    journey: Mapped[str] = mapped_column(String(64), server_default="apply")
    journey_version: Mapped[int] = mapped_column(Integer, server_default="1")
    # {question name: answer}, as the journey's questions save them.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The page's language when it was sent, for anything sent to the user about it.
    language: Mapped[str] = mapped_column(String(8), server_default="en")
    # Who sent it, when the service signs people in (set by that feature).
    user_id: Mapped[str | None] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def readable_reference(reference: str) -> str:
    """ABCD EFGH JKLM: easier to read and type than twelve letters in a row."""
    return " ".join(reference[start : start + 4] for start in range(0, len(reference), 4))


def find_application(idempotency_key: str) -> Application | None:
    query = select(Application).where(Application.idempotency_key == idempotency_key)
    return db_session().scalars(query).one_or_none()


def application_by_reference(reference: str) -> Application | None:
    query = select(Application).where(Application.reference == reference)
    return db_session().scalars(query).one_or_none()


def save_application(
    journey: str, version: int, answers: dict[str, Any], key: str, *, language: str, complete: bool
) -> Application:
    """Save the application once, however many times it is sent with this key; with
    `complete`, complete it in the same transaction (so what completing it queues, an
    email say, is saved with it or not at all)."""
    session = db_session()
    for _ in range(ATTEMPTS):
        application = Application(
            reference=new_reference(),
            idempotency_key=key,
            journey=journey,
            journey_version=version,
            answers=answers,
            language=language,
        )
        application_sending.send(current_app._get_current_object(), application=application)  # type: ignore[attr-defined]
        session.add(application)
        after_commit: AfterCommit = []
        try:
            if complete:
                session.flush()
                application.completed_at = datetime.now(UTC)
                announce_completion(session, application, after_commit)
            session.commit()
        except IntegrityError:
            session.rollback()
            # Sent twice at once: the other request saved it first.
            if existing := find_application(key):
                return existing
            continue  # the reference was taken (vanishingly rare): draw another
        run(after_commit)
        return application
    raise RuntimeError(f"No unique reference after {ATTEMPTS} attempts")


def complete(session: Session, application_id: int) -> AfterCommit:
    """Complete an application inside the caller's transaction (one that records a
    payment, say). Only the first call does anything, so what completing it sets off
    happens once; returns the work to do once the caller has committed."""
    result = session.execute(
        update(Application)
        .where(Application.id == application_id, Application.completed_at.is_(None))
        .values(completed_at=datetime.now(UTC))
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        return []
    application = session.get(Application, application_id)
    if application is None:  # it was updated just now, so never; but say so if it were
        raise LookupError(f"application {application_id} went missing while completing it")
    after_commit: AfterCommit = []
    announce_completion(session, application, after_commit)
    return after_commit


def announce_completion(
    session: Session, application: Application, after_commit: AfterCommit
) -> None:
    application_completed.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        application=application,
        session=session,
        after_commit=after_commit,
    )


def run(after_commit: AfterCommit) -> None:
    for task in after_commit:
        task()
