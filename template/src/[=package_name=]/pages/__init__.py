"""Pages every service has: the start page, the accessibility statement, the privacy notice."""

from __future__ import annotations

from flask import Blueprint, render_template

pages = Blueprint("pages", __name__, template_folder="templates")


@pages.get("/")
def start() -> str:
    return render_template("pages/start.html")


@pages.get("/accessibility-statement")
def accessibility_statement() -> str:
    return render_template("pages/accessibility_statement.html")


@pages.get("/privacy")
def privacy() -> str:
    return render_template("pages/privacy.html")
