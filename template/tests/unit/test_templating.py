"""Fragments the same on every page are rendered once per application, then reused."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient


def test_a_fragment_is_rendered_once_then_reused(app: Flask) -> None:
    with app.test_request_context():
        template = app.jinja_env.from_string('{% call render_once("x") %}{{ n }}{% endcall %}')

        assert template.render(n=1) == "1"
        assert template.render(n=2) == "1"


def test_every_page_has_the_same_header_and_footer(client: FlaskClient) -> None:
    def header_and_footer(path: str) -> list[str]:
        html = client.get(path).get_data(as_text=True)
        return re.findall(r"<header.*?</header>|<footer.*?</footer>", html, flags=re.DOTALL)

    first = header_and_footer("/")

    assert len(first) == 2
    assert header_and_footer("/privacy") == first
    assert header_and_footer("/this-page-does-not-exist") == first
