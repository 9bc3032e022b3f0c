"""The cookie banner and cookies page: by mouse, by keyboard, and without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.accessibility import assert_accessible


def consent(context: BrowserContext) -> str | None:
    values = [cookie["value"] for cookie in context.cookies() if cookie["name"] == "cookies_policy"]
    return values[0] if values else None


def non_essential_cookies(context: BrowserContext) -> list[str]:
    essential = {"session", "__Host-session", "cookies_policy"}
    return [cookie["name"] for cookie in context.cookies() if cookie["name"] not in essential]


def test_banner_accept_confirms_and_hides(page: Page) -> None:
    page.goto("/privacy")
    banner = page.get_by_role("region", name="Cookies on")
    assert_accessible(page)
    assert consent(page.context) is None

    banner.get_by_role("button", name="Accept analytics cookies").click()

    expect(banner).to_contain_text("You’ve accepted analytics cookies")
    expect(page.locator("h1")).to_contain_text("Privacy notice")
    assert consent(page.context) == "analytics:yes"
    assert_accessible(page)
    banner.get_by_role("button", name="Hide cookie message").click()
    expect(page.get_by_role("region", name="Cookies on")).to_have_count(0)


def test_banner_reject_by_keyboard(page: Page) -> None:
    page.goto("/")
    reject = page.get_by_role("button", name="Reject analytics cookies")

    for _ in range(10):  # a bounded walk through the tab order
        if reject.evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(reject).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("region", name="Cookies on")).to_contain_text(
        "You’ve rejected analytics cookies"
    )
    assert consent(page.context) == "analytics:no"
    assert non_essential_cookies(page.context) == []


def test_cookie_choices_work_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    try:
        page.goto("/accessibility-statement")
        page.get_by_role("button", name="Accept analytics cookies").click()
        expect(page.get_by_role("region", name="Cookies on")).to_contain_text("accepted")

        page.get_by_role("button", name="Hide cookie message").click()
        expect(page.get_by_role("region", name="Cookies on")).to_have_count(0)

        page.goto("/cookies")
        page.get_by_label("No").check()
        page.get_by_role("button", name="Save cookie settings").click()
        expect(page.get_by_text("You’ve set your cookie preferences")).to_be_visible()
        assert consent(context) == "analytics:no"
    finally:
        context.close()


def test_cookies_page_error_state_by_keyboard(page: Page) -> None:
    page.goto("/cookies")
    save = page.get_by_role("button", name="Save cookie settings")
    save.focus()
    page.keyboard.press("Enter")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Cookies"))
    assert_accessible(page)

    summary.get_by_role("link", name="Select yes if you want to accept analytics cookies").click()
    expect(page.get_by_label("Yes")).to_be_focused()
    page.keyboard.press("Space")
    save.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You’ve set your cookie preferences")).to_be_visible()
    assert consent(page.context) == "analytics:yes"
    assert_accessible(page)
