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
from typing import Any

import click
from blinker import Namespace
from flask import Flask, current_app, g, session
from flask.cli import with_appcontext
from sqlalchemy import JSON, Float, String, delete, func, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

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


class JourneyStore:
    """The current user's answers to one journey, such as "apply"."""

    def __init__(self, journey: str) -> None:
        self.session_key = f"{SESSION_KEY_PREFIX}{journey}"

    def answers(self) -> Answers:
        state = self._state()
        return dict(state.answers) if state else {}

    def save(self, answers: Answers) -> None:
        state = self._state()
        if state is None:
            state = JourneyState(id=secrets.token_urlsafe(32))
            db_session().add(state)
            session[self.session_key] = state.id
            g.setdefault("journey_states", {})[state.id] = state
        state.answers = dict(answers)
        state.touched_at = time.time()
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
            # A statement, not a loaded row: a double click's other request may have
            # deleted it already, and that is fine.
            db_session().execute(delete(JourneyState).where(JourneyState.id == key))
            db_session().commit()
            g.setdefault("journey_states", {})[key] = None

    def _state(self) -> JourneyState | None:
        key = session.get(self.session_key)
        if not isinstance(key, str):
            return None
        # Looked up once a request: reading the answers and then saving them is one query.
        loaded: dict[str, JourneyState | None] = g.setdefault("journey_states", {})
        if key not in loaded or _expired(loaded[key]):
            # Again after a commit: another request may have changed or deleted it since.
            loaded[key] = db_session().get(JourneyState, key)
        state = loaded[key]
        if state is None or state.touched_at < time.time() - idle_timeout():
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


def _expired(state: JourneyState | None) -> bool:
    return state is not None and inspect(state).expired


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
