"""Who is signed in, kept on the server: the session cookie carries only a random key.

Signing in starts a new sign-in record and a new session (no fixation); signing out, or a
back-channel logout from One Login, ends the record, so a copied cookie is worth nothing.
"""

from __future__ import annotations

import functools
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import g, redirect, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import Float, String, Text, delete, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base, db_session
from ..journey_state import JourneyState
from ..redirects import this_page

logger = logging.getLogger(__name__)

SESSION_KEY = "sign_in"
# However active, a user signs in again after this long.
SIGN_IN_LIFETIME_SECONDS = 8 * 60 * 60

# A Flask view (written without type parameters, which Python 3.11 lacks).
View = Callable[..., ResponseReturnValue]


class SignIn(Base):
    """One signed-in session. Ended (not deleted) so the log of sign-ins stays whole."""

    __tablename__ = "sign_ins"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The user's pairwise identifier from One Login: the same for this service every time.
    user_id: Mapped[str] = mapped_column(String(255), index=True)
    email: Mapped[str] = mapped_column(String(254))
    # Sent back to One Login as id_token_hint when the user signs out.
    id_token: Mapped[str] = mapped_column(Text)
    started_at: Mapped[float] = mapped_column(Float)
    ended_at: Mapped[float | None] = mapped_column(Float, index=True)


class SeenLogoutToken(Base):
    """Logout tokens' jti, kept while a replay could still pass the token's other checks."""

    __tablename__ = "seen_logout_tokens"

    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    seen_at: Mapped[float] = mapped_column(Float, index=True)


@dataclass(frozen=True)
class SignedInUser:
    user_id: str
    email: str
    sign_in_id: str


def start_sign_in(*, user_id: str, email: str, id_token: str) -> SignedInUser:
    """Record the sign-in and give the browser a new session holding only its key."""
    record = SignIn(
        id=secrets.token_urlsafe(32),
        user_id=user_id,
        email=email,
        id_token=id_token,
        started_at=time.time(),
        ended_at=None,
    )
    db_session().add(record)
    journeys = _renew_journeys()
    db_session().commit()
    session.clear()
    session.update(journeys)
    session[SESSION_KEY] = record.id
    g.pop("signed_in_user", None)
    return SignedInUser(user_id=user_id, email=email, sign_in_id=record.id)


def _renew_journeys() -> dict[str, str]:
    """Answers given before signing in move to new keys, so an old cookie cannot read them."""
    renewed: dict[str, str] = {}
    for key, value in session.items():
        if key.startswith("journey:") and isinstance(value, str):
            state = db_session().get(JourneyState, value)
            if state is not None:
                state.id = secrets.token_urlsafe(32)
                renewed[key] = state.id
    return renewed


def current_user() -> SignedInUser | None:
    """The signed-in user, or None: no key, an ended sign-in, or one past its lifetime."""
    if "signed_in_user" in g:
        user: SignedInUser | None = g.signed_in_user
        return user
    user = None
    key = session.get(SESSION_KEY)
    if isinstance(key, str):
        try:
            record = db_session().get(SignIn, key)
        except SQLAlchemyError:
            # Error pages show the navigation too: with the database down, nobody is signed in.
            logger.exception("Could not read the sign-in record")
            record = None
        if (
            record is not None
            and record.ended_at is None
            and record.started_at > time.time() - SIGN_IN_LIFETIME_SECONDS
        ):
            user = SignedInUser(user_id=record.user_id, email=record.email, sign_in_id=record.id)
    g.signed_in_user = user
    return user


def end_sign_in() -> str | None:
    """Sign the browser out here; return the ID token to send to One Login as a hint."""
    key = session.pop(SESSION_KEY, None)
    g.pop("signed_in_user", None)
    if not isinstance(key, str) or (record := db_session().get(SignIn, key)) is None:
        return None
    if record.ended_at is None:
        record.ended_at = time.time()
        db_session().commit()
    return record.id_token


def end_sign_ins_of(user_id: str) -> int:
    """End every session of a user (back-channel logout); return how many were open."""
    result = db_session().execute(
        update(SignIn)
        .where(SignIn.user_id == user_id, SignIn.ended_at.is_(None))
        .values(ended_at=time.time())
    )
    db_session().commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def first_use_of_logout_token(jti: str, *, remember_for: float) -> bool:
    """True the first time a jti is seen within `remember_for` seconds; False on a replay."""
    now = time.time()
    db_session().execute(
        delete(SeenLogoutToken).where(SeenLogoutToken.seen_at < now - remember_for)
    )
    db_session().add(SeenLogoutToken(jti=jti, seen_at=now))
    try:
        db_session().commit()
    except IntegrityError:
        db_session().rollback()
        return False
    return True


def login_required(view: View) -> View:
    """Send anyone not signed in to sign in, then back to the page they asked for."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if current_user() is None:
            return redirect(url_for("one_login.sign_in", next=this_page()))
        return view(*args, **kwargs)

    return wrapper
