"""Words users read. Every string a user sees goes through `_()` (or `ngettext`,
`pgettext`), in Python and in templates alike. They are lazy: written where a module is
loaded (a form's label, a journey's question), and read out in the page's language when
shown. English is what is written here; another language comes from the catalogues:
`translations/` for the template's words and `journeys/translations/` for the journeys'.

Flask-Babel's lazy strings behave as text wherever the service uses them (Jinja, WTForms,
`%` formatting), so they are typed as `str` here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import cast

from babel.support import NullTranslations, Translations
from flask import Flask, g
from flask_babel import Babel, Domain, lazy_gettext, lazy_ngettext, lazy_pgettext
from flask_babel.speaklater import LazyString

DEFAULT_LANGUAGE = "en"
PACKAGE = Path(__file__).resolve().parent
CATALOGUES = (PACKAGE / "translations", PACKAGE / "journeys" / "translations")


def _(text: str, **variables: object) -> str:
    return cast("str", lazy_gettext(text, **variables))


def ngettext(singular: str, plural: str, number: int, **variables: object) -> str:
    return cast("str", lazy_ngettext(singular, plural, number, **variables))


def pgettext(context: str, text: str, **variables: object) -> str:
    """For words translated differently in different places (`context` says where)."""
    return cast("str", lazy_pgettext(context, text, **variables))


def lazily(make: Callable[[], str]) -> str:
    """Text made from other words when it is shown, so it is in the page's language."""
    return cast("str", LazyString(make))


def sentence_start(text: str) -> str:
    """`text` with a capital first letter (the rest as written), when shown."""
    return lazily(lambda: str(text)[:1].upper() + str(text)[1:])


def page_language() -> str:
    """The page's language: English unless a language feature chose another (g.language)."""
    return str(g.get("language", DEFAULT_LANGUAGE))


class PageCatalogues(Domain):
    """The catalogues, found by the page's language code. Flask-Babel finds them by the
    page's locale, which it makes again from the code for every string; a page shows
    about 40, and that was a tenth of the time check answers took."""

    def __init__(self, domain: str) -> None:
        super().__init__(domain=domain)
        self.by_language: dict[str, NullTranslations] = {}

    def get_translations(self) -> NullTranslations:
        if not g:  # Outside the app: no catalogue, as Flask-Babel does.
            return NullTranslations()
        language = page_language()
        if language not in self.by_language:
            self.by_language[language] = self.load(language)
        return self.by_language[language]

    def load(self, language: str) -> NullTranslations:
        translations = Translations()
        for folder in self.translation_directories:
            catalogue = Translations.load(folder, [language], self.domain[0])
            if isinstance(catalogue, Translations):  # Not when there is no catalogue.
                translations.merge(catalogue)
                # merge() leaves the plural rule behind, and Welsh has six plural forms.
                translations.plural = catalogue.plural
        return translations


class ServiceBabel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return PageCatalogues(domain=self.domain)


def init_app(app: Flask) -> None:
    ServiceBabel(
        app,
        locale_selector=page_language,
        default_translation_directories=";".join(str(folder) for folder in CATALOGUES),
    )
    # The page's `lang`, in base.html.
    app.add_template_global(page_language)
