"""Jinja set-up: GOV.UK Frontend's templates and macros, and what every page needs."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, KeysView, MutableMapping, Sequence
from types import CodeType
from typing import Any

from flask import Flask, current_app
from flask.templating import Environment as FlaskEnvironment
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import BaseLoader, BytecodeCache, ChoiceLoader, PackageLoader, PrefixLoader
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from .service import SERVICE

SHAPES = "templating:markup_by_shape"


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


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, for every app made in it. Compiling is most of
    the time a new app takes to show its first pages: the tests make an app for each
    test, and compiled the same templates hundreds of times. Kept by the template's name
    and the checksum of its source, so a changed template is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self.compiled.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.compiled[bucket.key] = (bucket.checksum, bucket.code)


class Application(Flask):
    jinja_environment = Environment
    # Every template the service has, kept compiled in a plain dict: Jinja's default
    # cache (400 templates, least recently used first) takes a lock and reorders a list
    # on every `{% from ... import %}`, and a question page makes about 27 of them.
    jinja_options = {  # noqa: RUF012 (Flask's)
        **Flask.jinja_options,
        "cache_size": -1,
        "bytecode_cache": CompiledTemplates(),
    }


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
    app.add_template_global(made_by_shape)
    app.extensions[SHAPES] = MarkupByShape()


def markup_by_shape() -> MarkupByShape:
    """This app's markup kept by shape (MarkupByShape, below)."""
    shapes: MarkupByShape = current_app.extensions[SHAPES]
    return shapes


def made_by_shape(
    params: dict[str, Any], caller: Callable[[], Markup], typed: Sequence[str] = ()
) -> Markup:
    """`{% call made_by_shape(params) %}{{ govukBackLink(params) }}{% endcall %}`: markup
    that depends on its parameters alone (a back link, a button), made once for each set
    of them (MarkupByShape, below, in the page's language). The values of the `typed`
    keys differ every time (a form's token): put back in, escaped. A macro imported
    inside the call is imported only when the markup is made."""
    return markup_by_shape().render(params, [(params, key) for key in typed], caller)


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


# Where a user's own words go while markup is made: kept apart from the markup, and put
# back escaped, as the macro writes them.
TYPED = "\x00typed-{}\x00"
Holder = tuple[dict[str, Any], str]  # a dict in a macro's parameters, and the key in it


class MarkupByShape:
    """A macro's markup made once for each shape its parameters take, then reused.

    GOV.UK Frontend's macros are most of a page's time, and a question or a check answers
    row makes the same markup every time apart from the user's answer. So the macro runs
    with a placeholder where each answer goes, the markup is kept by the rest of the
    parameters (wording, language, which choices are ticked), and each answer is put
    back escaped, exactly as the macro escapes it. Nothing a user typed is kept; an
    answer the macro would change (trimmed, indented) is made afresh every time.
    """

    def __init__(self, limit: int = 1000) -> None:
        self.kept: dict[str, str] = {}
        self.limit = limit

    def render(self, params: Any, holders: Sequence[Holder], make: Callable[[], Any]) -> Markup:
        filled = [(part, key) for part, key in holders if part.get(key)]
        typed = [part[key] for part, key in filled]
        if not all(_kept_as_is(str(value)) for value in typed):
            # The macro's own markup, made afresh.
            return Markup(make())  # noqa: S704  # nosec B704
        for number, (part, key) in enumerate(filled):
            part[key] = TYPED.format(number)
        shape = repr(params)
        markup = self.kept.get(shape)
        if markup is None:
            if len(self.kept) >= self.limit:
                self.kept.clear()
            markup = self.kept[shape] = str(make())
        for number, ((part, key), value) in enumerate(zip(filled, typed, strict=True)):
            part[key] = value
            markup = markup.replace(TYPED.format(number), str(escape(value)))
        # The macro's markup, with each answer escaped as the macro escapes it.
        return Markup(markup)  # noqa: S704  # nosec B704


def _kept_as_is(value: str) -> bool:
    return "\x00" not in value and "\n" not in value and value == value.strip()
