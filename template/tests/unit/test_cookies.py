"""Cookie consent: nothing optional before the user says yes, and the choice sticks."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.helpers import page_token

ESSENTIAL_COOKIES = {"session", "__Host-session", "cookies_policy"}


def consent(client: FlaskClient) -> str | None:
    cookie = client.get_cookie("cookies_policy")
    return cookie.value if cookie else None


def test_no_cookie_but_essential_ones_before_consent(client: FlaskClient) -> None:
    set_cookies = [
        header.split("=", 1)[0]
        for path in ("/", "/cookies", "/privacy", "/accessibility-statement", "/nope")
        for header in client.get(path).headers.getlist("Set-Cookie")
    ]

    assert set_cookies, "the session cookie that protects forms is set"
    assert set(set_cookies) <= ESSENTIAL_COOKIES - {"cookies_policy"}


def test_banner_asks_until_the_user_chooses(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)

    assert "Accept analytics cookies" in html
    assert 'action="/cookies/banner"' in html


def test_banner_is_not_shown_on_the_cookies_page(client: FlaskClient) -> None:
    assert "Accept analytics cookies" not in client.get("/cookies").get_data(as_text=True)


def test_accepting_in_the_banner_saves_consent_and_confirms_once(client: FlaskClient) -> None:
    token = page_token(client, "/privacy")

    response = client.post(
        "/cookies/banner", data={"csrf_token": token, "cookies": "accept", "next": "/privacy"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy"
    assert consent(client) == "analytics:yes"
    confirmation = client.get("/privacy").get_data(as_text=True)
    assert "You’ve accepted analytics cookies" in confirmation
    assert "Hide cookie message" in confirmation
    after = client.get("/privacy").get_data(as_text=True)
    assert "govuk-cookie-banner" not in after


def test_rejecting_in_the_banner_saves_the_refusal(client: FlaskClient) -> None:
    token = page_token(client, "/")

    client.post("/cookies/banner", data={"csrf_token": token, "cookies": "reject", "next": "/"})

    assert consent(client) == "analytics:no"
    assert "You’ve rejected analytics cookies" in client.get("/").get_data(as_text=True)


def test_banner_never_redirects_off_the_service(client: FlaskClient) -> None:
    for target in ("https://example.com/", "//example.com/", "/\\example.com", "", "javascript:x"):
        token = page_token(client, "/cookies")  # the banner is gone after the first choice
        response = client.post(
            "/cookies/banner", data={"csrf_token": token, "cookies": "accept", "next": target}
        )
        assert response.headers["Location"] == "/", target


def test_banner_ignores_an_unknown_choice(client: FlaskClient) -> None:
    token = page_token(client, "/")

    client.post("/cookies/banner", data={"csrf_token": token, "cookies": "maybe", "next": "/"})

    assert consent(client) is None


def test_cookies_page_without_a_choice_shows_the_error_summary(client: FlaskClient) -> None:
    token = page_token(client, "/cookies")

    response = client.post("/cookies", data={"csrf_token": token})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Cookies" in html
    assert "govuk-error-summary" in html
    assert 'href="#analytics"' in html
    assert "Select yes if you want to accept analytics cookies" in html
    assert consent(client) is None


def test_cookies_page_saves_and_shows_the_choice(client: FlaskClient) -> None:
    token = page_token(client, "/cookies")

    response = client.post(
        "/cookies", data={"csrf_token": token, "analytics": "no"}, follow_redirects=True
    )

    html = response.get_data(as_text=True)
    assert "You’ve set your cookie preferences" in html
    assert consent(client) == "analytics:no"
    assert 'value="no" checked' in html


def test_a_garbled_consent_cookie_counts_as_no_choice(client: FlaskClient) -> None:
    client.set_cookie("cookies_policy", "analytics:perhaps")

    assert "Accept analytics cookies" in client.get("/").get_data(as_text=True)
