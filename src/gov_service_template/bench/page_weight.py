"""Page weight: what a fresh browser's first visit to the start page transfers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .report import Figure, Report
from .running import gunicorn, package_of

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KB = 1000


def chromium_executable(playwright: Any) -> str:
    """Playwright's own Chromium when installed; otherwise the system's (Debian's package)."""
    configured = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH")
    if configured:
        return configured
    own = Path(playwright.chromium.executable_path)
    return str(own) if own.exists() else "/usr/bin/chromium"


def first_visit(url: str) -> list[dict[str, Any]]:
    """Every response a fresh browser receives loading the page, with its size on the wire."""
    from playwright.sync_api import sync_playwright

    transfers: list[dict[str, Any]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(playwright), args=CHROMIUM_FLAGS
        )
        page = browser.new_page()

        def record(request: Any) -> None:
            response = request.response()
            sizes = request.sizes()
            transfers.append(
                {
                    "url": request.url.removeprefix(url),
                    "type": request.resource_type,
                    "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                    "content-encoding": response.headers.get("content-encoding", ""),
                    "cache-control": response.headers.get("cache-control", ""),
                }
            )

        page.on("requestfinished", record)
        page.goto(f"{url}/", wait_until="networkidle")
        browser.close()
    return transfers


def bench_page_weight(report: Report, project: Path, env: Mapping[str, str], workers: int) -> None:
    with gunicorn(project, f"{package_of(project)}:create_app()", workers, env) as server:
        transfers = first_visit(server.url)
    assets = [transfer for transfer in transfers if transfer["url"].startswith("/assets/")]
    immutable = [asset for asset in assets if "immutable" in asset["cache-control"]]
    compressible = [asset for asset in assets if asset["type"] in ("stylesheet", "script")]
    compressed = [asset for asset in compressible if asset["content-encoding"]]
    total = sum(transfer["bytes"] for transfer in transfers) / KB
    report.details["start page first visit"] = transfers
    report.add(
        Figure(
            "start page weight",
            total,
            "KB",
            note=(
                f"{len(transfers)} responses; {len(immutable)}/{len(assets)} assets immutable, "
                f"{len(compressed)}/{len(compressible)} CSS/JS compressed"
            ),
        )
    )


# --- update -------------------------------------------------------------------------------
