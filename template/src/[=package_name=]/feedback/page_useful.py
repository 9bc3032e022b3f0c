"""GOV.UK's "Is this page useful?" (the Feedback component) at the foot of pages: on
every page when PAGE_FEEDBACK=true, or on a page whose template says
`{% set page_feedback = true %}` (and off on one that says `false`).

Each answer is counted in the KPIs' events ("page useful" or "page not useful", by the
page's route, by the hour): nothing that says who, and never a page's address, which can
hold a secret link. "No" leads on to the feedback page, to say what would be better.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, flash, redirect, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..config import switch
from ..database import db_session
from ..kpis.models import PAGE_NOT_USEFUL, PAGE_USEFUL, record
from ..redirects import local_url

page_useful = Blueprint("page_useful", __name__)
ANSWERS = {"yes": PAGE_USEFUL, "no": PAGE_NOT_USEFUL}
# Where the thank-you is shown: the page the answer came from.
THANKS = "page_useful"


@dataclass(frozen=True)
class PageFeedbackSettings:
    everywhere: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PageFeedbackSettings:
        return cls(everywhere=switch(env, "PAGE_FEEDBACK"))


def route_of(path: str) -> str | None:
    """The route a path of this service matches ("/apply/<slug>"), or None."""
    adapter = current_app.url_map.bind("localhost")
    try:
        rule, _arguments = adapter.match(path, return_rule=True)
    except HTTPException:
        return None
    return str(rule.rule)


@page_useful.post("/feedback/page-useful")
def answer() -> Response:
    # Checked for its CSRF token already, as every POST is (CSRFProtect). Only a page of
    # this service is counted and returned to: never somewhere the form names.
    given_page = request.form.get("page", "")
    page = urlsplit(local_url(given_page, fallback="")).path
    route = route_of(page) if page and page == given_page else None
    given = request.form.get("useful", "")
    if route is None or given not in ANSWERS:
        abort(400)
    record(db_session(), ANSWERS[given], "", route)
    db_session().commit()
    flash(given, THANKS)
    return redirect(f"{page}#page-feedback")


def shown_everywhere() -> bool:
    settings: PageFeedbackSettings = current_app.extensions["page_feedback"]
    return settings.everywhere


def init_app(app: Flask, env: Mapping[str, str] | None = None) -> None:
    app.extensions["page_feedback"] = PageFeedbackSettings.from_env(
        os.environ if env is None else env
    )
    app.register_blueprint(page_useful)
    app.context_processor(lambda: {"page_feedback_everywhere": shown_everywhere})
