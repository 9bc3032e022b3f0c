"""Security headers on every response, the per-request nonce that lets GOV.UK Frontend's
two inline scripts run under a Content Security Policy without 'unsafe-inline', and the
signed session cookie.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, Response, g
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

ONE_YEAR = 365 * 24 * 60 * 60

# Headers that never vary. WhiteNoise adds them to static files too (see assets.py).
STATIC_HEADERS = {
    "Strict-Transport-Security": f"max-age={ONE_YEAR}; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


FORM_TARGETS = "security:form_targets"


def content_security_policy(nonce: str | None = None, form_targets: tuple[str, ...] = ()) -> str:
    """The policy; `form_targets` are other origins a form may lead to (such as GOV.UK
    Pay's payment pages, which a form's response redirects to)."""
    scripts = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    forms = " ".join(("'self'", *form_targets))
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"form-action {forms}",
            "frame-ancestors 'none'",
        )
    )


def csp_nonce() -> str:
    """The nonce for this request's inline scripts, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return str(g.csp_nonce)


def allow_form_targets(app: Flask, origins: tuple[str, ...]) -> None:
    """Let this app's forms lead to `origins` too (a feature's, such as a payment
    provider's pages): the CSP's form-action names them."""
    app.extensions[FORM_TARGETS] = (*app.extensions.get(FORM_TARGETS, ()), *origins)


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's session, a cookie signed with SECRET_KEY, its serializer made once for
    each set of keys rather than twice a request."""

    def __init__(self) -> None:
        self.serializers: dict[tuple[Any, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self.serializers:
            self.serializers[keys] = super().get_signing_serializer(app)
        return self.serializers[keys]


def init_app(app: Flask) -> None:
    app.session_interface = SignedCookieSessions()

    def add_security_headers(response: Response) -> Response:
        response.headers.update(STATIC_HEADERS)
        response.headers["Content-Security-Policy"] = content_security_policy(
            g.get("csp_nonce"), app.extensions.get(FORM_TARGETS, ())
        )
        # Pages can hold what a user typed; keep them out of shared and back-button caches.
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    # GOV.UK Frontend's page template reads `cspNonce` to mark its inline script.
    app.context_processor(lambda: {"cspNonce": csp_nonce()})
    app.after_request(add_security_headers)
