"""The throughput baseline: Flask returning the service's start page from a string.

The bench copies this file beside the start page it saved (start.html) and serves it with
the service's own gunicorn settings."""

from pathlib import Path

from flask import Flask

PAGE = Path(__file__).with_name("start.html").read_text()


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def start() -> str:
        return PAGE

    return app
