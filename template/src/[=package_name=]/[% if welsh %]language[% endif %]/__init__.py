"""English and Welsh: which language each page is in, and the switch between them. Every
string users read is translated by text.py in that language. See docs/welsh.md in the template's
documentation for translating, and README.md here for `nox -s translations`.

The language is the one the user last chose with Language navigation (kept in the
session), English until they choose. A link in the navigation is the same page with
`?lang=cy` or `?lang=en`, so switching works without JavaScript and keeps the user where
they are.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Flask, g, request, session
from markupsafe import Markup

from ..redirects import this_page
from ..service import SERVICES
from ..templating import fragment_cache
from ..text import DEFAULT_LANGUAGE, page_language

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
SESSION_KEY = "language"
QUERY_PARAMETER = "lang"


def choose_language() -> None:
    """Before each request: a language asked for in the link wins, and is remembered."""
    asked = request.args.get(QUERY_PARAMETER)
    if asked in LANGUAGES:
        session[SESSION_KEY] = asked
    remembered = session.get(SESSION_KEY)
    g.language = remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


def language_links() -> list[dict[str, object]]:
    """govukLanguageNavigation items: this page in each language."""
    query = {name: value for name, value in request.args.items() if name != QUERY_PARAMETER}
    path = this_page(with_query=False)
    items: list[dict[str, object]] = []
    for code, name in LANGUAGES.items():
        if code == page_language():
            items.append({"text": name, "lang": code, "current": True})
        else:
            href = f"{path}?{urlencode({**query, QUERY_PARAMETER: code})}"
            items.append({"text": name, "lang": code, "href": href})
    return items


def render_once_per_language() -> Callable[[str, Callable[[], Markup]], Markup]:
    """templating's render_once, with a cache for each language."""
    caches = {code: fragment_cache() for code in LANGUAGES}

    def render_once(name: str, caller: Callable[[], Markup]) -> Markup:
        return caches[page_language()](name, caller)

    return render_once


def init_app(app: Flask) -> None:
    # text.py reads every string in g.language, which choose_language sets: first, before
    # anything else that can answer a request, so every page (errors too) is in the
    # user's language.
    app.before_request_funcs.setdefault(None, []).insert(0, choose_language)
    # Registered after templating's, so these replace its English-only ones.
    app.add_template_global(render_once_per_language(), "render_once")
    app.context_processor(
        lambda: {
            "service": SERVICES[page_language()],
            "language_links": language_links,
        }
    )
