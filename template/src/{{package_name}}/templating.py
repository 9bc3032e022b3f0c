"""Jinja set-up: GOV.UK Frontend's templates and macros, and what every page needs."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import BaseLoader, ChoiceLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

from .service import SERVICE


def init_app(app: Flask) -> None:
    own_templates: BaseLoader | None = app.jinja_loader
    app.jinja_loader = ChoiceLoader(
        [
            *([own_templates] if own_templates else []),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    # `wtforms_errors(form)` turns a form's errors into the error summary's list.
    WTFormsHelpers(app)
    app.context_processor(lambda: {"service": SERVICE})
    app.add_template_global(fragment_cache(), "render_once")


def fragment_cache() -> Callable[[str, Callable[[], Markup]], Markup]:
    """`{% call render_once("footer") %}...{% endcall %}` renders its body on the first
    page and reuses it after. GOV.UK Frontend's header and footer macros are most of the
    time a page takes to render, and they are the same on every page. Only for fragments
    that never change between requests: nothing that depends on the user or the page."""
    fragments: dict[str, Markup] = {}

    def render_once(name: str, caller: Callable[[], Markup]) -> Markup:
        if name not in fragments:
            fragments[name] = caller()
        return fragments[name]

    return render_once
