"""Answers to a journey, kept on the server between pages.

The session cookie carries only a random key; the answers (personal data) stay in the
database, so they never travel in a cookie. Answers left untouched for the idle timeout
(JOURNEY_IDLE_TIMEOUT) are treated as gone, and `flask --app <package> journeys purge`
deletes them. timeout/ warns the user before then, and lets them ask for more time.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click
from blinker import Namespace
from flask import Flask, current_app, g, session
from flask.cli import with_appcontext
from sqlalchemy import JSON, Float, String, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from .database import Base, db_session
from .metrics import Queue, add_queue

Answers = dict[str, Any]
SESSION_KEY_PREFIX = "journey:"
# Sent (sender=app, count=...) when `journeys purge` deletes answers left unfinished.
journeys_abandoned = Namespace().signal("journeys-abandoned")
PURGES = "journey_state:purges"


def idle_timeout() -> int:
    """Seconds answers are kept with nothing done (JOURNEY_IDLE_TIMEOUT)."""
    return int(current_app.extensions["settings"].journey_idle_timeout)


class JourneyState(Base):
    __tablename__ = "journey_state"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[Answers] = mapped_column(JSON)
    # Seconds since the epoch: compares the same way on SQLite and PostgreSQL.
    touched_at: Mapped[float] = mapped_column(Float, index=True)


# Made once: every page of every journey reads the answers, and every answer writes them.
READ = select(JourneyState.answers, JourneyState.touched_at).where(
    JourneyState.id == bindparam("key", type_=String)
)
UPDATE = (
    update(JourneyState)
    .where(JourneyState.id == bindparam("key", type_=String))
    .values(
        answers=bindparam("new_answers", type_=JSON),
        touched_at=bindparam("now", type_=Float),
    )
)
INSERT = insert(JourneyState)


@dataclass(frozen=True)
class Loaded:
    """A journey's row as read in one transaction (None: no row)."""

    transaction: SessionTransaction | None
    answers: Answers | None
    touched_at: float = 0.0

    def read_in(self, database: Session) -> bool:
        """Read in the transaction the request's database session is in now."""
        return self.transaction is not None and self.transaction is database.get_transaction()


class JourneyStore:
    """The current user's answers to one journey, such as "apply"."""

    def __init__(self, journey: str) -> None:
        self.session_key = f"{SESSION_KEY_PREFIX}{journey}"

    def answers(self) -> Answers:
        state = self._state()
        return dict(state.answers) if state and state.answers is not None else {}

    def save(self, answers: Answers) -> None:
        key = session.get(self.session_key)
        answers, now = dict(answers), time.time()
        connection = db_session().connection()
        changed = 0
        if isinstance(key, str) and self._state() is not None:
            values = {"key": key, "new_answers": answers, "now": now}
            changed = connection.execute(UPDATE, values).rowcount
        if not changed:  # none yet, or deleted since they were read: keep them anew
            key = secrets.token_urlsafe(32)
            connection.execute(INSERT, {"id": key, "answers": answers, "touched_at": now})
            session[self.session_key] = key
        db_session().commit()

    def timed_out(self) -> bool:
        """This browser had answers here, and they were deleted for being left too long."""
        return isinstance(session.get(self.session_key), str) and self._state() is None

    def forget(self) -> None:
        """Stop pointing at answers that are gone (after saying so, with timed_out)."""
        session.pop(self.session_key, None)

    def clear(self) -> None:
        key = session.pop(self.session_key, None)
        if isinstance(key, str):
            # A double click's other request may have deleted them already: that is fine.
            db_session().execute(delete(JourneyState).where(JourneyState.id == key))
            db_session().commit()

    def _state(self) -> Loaded | None:
        key = session.get(self.session_key)
        if not isinstance(key, str):
            return None
        # Read once a transaction: reading the answers and then saving them is one query;
        # after a commit or a rollback, read again, as another request may have changed
        # or deleted them since.
        loaded: dict[str, Loaded] = g.setdefault("journey_states", {})
        database = db_session()
        state = loaded.get(key)
        if state is None or not state.read_in(database):
            row = database.connection().execute(READ, {"key": key}).first()
            transaction = database.get_transaction()
            state = Loaded(transaction, None) if row is None else Loaded(transaction, *row)
            loaded[key] = state
        if state.answers is None or state.touched_at < time.time() - idle_timeout():
            return None
        return state


def open_journeys() -> list[JourneyStore]:
    """The journeys this browser has answers for (live or not)."""
    return [
        JourneyStore(key.removeprefix(SESSION_KEY_PREFIX))
        for key in session
        if key.startswith(SESSION_KEY_PREFIX)
    ]


def keep_answers() -> bool:
    """Start the idle timeout again for every journey's answers; False if none are left."""
    kept = False
    for store in open_journeys():
        if answers := store.answers():
            store.save(answers)
            kept = True
    return kept


def purge_expired() -> int:
    """Delete answers nobody has touched for the idle timeout; return how many."""
    cutoff = time.time() - idle_timeout()
    result = db_session().execute(delete(JourneyState).where(JourneyState.touched_at < cutoff))
    db_session().commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


@click.group()
def journeys() -> None:
    """Answers kept between pages of a journey."""


@journeys.command()
@with_appcontext
def purge() -> None:
    """Delete answers left untouched for longer than the idle timeout (and what features
    keep with a time limit of its own, such as answers saved to come back to later)."""
    abandoned = purge_expired()
    click.echo(f"Deleted {abandoned} abandoned journeys.")
    journeys_abandoned.send(current_app._get_current_object(), count=abandoned)  # type: ignore[attr-defined]
    for what, purge_also in current_app.extensions.get(PURGES, {}).items():
        click.echo(f"Deleted {purge_also()} {what}.")


def purged_too(app: Flask, what: str, purge_also: Callable[[], int]) -> None:
    """`journeys purge` (the scheduled clean-up) also runs `purge_also`, which returns how
    many it deleted of `what`."""
    app.extensions.setdefault(PURGES, {})[what] = purge_also


def answers_in_progress(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(JourneyState)) or 0


def init_app(app: Flask) -> None:
    app.cli.add_command(journeys)
    # No alert: answers left are deleted by `flask journeys purge`, on a schedule.
    add_queue(app, Queue("answers_in_progress", answers_in_progress))
