"""The user's cookie choice, kept in the `cookies_policy` cookie as `analytics:yes|no`.

No cookie beyond the essential ones may be set until `CookieConsent.analytics` is True.
If you add analytics, load it only inside `{% if cookie_consent.analytics %}`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request, current_app
from werkzeug.wrappers import Response

COOKIE_NAME = "cookies_policy"
ONE_YEAR = 365 * 24 * 60 * 60


@dataclass(frozen=True)
class CookieConsent:
    analytics: bool

    def cookie_value(self) -> str:
        # Only characters a cookie may hold unquoted, so browsers and servers agree.
        return f"analytics:{'yes' if self.analytics else 'no'}"


def read_consent(request: Request) -> CookieConsent | None:
    """The saved choice, or None if the user has not chosen (or the cookie is garbled)."""
    choices = dict(
        pair.partition(":")[::2] for pair in request.cookies.get(COOKIE_NAME, "").split("|")
    )
    if choices.get("analytics") not in ("yes", "no"):
        return None
    return CookieConsent(analytics=choices["analytics"] == "yes")


def save_consent(response: Response, consent: CookieConsent) -> None:
    response.set_cookie(
        COOKIE_NAME,
        consent.cookie_value(),
        max_age=ONE_YEAR,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
