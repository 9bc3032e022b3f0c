"""The timeout warning in a real browser, with the page's clock moved on rather than
waited for: it opens before the answers are deleted, is announced, keeps focus, passes
axe, keeps the answers on Continue (or Escape), and leads to the timed-out page when
left; by keyboard alone, and with the limit said in words without JavaScript."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.browsing import answer, on, submit
from tests.journeys import JOURNEY, walk

FIRST, SECOND = list(walk(JOURNEY))[:2]
SECOND_OF_A_MINUTE = 1_000


@pytest.fixture
def limits(served_app: Flask) -> tuple[int, int]:
    """The idle timeout and the warning time, in milliseconds."""
    settings = served_app.extensions["settings"]
    return settings.journey_idle_timeout * 1_000, settings.journey_timeout_warning * 1_000


def with_answers_behind_it(visitor: Page) -> Locator:
    """On the journey's second page, with the first answered, on a clock the test moves."""
    visitor.clock.install()
    visitor.goto(FIRST.path)
    answer(visitor, FIRST)
    submit(visitor)
    on(visitor, SECOND)
    # The warning's script runs after the page has loaded: its countdown starts then, so
    # the clock is moved only once it has.
    expect(visitor.locator("[data-app-timeout-warning-init]")).to_be_attached()
    return visitor.get_by_role("dialog", name="Do you need more time?")


def until_the_warning(page: Page, limits: tuple[int, int]) -> None:
    idle, warning = limits
    page.clock.fast_forward(idle - warning + SECOND_OF_A_MINUTE)


def focus_is_inside(dialog: Locator) -> bool:
    return bool(dialog.evaluate("dialog => dialog.contains(document.activeElement)"))


def test_the_warning_opens_in_time_keeps_focus_and_passes_axe(
    visitor: Page, limits: tuple[int, int]
) -> None:
    dialog = with_answers_behind_it(visitor)
    expect(dialog).to_be_hidden()

    until_the_warning(visitor, limits)

    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("We will delete your answers in 2 minutes.")
    assert focus_is_inside(dialog)
    for key in ["Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]:
        visitor.keyboard.press(key)
        assert focus_is_inside(dialog), f"focus left the dialog after {key}"
    # Read out as the minutes change, not every second.
    announcement = dialog.locator("[aria-live=polite]")
    visitor.clock.run_for(SECOND_OF_A_MINUTE * 5)
    expect(announcement).to_have_text("")
    visitor.clock.run_for(SECOND_OF_A_MINUTE * 60)
    expect(announcement).to_have_text("We will delete your answers in 1 minute.")
    visitor.clock.resume()  # axe keeps its own time
    assert_accessible(visitor)


def test_continue_by_keyboard_keeps_the_answers(visitor: Page, limits: tuple[int, int]) -> None:
    dialog = with_answers_behind_it(visitor)
    until_the_warning(visitor, limits)
    expect(dialog).to_be_visible()

    with visitor.expect_response("**/keep-answers") as kept:
        visitor.keyboard.press("Enter")  # focus starts on Continue

    assert kept.value.status == 204
    expect(dialog).to_be_hidden()
    # A whole new period: nothing where the old one ended, the warning before the new end.
    idle, warning = limits
    visitor.clock.fast_forward(warning)
    expect(dialog).to_be_hidden()
    visitor.clock.fast_forward(idle - 2 * warning + SECOND_OF_A_MINUTE)
    expect(dialog).to_be_visible()
    with visitor.expect_response("**/keep-answers"):
        visitor.keyboard.press("Escape")  # Escape means "still here", too
    expect(dialog).to_be_hidden()
    visitor.reload()
    on(visitor, SECOND)  # the answers are still there: not sent back to the first page


def test_letting_it_run_out_leads_to_the_timed_out_page(
    visitor: Page, limits: tuple[int, int]
) -> None:
    dialog = with_answers_behind_it(visitor)
    until_the_warning(visitor, limits)
    expect(dialog).to_be_visible()

    visitor.clock.fast_forward(limits[1])

    expect(visitor).to_have_url("/timed-out")
    expect(visitor.locator("h1")).to_have_text("For your security, we deleted your answers")
    visitor.clock.resume()
    assert_accessible(visitor)


def test_deleting_the_answers_from_the_warning(visitor: Page, limits: tuple[int, int]) -> None:
    dialog = with_answers_behind_it(visitor)
    until_the_warning(visitor, limits)

    dialog.get_by_role("button", name="Delete your answers").click()

    expect(visitor.locator("h1")).to_have_text("Your answers have been deleted")
    visitor.clock.resume()
    assert_accessible(visitor)
    visitor.goto(SECOND.path)
    on(visitor, FIRST)


def test_without_javascript_the_page_says_how_long_answers_are_kept(
    without_javascript: Page,
) -> None:
    without_javascript.goto(FIRST.path)
    answer(without_javascript, FIRST)
    submit(without_javascript)

    on(without_javascript, SECOND)
    expect(without_javascript.get_by_text("if you do not do anything for 2 hours")).to_be_visible()
    expect(without_javascript.get_by_role("dialog")).to_be_hidden()
