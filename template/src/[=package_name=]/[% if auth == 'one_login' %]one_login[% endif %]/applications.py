"""What signing in adds to the service's journeys: each application remembers who sent
it, and a signed-in user can see theirs on "Your applications" (/<journey>/your-applications)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, abort, current_app, render_template, url_for
from sqlalchemy import select

from ..database import db_session
from ..journey_engine import Application, application_sending, hooks, hooks_of, readable_reference
from .accounts import current_user, login_required

# A section another feature adds to "Your applications": its template, and what the
# template is given for a journey (by name).
Section = tuple[str, Callable[[str], dict[str, Any]]]
SECTIONS = "one_login:your_applications_sections"


def your_applications_sections(app: Flask) -> list[Section]:
    """The sections "Your applications" shows after the applications sent."""
    found: list[Section] = app.extensions.setdefault(SECTIONS, [])
    return found


def remember_who_sent(_app: Flask, *, application: Application) -> None:
    # Only when someone is signed in: an application is nobody's until then, and another
    # feature may have said whose it is.
    if user := current_user():
        application.user_id = user.user_id


def applications_of(user_id: str, journey: str) -> list[Application]:
    """A signed-in user's applications on one journey, newest first."""
    query = (
        select(Application)
        .where(Application.user_id == user_id, Application.journey == journey)
        .order_by(Application.created_at.desc(), Application.id.desc())
    )
    return list(db_session().scalars(query))


@login_required
def listed(journey: str) -> str:
    """A page only a signed-in user sees: the applications they sent while signed in."""
    pages = hooks().journeys.get(journey) or abort(404)
    user = current_user()
    applications: list[dict[str, Any]] = [
        {
            "reference": readable_reference(application.reference),
            "name": pages.journey.applicant.of(application.answers)["name"] or "",
            "sent_on": f"{application.created_at:%-d %B %Y}",
        }
        for application in (applications_of(user.user_id, journey) if user else [])
    ]
    sections = [
        (template, made(journey)) for template, made in current_app.extensions.get(SECTIONS, [])
    ]
    return render_template(
        "one_login/your_applications.html",
        applications=applications,
        sections=sections,
        start_url=url_for(f"{journey}.begin"),
    )


def your_applications_url() -> str:
    """The service navigation's link: the first journey's "Your applications"."""
    return url_for(f"your_applications.{next(iter(hooks().journeys))}")


def init_app(app: Flask) -> None:
    """After the journeys are registered: a "Your applications" page for each."""
    application_sending.connect(remember_who_sent, app)
    registry = hooks_of(app)
    registry.confirmation_notes.append("one_login/confirmation_note.html")
    pages = Blueprint("your_applications", __name__, template_folder="templates")
    for name, journey_pages in registry.journeys.items():
        registry.reserve(journey_pages.journey, "your-applications")
        path = f"{journey_pages.journey.url_prefix}/your-applications"
        pages.add_url_rule(path, name, listed, defaults={"journey": name})
    app.register_blueprint(pages)
    app.context_processor(lambda: {"your_applications_url": your_applications_url})
