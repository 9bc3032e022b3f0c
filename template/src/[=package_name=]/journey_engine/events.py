"""How features join a journey without the journey knowing them.

Signals (blinker, as Flask's own), sent with the application as sender=app:

- `journey_started(app, journey=...)` and `page_answered(app, journey=..., page=...)`:
  a user's first answer, and each question page answered (the KPIs count them).
- `application_sending(app, application=...)`: about to be saved; a feature may fill in
  what it knows (who is signed in).
- `application_completed(app, application=..., session=..., after_commit=[...])`: inside
  the transaction that completes it; a feature saves what goes with it in `session` (an
  email in the outbox) and appends work to do once that is committed (sending it).
- `fee_paid(app, journey=<name>, session=...)` and `answers_saved(app, journey=<name>)`:
  sent by the features that take fees and save answers for later, so others (the KPIs)
  can count them without knowing those features.

And the `Hooks` of each app (app.extensions["journey_engine"]), for what changes the
journey's pages: a `Step` between sending and the confirmation (paying a fee), a
`FormAction` (a second button on question pages and check answers: "Save and come back
later"), and notes that features add to check answers and the confirmation page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from blinker import Namespace
from flask import Flask, current_app, request

from ..text import _

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

    from .applications import Application
    from .pages import Journey, Page
    from .views import JourneyPages

signals = Namespace()
application_sending = signals.signal("application-sending")
application_completed = signals.signal("application-completed")
# A user's first answer to a journey, and each question page answered (sender=app,
# journey=..., page=...). Sent before the answers are saved: what a feature adds to
# db_session() meanwhile is saved with them, in the same commit.
journey_started = signals.signal("journey-started")
page_answered = signals.signal("page-answered")
# Inside the transaction that records the payment; once per application.
fee_paid = signals.signal("fee-paid")
# Before the answers leave this browser: what a receiver adds to db_session() is saved
# when they do.
answers_saved = signals.signal("answers-saved")


def announce_answered(journey: Journey, page: Page, *, first: bool) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if first:
        journey_started.send(app, journey=journey)
    page_answered.send(app, journey=journey, page=page)


@dataclass(frozen=True)
class Step:
    """Something the user does between sending an application and its confirmation.

    `start(journey, application)` returns where to send the user, or None once the step is
    done. `resume_endpoint` is the page (given `journey=<name>`) that picks the step up
    again when this browser comes back to the journey.
    """

    start: Callable[[Journey, Application], Response | tuple[str, int] | None]
    resume_endpoint: str


@dataclass(frozen=True)
class FormAction:
    """A second button on question pages and check answers, next to Continue.

    `run(journey)` is called instead of going on, once the page's answer is saved (or
    left out, if it is not valid yet: the answers before it are kept). `shown()` says
    whether the button is offered on this request.
    """

    label: str
    run: Callable[[Journey], Response]
    shown: Callable[[], bool] = lambda: True


@dataclass
class Hooks:
    journeys: dict[str, JourneyPages] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    # By the value of the button that sent the form (name="action").
    form_actions: dict[str, FormAction] = field(default_factory=dict)
    # Templates included on check answers (before the button) and the confirmation page.
    check_answers_notes: list[str] = field(default_factory=list)
    confirmation_notes: list[str] = field(default_factory=list)
    send_button: str = field(default_factory=lambda: _("Accept and send"))

    def actions_shown(self) -> dict[str, FormAction]:
        return {name: action for name, action in self.form_actions.items() if action.shown()}

    def action_chosen(self) -> FormAction | None:
        """The action whose button sent this POST, if it is offered."""
        return self.actions_shown().get(request.form.get("action", ""))

    def reserve(self, journey: Journey, *slugs: str) -> None:
        """A feature's own pages under a journey's URL: no page of the journey may have
        their slugs (it would never be reached)."""
        for slug in slugs:
            if journey.page(slug) is not None:
                raise ValueError(
                    f"The journey {journey.name!r} cannot be used: page {slug!r}: the slug "
                    "is used already, by a feature of the service"
                )


def hooks_of(app: Flask) -> Hooks:
    """The app's hooks, for a feature's init_app to add to (made on first use)."""
    found: Hooks = app.extensions.setdefault("journey_engine", Hooks())
    return found


def hooks() -> Hooks:
    return hooks_of(current_app)
