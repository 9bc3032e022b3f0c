"""Which application the confirmation page confirms: kept in the session once it is sent."""

from __future__ import annotations

from flask import redirect, session, url_for
from werkzeug.wrappers import Response

REFERENCE = "apply:reference"


def show_confirmation(reference: str) -> Response:
    session[REFERENCE] = reference
    return redirect(url_for("apply.confirmation"))


def confirmed_reference() -> str | None:
    reference = session.get(REFERENCE)
    return reference if isinstance(reference, str) else None
