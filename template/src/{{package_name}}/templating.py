"""Jinja set-up: GOV.UK Frontend's templates and macros, and what every page needs."""

from __future__ import annotations

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import BaseLoader, ChoiceLoader, PackageLoader, PrefixLoader

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
