"""Static files: fingerprinted, compressed, cached for a year, and GOV.UK Frontend 6.6.0."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

IMMUTABLE = "max-age=315360000, public, immutable"


AssetUrl = Callable[[str], str]


@pytest.fixture
def asset_url(app: Flask) -> AssetUrl:
    url_for_asset: AssetUrl = app.jinja_env.globals["asset_url"]  # type: ignore[assignment]
    return url_for_asset


def test_pages_link_assets_by_fingerprinted_url(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)

    assert re.search(r'href="/assets/govuk-frontend\.min\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'from "/assets/govuk-frontend\.min\.[0-9a-f]{12}\.js"', html)


def test_fingerprinted_assets_are_cached_for_a_year(
    client: FlaskClient, asset_url: AssetUrl
) -> None:
    response = client.get(asset_url("govuk-frontend.min.css"))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["Content-Type"].startswith("text/css")


def test_assets_are_served_compressed(client: FlaskClient, asset_url: AssetUrl) -> None:
    plain = client.get(asset_url("govuk-frontend.min.css"))
    gzipped = client.get(asset_url("govuk-frontend.min.css"), headers={"Accept-Encoding": "gzip"})

    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in gzipped.headers["Vary"]
    assert len(gzipped.get_data()) < len(plain.get_data()) / 4


def test_everything_the_css_asks_for_is_served_and_immutable(client: FlaskClient) -> None:
    css = client.get("/assets/govuk-frontend.min.css").get_data(as_text=True)
    urls = set(re.findall(r"url\((/assets/[^)]+)\)", css))
    assert any(url.endswith(".woff2") for url in urls), "the fonts"
    assert any(url.endswith(".svg") for url in urls), "the crest in the footer"

    for url in urls:
        response = client.get(url)

        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url


def test_plain_names_get_a_short_cache(client: FlaskClient) -> None:
    response = client.get("/assets/images/favicon.svg")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=3600, public"


def test_vendored_govuk_frontend_is_the_release_the_macros_were_checked_against(
    client: FlaskClient,
) -> None:
    # The template's markup parity check compares the macros with this release's examples.
    script = client.get("/assets/govuk-frontend.min.js").get_data(as_text=True)

    assert 'version="6.6.0"' in script
