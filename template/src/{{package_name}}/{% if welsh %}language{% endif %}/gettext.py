"""Translation functions for Python code: `_("...")` gives a string that is translated
when it is shown (a lazy string), so it can be written where the module is loaded, as
form labels and messages are.

Flask-Babel's lazy strings behave as text wherever the service uses them (Jinja, WTForms,
`%` formatting), so they are typed as `str` here.
"""

from __future__ import annotations

from typing import cast

from flask_babel import lazy_gettext, lazy_ngettext, lazy_pgettext


def _(text: str, **variables: object) -> str:
    return cast("str", lazy_gettext(text, **variables))


def ngettext(singular: str, plural: str, number: int, **variables: object) -> str:
    return cast("str", lazy_ngettext(singular, plural, number, **variables))


def pgettext(context: str, text: str, **variables: object) -> str:
    """For words translated differently in different places (`context` says where)."""
    return cast("str", lazy_pgettext(context, text, **variables))
