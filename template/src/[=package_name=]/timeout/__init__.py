"""Time limits people can live with (WCAG 2.2 success criterion 2.2.1, Timing Adjustable).

A journey's answers are deleted after JOURNEY_IDLE_TIMEOUT seconds with nothing done
(journey_state.py). JOURNEY_TIMEOUT_WARNING seconds before that, every page with answers
behind it opens a dialog (timeout-warning.js) that counts down and offers "Continue",
which keeps the answers for another full period, or "Delete your answers" ("Sign out"
for a signed-in user, when a feature says how: `sign_out_with`). Without
JavaScript, question pages say how long answers are kept, and a page opened after they
were deleted explains what happened (timed_out.html).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, current_app, redirect, render_template, url_for
from flask_babel import format_timedelta
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from ..journey_state import keep_answers, open_journeys
from ..text import _, page_language

timeout = Blueprint("timeout", __name__, template_folder="templates")
SECONDS_A_MINUTE = 60
SIGN_OUT = "timeout:sign_out_url"


def duration(seconds: int) -> str:
    """The length in words, exact, in the page's language: 2 hours, 90 minutes."""
    length = timedelta(seconds=seconds)
    if seconds % (60 * SECONDS_A_MINUTE) == 0:
        return str(format_timedelta(length, threshold=1))
    granularity = "minute" if seconds % SECONDS_A_MINUTE == 0 else "second"
    # No threshold is reached, so the count is in the granularity's unit: "90 minutes".
    return str(format_timedelta(length, granularity=granularity, threshold=math.inf))


def time_left_sentences(warning: int) -> dict[int, str]:
    """What the dialog says with n seconds left, for the n the countdown shows: each
    second in the last minute, then whole minutes, rounded up. Made here, so the words
    are in the page's language; the script only picks one."""
    marks = list(range(1, SECONDS_A_MINUTE + 1))
    marks += range(2 * SECONDS_A_MINUTE, warning + SECONDS_A_MINUTE, SECONDS_A_MINUTE)
    return {
        mark: _("We will delete your answers in %(time)s.", time=duration(mark)) for mark in marks
    }


def warning_settings() -> dict[str, Any] | None:
    """What the page's dialog needs, when there are answers to lose; None otherwise."""
    if not any(store.answers() for store in open_journeys()):
        return None
    settings = current_app.extensions["settings"]
    sign_out_url: Callable[[], str | None] = current_app.extensions.get(SIGN_OUT, lambda: None)
    return {
        "idle": settings.journey_idle_timeout,
        "warning": settings.journey_timeout_warning,
        "sentences": sentences_as_json(settings.journey_timeout_warning),
        "sign_out_url": sign_out_url(),
        "csrf_token": generate_csrf(),
    }


def sign_out_with(app: Flask, sign_out_url: Callable[[], str | None]) -> None:
    """A feature that signs people in: where the dialog's "Sign out" goes for a
    signed-in user (None: not signed in, so "Delete your answers" instead)."""
    app.extensions[SIGN_OUT] = sign_out_url


def sentences_as_json(warning: int) -> str:
    """time_left_sentences for the page's language, made once per language: they are the
    same on every page, and making them is most of the time the dialog costs."""
    made: dict[str, str] = current_app.extensions.setdefault("timeout_sentences", {})
    language = page_language()
    if language not in made:
        sentences = time_left_sentences(warning)
        made[language] = json.dumps({str(mark): str(text) for mark, text in sentences.items()})
    return made[language]


def kept_for() -> str:
    """How long answers are kept with nothing done, in words, for pages to say."""
    return duration(current_app.extensions["settings"].journey_idle_timeout)


@timeout.post("/keep-answers")
def keep() -> Response | tuple[str, int]:
    """The dialog's Continue: keep the answers for another full period."""
    if keep_answers():
        return "", 204
    return "", 410  # gone already: the script then shows the timed-out page


@timeout.post("/delete-answers")
def delete() -> Response:
    for store in open_journeys():
        store.clear()
    return redirect(url_for("timeout.deleted"))


@timeout.get("/answers-deleted")
def deleted() -> str:
    return render_template("timeout/deleted.html")


@timeout.get("/timed-out")
def timed_out() -> str:
    # Only pointers to answers that are gone are dropped; live answers are never deleted
    # by a GET (the dialog's countdown can end a moment before the server's).
    for store in open_journeys():
        if store.timed_out():
            store.forget()
    return render_template("timeout/timed_out.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(timeout)
    app.add_template_global(warning_settings, "timeout_warning")
    app.add_template_global(kept_for, "answers_kept_for")
