"""Walk every page and every error state in a real browser; axe finds nothing on any."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import SERVER_ERROR_PATH

PAGES = [
    "/",
    "/accessibility-statement",
    "/privacy",
    "/cookies",
    "/feedback",
    "/feedback/thank-you",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible(page: Page, path: str) -> None:
    response = page.goto(path)

    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/no-such-page", 404, "Page not found"),
        (SERVER_ERROR_PATH, 500, "Sorry, there is a problem with the service"),
    ],
)
def test_error_page_is_accessible(page: Page, path: str, status: int, heading: str) -> None:
    response = page.goto(path)

    assert response is not None and response.status == status
    expect(page.locator("h1")).to_have_text(heading)
    assert_accessible(page)


def test_the_unavailable_page_is_accessible(page: Page, served_app: Flask) -> None:
    open_as_usual = served_app.extensions["maintenance"]
    served_app.extensions["maintenance"] = replace(open_as_usual, on=True)
    try:
        response = page.goto("/apply/name")
    finally:
        served_app.extensions["maintenance"] = open_as_usual

    assert response is not None and response.status == 503
    assert response.headers["retry-after"].isdigit()
    expect(page.locator("h1")).to_have_text("Sorry, the service is unavailable")
    assert_accessible(page)


def test_the_too_many_attempts_page_is_accessible(page: Page, served_app: Flask) -> None:
    usual = served_app.extensions["rate_limits"]
    # A limit of its own: other tests' forms are not counted against it.
    served_app.extensions["rate_limits"] = replace(usual, posts="1 per 59 seconds")
    try:
        page.goto("/cookies")
        page.get_by_role("button", name="Save cookie settings").click()
        expect(page.locator("h1")).to_have_text("Cookies")
        with page.expect_response(re.compile("/cookies$")) as sent:
            page.get_by_role("button", name="Save cookie settings").click()
    finally:
        served_app.extensions["rate_limits"] = usual

    assert sent.value.status == 429
    assert sent.value.headers["retry-after"] == "59"
    expect(page.locator("h1")).to_have_text("Too many attempts")
    assert_accessible(page)


def test_is_this_page_useful_is_accessible_and_answered_by_keyboard(
    page: Page, served_app: Flask
) -> None:
    usual = served_app.extensions["page_feedback"]
    served_app.extensions["page_feedback"] = replace(usual, everywhere=True)
    try:
        page.goto("/cookies")
        expect(page.get_by_role("heading", name="Is this page useful?")).to_be_visible()
        assert_accessible(page)
        no = page.get_by_role("button", name="No this page is not useful")
        no.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Tell us how we could improve this service").click()
    finally:
        served_app.extensions["page_feedback"] = usual

    expect(page.locator("h1")).to_contain_text("Give feedback")


def test_feedback_with_no_answer_gets_an_accessible_error(page: Page) -> None:
    page.goto("/feedback")
    page.get_by_role("button", name="Send feedback").click()

    expect(page.locator(".govuk-error-summary")).to_be_focused()
    page.get_by_role("link", name="Select how you felt about the service").click()
    expect(page.get_by_label("Very satisfied", exact=True)).to_be_focused()
    assert_accessible(page)


def test_expired_form_gets_an_accessible_explanation(page: Page) -> None:
    page.goto("/cookies")
    page.context.clear_cookies()  # as if the session expired while the page was open

    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save cookie settings").click()

    expect(page.locator("h1")).to_have_text("Sorry, we could not accept that form")
    assert_accessible(page)


def test_skip_link_is_the_first_thing_a_keyboard_reaches(page: Page, base_url: str) -> None:
    # Once cookies are chosen; until then the banner comes first, as GOV.UK places it.
    page.context.add_cookies([{"name": "cookies_policy", "value": "analytics:no", "url": base_url}])
    page.goto("/privacy")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile("#main-content$"))
    expect(page.locator("main")).to_be_focused()


def test_footer_links_reach_every_page(page: Page) -> None:
    page.goto("/")

    for name, heading in (
        ("Accessibility statement", "Accessibility statement for"),
        ("Cookies", "Cookies"),
        ("Privacy", "Privacy notice for"),
    ):
        page.locator("footer").get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_contain_text(heading)
