"""The example journey in a real browser: by keyboard alone, without JavaScript, and every
error state checked by axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.accessibility import assert_accessible

EMPTY_ERRORS = {
    "name": "Enter your full name",
    "date-of-birth": "Enter your date of birth",
    "experience": "Select yes if you have juggled in public before",
    "equipment": "Select what you will juggle",
    "email": "Enter your email address",
    "address": "Enter address line 1, typically the building and street",
    "act": "Describe your juggling act",
}


@pytest.fixture
def consented_page(page: Page, base_url: str) -> Page:
    """A visitor who has already answered the cookie banner."""
    page.context.add_cookies([{"name": "cookies_policy", "value": "analytics:no", "url": base_url}])
    return page


def tab_to(page: Page, target: Locator, limit: int = 60) -> None:
    """Press Tab until the target has focus, as a keyboard user would (a bounded walk)."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def continue_by_keyboard(page: Page) -> None:
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")


def test_the_journey_can_be_completed_by_keyboard_alone(consented_page: Page) -> None:
    page = consented_page
    page.goto("/")
    tab_to(page, page.get_by_role("button", name="Start now"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile("/apply/name$"))
    type_into(page, page.get_by_label("What is your full name?"), "Ada Lovelace")
    page.keyboard.press("Enter")

    type_into(page, page.get_by_label("Day"), "10")
    type_into(page, page.get_by_label("Month"), "12")
    type_into(page, page.get_by_label("Year"), "1990")
    continue_by_keyboard(page)

    tab_to(page, page.get_by_label("Yes"))
    page.keyboard.press("Space")
    type_into(page, page.get_by_label("How many years have you juggled in public?"), "5")
    continue_by_keyboard(page)

    tab_to(page, page.get_by_label("Balls"))
    page.keyboard.press("Space")
    continue_by_keyboard(page)

    type_into(page, page.get_by_label("What is your email address?"), "ada@example.com")
    page.keyboard.press("Enter")

    type_into(page, page.get_by_label("Address line 1"), "1 High Street")
    type_into(page, page.get_by_label("Town or city"), "Leeds")
    type_into(page, page.get_by_label("Postcode"), "LS1 1AB")
    continue_by_keyboard(page)

    type_into(page, page.get_by_label("Describe your juggling act"), "Five balls.")
    continue_by_keyboard(page)

    expect(page.locator("h1")).to_have_text("Check your answers before sending your application")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Accept and send"))
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-panel__title")).to_have_text("Application complete")
    expect(page.locator(".govuk-panel__body strong")).to_have_text(
        re.compile(r"^\w{4} \w{4} \w{4}$")
    )
    assert_accessible(page)


def test_the_journey_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    try:
        page.goto("/apply/")
        page.get_by_label("What is your full name?").fill("Ada Lovelace")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Day").fill("10")
        page.get_by_label("Month").fill("Dec")
        page.get_by_label("Year").fill("1990")
        page.get_by_role("button", name="Continue").click()
        # Without JavaScript the follow-up question is simply always shown.
        page.get_by_label("Yes").check()
        page.get_by_label("How many years have you juggled in public?").fill("2")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Rings").check()
        page.get_by_label("Fire torches").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("What is your email address?").fill("ada@example.com")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Address line 1").fill("1 High Street")
        page.get_by_label("Town or city").fill("Leeds")
        page.get_by_label("Postcode").fill("ls11ab")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Describe your juggling act").fill("Rings and torches.")
        page.get_by_role("button", name="Continue").click()

        summary = page.locator(".govuk-summary-list")
        expect(summary).to_contain_text("Yes, for 2 years")
        expect(summary).to_contain_text("Rings")
        expect(summary).to_contain_text("LS1 1AB")
        page.get_by_role("link", name="Change email address").click()
        page.get_by_label("What is your email address?").fill("ada@example.org")
        page.get_by_role("button", name="Continue").click()
        expect(summary).to_contain_text("ada@example.org")

        page.get_by_role("button", name="Accept and send").click()
        expect(page.locator(".govuk-panel__title")).to_have_text("Application complete")
    finally:
        context.close()


@pytest.mark.parametrize(("slug", "message"), EMPTY_ERRORS.items())
def test_every_empty_page_shows_an_accessible_error(
    consented_page: Page, slug: str, message: str
) -> None:
    page = consented_page
    complete_until(page, slug)

    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    first_error = summary.get_by_role("link").first
    expect(first_error).to_have_text(message)
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-message").first).to_contain_text(message)
    assert_accessible(page)
    first_error.click()
    focused_id = page.evaluate("document.activeElement.id")
    assert focused_id, "the summary link moves focus to the field"


@pytest.mark.parametrize(
    ("slug", "fills", "message"),
    [
        ("date-of-birth", {"Day": "31", "Month": "2", "Year": "1990"}, "Date of birth must be a real date"),
        ("date-of-birth", {"Day": "1", "Year": "1990"}, "Date of birth must include a month"),
        ("experience", {"Yes": None}, "Enter how many years you have juggled in public"),
        ("email", {"What is your email address?": "ada@"}, "Enter an email address in the correct format"),
        ("address", {"Address line 1": "1 High St", "Town or city": "Leeds", "Postcode": "LS1"}, "Enter a full UK postcode"),
        ("act", {"Describe your juggling act": "x" * 501}, "Description must be 500 characters or fewer"),
    ],
)  # fmt: skip
def test_wrong_answers_show_accessible_errors(
    consented_page: Page, slug: str, fills: dict[str, str | None], message: str
) -> None:
    page = consented_page
    complete_until(page, slug)
    for label, value in fills.items():
        field = page.get_by_label(label, exact=True)
        if value is None:
            field.check()
        else:
            field.fill(value)

    page.get_by_role("button", name="Continue").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    assert_accessible(page)


def test_years_are_asked_only_after_yes(consented_page: Page) -> None:
    page = consented_page
    complete_until(page, "experience")
    years = page.get_by_label("How many years have you juggled in public?")

    expect(years).to_be_hidden()
    page.get_by_label("Yes").check()
    expect(years).to_be_visible()


def test_the_character_count_counts_down(consented_page: Page) -> None:
    page = consented_page
    complete_until(page, "act")

    page.get_by_label("Describe your juggling act").fill("x" * 480)

    expect(page.get_by_text("You have 20 characters remaining")).to_be_visible()


def complete_until(page: Page, slug: str) -> None:
    """Answer every page before `slug`, then stand on it."""
    steps = {
        "name": lambda: page.get_by_label("What is your full name?").fill("Ada Lovelace"),
        "date-of-birth": lambda: fill_date(page, "10", "12", "1990"),
        "experience": lambda: page.get_by_label("No").check(),
        "equipment": lambda: page.get_by_label("Clubs").check(),
        "email": lambda: page.get_by_label("What is your email address?").fill("ada@example.com"),
        "address": lambda: fill_address(page),
    }
    page.goto("/apply/")
    for step, answer_step in steps.items():
        if step == slug:
            return
        answer_step()
        page.get_by_role("button", name="Continue").click()


def fill_date(page: Page, day: str, month: str, year: str) -> None:
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill(year)


def fill_address(page: Page) -> None:
    page.get_by_label("Address line 1").fill("1 High Street")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill("LS1 1AB")
