"""The journey's baseline: the same pages from strings, the same write for each answer.

The bench copies this file beside the pages it saved (pages.json: path to HTML) and where
each answer leads (next.json: slug to path), and serves it with the service's gunicorn
settings. Each answer is written as the service writes it: JSON into an SQLite file
(BARE_DATABASE), with the same pragmas, before the same redirect."""

import json
import os
import sqlite3
import time
from pathlib import Path

from flask import Flask, redirect, request

PAGES = json.loads(Path(__file__).with_name("pages.json").read_text())
NEXT = json.loads(Path(__file__).with_name("next.json").read_text())


def create_app() -> Flask:
    app = Flask(__name__)
    database = sqlite3.connect(os.environ["BARE_DATABASE"], isolation_level=None)
    database.execute("PRAGMA journal_mode = WAL")
    database.execute("PRAGMA synchronous = NORMAL")

    @app.get("/")
    def ready() -> str:  # what the bench waits for
        return "ready"

    @app.get("/<path:path>")
    def page(path: str) -> str:
        return PAGES["/" + path]

    @app.post("/apply/<slug>")
    def answer(slug: str):
        answers = json.dumps({slug: request.form.to_dict(flat=False)})
        database.execute(
            "INSERT INTO journey_state (id, answers, touched_at) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET answers = excluded.answers, "
            "touched_at = excluded.touched_at",
            (request.cookies.get("bench", "bench"), answers, time.time()),
        )
        return redirect(NEXT[slug])

    return app
