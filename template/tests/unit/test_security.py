"""Security headers on every response, CSRF on every form, safe cookies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.helpers import make_app, make_settings

EXPECTED_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
PATHS = ["/", "/cookies", "/accessibility-statement", "/privacy", "/healthz", "/readyz", "/nope"]


def assert_secure_headers(headers: dict[str, str]) -> None:
    for name, value in EXPECTED_HEADERS.items():
        assert headers.get(name) == value, name
    assert "camera=()" in headers["Permissions-Policy"]
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_the_security_headers(client: FlaskClient, path: str) -> None:
    assert_secure_headers(dict(client.get(path).headers))


def test_static_files_have_the_security_headers(client: FlaskClient) -> None:
    response = client.get("/assets/govuk-frontend.min.css")

    assert response.status_code == 200
    assert_secure_headers(dict(response.headers))


def test_inline_scripts_carry_this_responses_nonce(client: FlaskClient) -> None:
    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert nonce

    scripts = re.findall(r"<script([^>]*)>", response.get_data(as_text=True))
    assert scripts, "GOV.UK Frontend's scripts are on the page"
    for attributes in scripts:
        assert f'nonce="{nonce.group(1)}"' in attributes


def test_each_response_gets_a_fresh_nonce(client: FlaskClient) -> None:
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]

    assert first != second


def test_post_without_csrf_token_gets_the_styled_error_page(client: FlaskClient) -> None:
    response = client.post("/cookies", data={"analytics": "yes"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Sorry, we could not accept that form" in html
    assert "govuk-template" in html
    assert "Traceback" not in html
    assert "cookies_policy" not in response.headers.get("Set-Cookie", "")


def test_production_session_cookie_is_secure(tmp_path: Path) -> None:
    app = make_app(make_settings(tmp_path, environment="production"))

    response = app.test_client().get("/")

    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_html_pages_are_not_cached(client: FlaskClient) -> None:
    assert client.get("/").headers["Cache-Control"] == "no-store"
