"""A live server on 127.0.0.1 and a Chromium for the end-to-end tests.

Locally the tests use Playwright's own Chromium when it is installed, otherwise the one
named by PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH or /usr/bin/chromium (Debian's package).
CI installs Playwright's with `playwright install --with-deps chromium`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserType, ConsoleMessage, Page, Response, expect
from werkzeug.serving import make_server

from tests.helpers import make_app, make_settings

# Quiet, offline-friendly Chromium: no sandbox in containers, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# A broken page fails in seconds, naming what it waited for, not after 30 seconds.
TIMEOUT_MS = 5_000
expect.set_options(timeout=TIMEOUT_MS)
SERVER_ERROR_PATH = "/test-only/server-error"


def chromium_executable(browser_type: BrowserType) -> str | None:
    """None means Playwright's own browser, which is preferred when it is installed."""
    if configured := os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH"):
        return configured
    if Path(browser_type.executable_path).exists():
        return None
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else None


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType
) -> dict[str, Any]:
    launch_args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if executable := chromium_executable(browser_type):
        launch_args["executable_path"] = executable
    return launch_args


def add_error_route(app: Flask) -> None:
    """A page that fails, so the tests can see what users see when something breaks."""

    def fail() -> str:
        raise RuntimeError("a deliberate failure for the end-to-end tests")

    app.add_url_rule(SERVER_ERROR_PATH, view_func=fail)


@pytest.fixture(scope="session")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The application the browser talks to (one per test process)."""
    app = make_app(make_settings(tmp_path_factory.mktemp("e2e")))
    add_error_route(app)
    return app


@pytest.fixture(scope="session")
def base_url(served_app: Flask) -> Iterator[str]:
    app = served_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(autouse=True)
def no_browser_errors(page: Page) -> Iterator[None]:
    """Fail on script errors, CSP violations and broken assets, on any page."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # A page that is itself a 404 or 500 logs "Failed to load resource"; assets are
        # checked by status below instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    def on_response(response: Response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            problems.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", on_response)
    yield
    assert problems == []


@pytest.fixture(autouse=True)
def short_timeouts(page: Page) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)


@pytest.fixture
def visitor(page: Page, base_url: str) -> Page:
    """A visitor who has already answered the cookie banner."""
    page.context.add_cookies([{"name": "cookies_policy", "value": "analytics:no", "url": base_url}])
    return page


@pytest.fixture
def without_javascript(browser: Browser, base_url: str) -> Iterator[Page]:
    """A visitor whose browser runs no JavaScript."""
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "cookies_policy", "value": "analytics:no", "url": base_url}])
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def axe_checked() -> set[str]:
    """Pages axe has checked in this test process, for walks that share pages."""
    return set()
