"""The optional features a service is made with: Welsh, GOV.UK Notify, GOV.UK One Login,
GOV.UK Pay and saving answers for later. Each is a module or package of its own beside
this file, there only when the service was made with it (`copier update --data ...` adds
or removes it), with an `init_app(app)` that reads and checks its own settings.

`create_app` starts those the service has, in this order, after the core and the
journeys: signing in before saving for later, which offers it. A feature new to the
template adds its name here; nothing else in the core names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from typing import Protocol, cast

from flask import Flask

OPTIONAL = ("language", "notifications", "one_login", "payments", "save_for_later")


class Feature(Protocol):
    def init_app(self, app: Flask) -> None: ...


def made_with() -> Iterator[Feature]:
    """The optional features this service has, in the order they start. A feature's
    folder left with none of its code (files of a team's own, after `copier update`
    removed the feature) is not one: Python finds it, as a namespace, with no origin."""
    for name in OPTIONAL:
        module = f"{__package__}.{name}"
        found = find_spec(module)
        if found is not None and found.origin is not None:
            yield cast("Feature", import_module(module))
