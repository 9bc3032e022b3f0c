"""Jinja set-up: GOV.UK Frontend's templates and macros, and what every page needs."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, KeysView, MutableMapping
from typing import Any

from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import BaseLoader, ChoiceLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

from .service import SERVICE


class TemplateGlobals(ChainMap[str, Any]):
    """A template's globals (its own, over the environment's), as Jinja keeps them, with
    their names read as one dict. On every `{% from ... import %}` Jinja takes these names
    away from the page's; ChainMap looks each one up in Python, and a question page, with
    about 18 imports of 25 names, spent 8% of its time there (under cProfile)."""

    def keys(self) -> KeysView[str]:
        merged: dict[str, Any] = {}
        for layer in reversed(self.maps):
            merged.update(layer)
        return merged.keys()


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, with templates' globals in a `TemplateGlobals`."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return TemplateGlobals({} if d is None else d, self.globals)


class Application(Flask):
    jinja_environment = Environment


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
