"""Error pages in GOV.UK style: nobody sees a stack trace or a bare server message."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

logger = logging.getLogger(__name__)

Page = tuple[str, int]


def page_not_found(_error: NotFound) -> Page:
    return render_template("errors/not_found.html"), 404


def form_expired(error: CSRFError) -> Page:
    # Usually a form left open past its token's lifetime, or cookies blocked.
    logger.info("Rejected a form post: %s", error.description)
    return render_template("errors/form_expired.html"), 400


def server_error(_error: InternalServerError) -> Page:
    return render_template("errors/server_error.html"), 500


def other_http_error(error: HTTPException) -> Page:
    code = error.code or 500
    return render_template("errors/http_error.html", error=error), code


def init_app(app: Flask) -> None:
    # CSRFError is an HTTPException too; the most specific handler wins.
    app.register_error_handler(CSRFError, form_expired)
    app.register_error_handler(NotFound, page_not_found)
    app.register_error_handler(InternalServerError, server_error)
    app.register_error_handler(HTTPException, other_http_error)
