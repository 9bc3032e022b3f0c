"""Logs: one JSON object per line, on standard error, each with the request's id.

Every request has an id: the X-Request-Id the platform's proxy sent (letters, digits,
".", "_" and "-", at most 128), or a new random one. It is sent back in the response's
X-Request-Id and written on every line logged while the request is handled, so one
user's problem can be followed from the proxy's logs to the service's. Each request also
logs one line: method, path (never the query), status and milliseconds.

Log lines name things by reference (an application's, an email's, a payment's), never
by what a user typed: tests/unit/test_logs.py walks the journey and looks for its answers.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from werkzeug.wrappers import Response

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-Id"
# What a proxy's id may be; anything else (a line break, a very long value) is replaced.
GIVEN_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


class JsonLines(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, and the request's id,
    method and path when there is a request."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            line |= {"request_id": request_id(), "method": request.method, "path": request.path}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def request_id() -> str:
    if "request_id" not in g:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if GIVEN_REQUEST_ID.fullmatch(given) else secrets.token_hex(16)
    return str(g.request_id)


def start_request() -> None:
    g.request_started = time.perf_counter()
    request_id()


def end_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    if logger.isEnabledFor(logging.INFO):
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        logger.info("%s %s %d %.1f ms", request.method, request.path, response.status_code, elapsed)
    return response


def configure(level: str) -> None:
    """JSON lines on standard error, once per process (however many apps it builds)."""
    root = logging.getLogger()
    root.setLevel(level)
    if not any(isinstance(handler.formatter, JsonLines) for handler in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLines())
        root.addHandler(handler)


def init_app(app: Flask, level: str) -> None:
    configure(level)
    app.before_request(start_request)
    app.after_request(end_request)
