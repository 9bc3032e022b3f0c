"""The pages of saving answers to come back to later, under each journey's URL:

- "Save and come back later", a second button on every question page and check answers
  (a `FormAction`): signed in, the answers are saved at once; otherwise the user gives an
  email address (`/<journey>/save-for-later`) or signs in first.
- `/<journey>/saved-answers`: what happens next.
- `/<journey>/return/<token>`: an emailed link. Opening it changes nothing (a mail
  scanner may open it); its button takes the answers back, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..client_address import client_address
from ..journey_engine import FormAction, Journey, answers_saved, hooks, hooks_of
from ..journey_engine.flow import INTERNAL
from ..journey_engine.forms import form_for
from ..journey_engine.questions import Email
from ..journey_state import JourneyStore, purged_too
from ..metrics import Queue, add_queue
from ..text import _
from .store import (
    LINKS_PER_CLIENT,
    LINKS_PER_EMAIL_ADDRESS,
    by_link,
    days_kept,
    forget,
    link_allowed,
    normal_address,
    purge_expired,
    save_for_link,
    save_for_user,
    take,
    waiting,
)

View = str | Response | tuple[str, int]
SLUGS = ("save-for-later", "saved-answers", "return")


class LinkNotSentError(Exception):
    """The email with the link could not be sent (Notify is down, say)."""


@dataclass
class Ways:
    """How users of this service come back, as the features it has set them
    (by_account.py when it signs people in, by_email.py when it sends email)."""

    # The signed-in user's id, or None.
    user_id: Callable[[], str | None] = lambda: None
    # Where to sign in and then come back to the given path.
    sign_in_url: Callable[[str], str] | None = None
    # Email a link: (address, link, the journey's language); raises LinkNotSentError.
    send_link: Callable[[str, str], None] | None = None


def ways() -> Ways:
    found: Ways = current_app.extensions["save_for_later"]
    return found


def email_question() -> Email:
    return Email(
        name="email",
        label=_("What is your email address?"),
        hint=_("We will send you a link to continue your application."),
        subject=_("your email address"),
    )


def answers_to_save(journey: str) -> dict[str, object]:
    answers = JourneyStore(journey).answers()
    return answers if any(not key.startswith(INTERNAL) for key in answers) else {}


def save_button(journey: Journey) -> Response:
    """The FormAction: the answers so far are saved already (the engine saw to it)."""
    if not answers_to_save(journey.name):
        return redirect(url_for(f"{journey.name}.begin"))
    if (user_id := ways().user_id()) is not None:
        return saved_for(journey.name, user_id)
    return redirect(url_for(f"save_for_later.ask_{journey.name}"))


def saved_for_later(journey: str) -> None:
    """Tell whoever counts (the KPIs); what they record is saved with store.clear()."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    answers_saved.send(app, journey=journey)


def saved_for(journey: str, user_id: str) -> Response:
    store = JourneyStore(journey)
    save_for_user(journey, store.answers(), user_id)
    saved_for_later(journey)
    store.clear()
    return redirect(url_for(f"save_for_later.saved_{journey}", by="account"))


def ask(journey: str) -> View:
    """Signed in: save (after a sign-in this page started). Otherwise: ask for an email
    address, or send the user to sign in when the service sends no email."""
    if not answers_to_save(journey):
        return redirect(url_for(f"{journey}.begin"))
    found = ways()
    if (user_id := found.user_id()) is not None:
        if request.method == "POST":
            return saved_for(journey, user_id)
        return render_template("save_for_later/save.html", page_title=_("Save your answers"))
    if found.send_link is None:
        if found.sign_in_url is None:
            abort(404)
        return redirect(found.sign_in_url(request.path))
    question = email_question()
    form = form_for([question])()
    if form.validate_on_submit():
        return email_link(journey, str(form.data["email"]), found.send_link)
    sign_in = found.sign_in_url(request.path) if found.sign_in_url else None
    return render_template(
        "save_for_later/email.html",
        form=form,
        question=question,
        sign_in_url=sign_in,
        days=days_kept(),
        page_title=question.label,
        back_url=url_for(f"{journey}.begin"),
    )


def email_link(journey: str, email_address: str, send_link: Callable[[str, str], None]) -> View:
    if not link_allowed(f"client:{client_address()}", LINKS_PER_CLIENT):
        page = render_template(
            "save_for_later/too_many.html",
            back_url=url_for(f"{journey}.begin"),
            page_title=_("Too many requests"),
        )
        return page, 429
    if not link_allowed(f"email:{normal_address(email_address)}", LINKS_PER_EMAIL_ADDRESS):
        # Said as if sent: what the page says never tells whether an address asked before.
        return redirect(url_for(f"save_for_later.saved_{journey}", by="email"))
    store = JourneyStore(journey)
    token, saved_id = save_for_link(journey, store.answers(), email_address)
    link = url_for(f"save_for_later.link_{journey}", token=token, _external=True)
    try:
        send_link(email_address, link)
    except LinkNotSentError:
        forget(saved_id)  # nothing saved that nobody can reach; the answers stay here
        page = render_template(
            "save_for_later/not_sent.html",
            back_url=url_for(f"{journey}.begin"),
            page_title=_("Sorry, we could not send the email"),
        )
        return page, 503
    saved_for_later(journey)
    store.clear()
    return redirect(url_for(f"save_for_later.saved_{journey}", by="email"))


def saved(journey: str) -> str:
    by = "account" if request.args.get("by") == "account" else "email"
    return render_template(
        "save_for_later/saved.html",
        by=by,
        days=days_kept(),
        start_url=url_for(f"{journey}.begin"),
        page_title=_("Your answers have been saved"),
    )


def link(journey: str, token: str) -> View:
    """Opening a link shows a button; the button takes the answers back."""
    found = by_link(journey, token)
    if found is None:
        return link_refused(journey)
    if request.method == "POST":
        answers = take(found)
        if answers is None:
            return link_refused(journey)
        return hooks().journeys[journey].restore(answers)
    return render_template(
        "save_for_later/continue.html", page_title=_("Continue your application")
    )


def link_refused(journey: str) -> tuple[str, int]:
    page = render_template(
        "save_for_later/link_refused.html",
        days=days_kept(),
        start_url=url_for(f"{journey}.begin"),
        page_title=_("This link does not work"),
    )
    return page, 404


def init_app(app: Flask, found: Ways) -> None:
    """After the journeys are registered."""
    app.extensions["save_for_later"] = found
    # No alert: they wait for people, and expire on their own (SAVED_ANSWERS_DAYS).
    add_queue(app, Queue("answers_saved_for_later", waiting))
    registry = hooks_of(app)
    registry.form_actions["save-for-later"] = FormAction(
        label=_("Save and come back later"), run=save_button
    )
    pages = Blueprint("save_for_later", __name__, template_folder="templates")
    for name, journey_pages in registry.journeys.items():
        registry.reserve(journey_pages.journey, *SLUGS)
        prefix = journey_pages.journey.url_prefix
        both = ["GET", "POST"]
        pages.add_url_rule(
            f"{prefix}/save-for-later", f"ask_{name}", ask, defaults={"journey": name}, methods=both
        )
        pages.add_url_rule(
            f"{prefix}/saved-answers", f"saved_{name}", saved, defaults={"journey": name}
        )
        pages.add_url_rule(
            f"{prefix}/return/<token>",
            f"link_{name}",
            link,
            defaults={"journey": name},
            methods=both,
        )
    app.register_blueprint(pages)
    purged_too(app, "expired saved answers", purge_expired)
