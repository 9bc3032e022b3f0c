"""Rate limits: every form posted (every POST) counts against the sender's address, so a
script cannot flood the service with forms, guess at a code or fill its database.

RATE_LIMIT_POSTS is how many forms one address may send ("100 per minute" unless set;
several limits with semicolons: "100 per minute; 1000 per hour"). Over it, the sender
gets GOV.UK's "Too many attempts" page with 429 and Retry-After. People behind one
address (an office, a library) share its limit: set it for the busiest. The counters are
kept in the service's database (storage.py), or where RATE_LIMIT_STORAGE_URI says (such
as Redis: `redis://host:6379`, after `uv add redis`). Addresses are the users' own behind
a trusted proxy (client_address.py). Both settings are read and checked here, at start-up.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from flask import Blueprint, Flask, current_app, render_template, request
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from ..client_address import client_address
from ..config import ConfigError
from ..journey_state import purged_too
from .storage import SCHEME, purge_expired

logger = logging.getLogger(__name__)
# No routes of its own: its page.
rate_limits = Blueprint("rate_limits", __name__, template_folder="templates")
DEFAULT_POSTS = "100 per minute"
DATABASE_STORAGE = f"{SCHEME}://"
LIMIT_EXAMPLES = '"100 per minute", or more than one: "100 per minute; 1000 per hour"'
COUNTER = "rate_limits:counter"


@dataclass(frozen=True)
class RateLimitSettings:
    posts: str = DEFAULT_POSTS
    storage_uri: str = DATABASE_STORAGE

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RateLimitSettings:
        posts = env.get("RATE_LIMIT_POSTS", "").strip() or DEFAULT_POSTS
        try:
            parse_many(posts)
        except ValueError:
            raise ConfigError(
                f"RATE_LIMIT_POSTS must be a rate such as {LIMIT_EXAMPLES}; it is {posts!r}"
            ) from None
        storage_uri = env.get("RATE_LIMIT_STORAGE_URI", "").strip() or DATABASE_STORAGE
        try:
            storage_from_string(storage_uri)
        except ConfigurationError as error:
            raise ConfigError(
                f"RATE_LIMIT_STORAGE_URI cannot be used ({error}): leave it unset for the "
                "service's database, or give one the limits library knows, such as "
                "redis://host:6379 with the redis package added"
            ) from None
        return cls(posts=posts, storage_uri=storage_uri)


class TooManyForms(TooManyRequests):
    """A form from an address over `limit`: not taken."""

    def __init__(self, limit: RateLimitItem) -> None:
        super().__init__()
        self.limit = limit


def settings() -> RateLimitSettings:
    limits: RateLimitSettings = current_app.extensions["rate_limits"]
    return limits


@lru_cache(maxsize=8)
def limits_of(posts: str) -> list[RateLimitItem]:
    """The limits a setting gives, the shortest window first (checked at start-up)."""
    return sorted(parse_many(posts))


def sender() -> str:
    return str(client_address() or "unknown")


def count_form() -> None:
    """Count a form posted against its sender's limits: over one, TooManyForms.

    The settings are read each time, so those in app.extensions are the ones in force."""
    if request.method != "POST":
        return  # only forms count
    counter: FixedWindowRateLimiter = current_app.extensions[COUNTER]
    address = sender()
    try:
        for limit in limits_of(settings().posts):
            if not counter.hit(limit, "forms", address):
                raise TooManyForms(limit)
    except counter.storage.base_exceptions:
        # Better a form taken over the limit than every user turned away.
        logger.exception("Rate limit counters could not be reached: the form was taken")


def too_many(error: TooManyForms) -> tuple[str, int, dict[str, str]]:
    # Never the address itself in the log: it is personal data.
    logger.warning("Too many forms from one address: over %s", error.limit)
    seconds = error.limit.get_expiry()
    page = render_template("rate_limits/too_many.html", minutes=math.ceil(seconds / 60))
    return page, 429, {"Retry-After": str(seconds)}


def init_app(app: Flask, env: Mapping[str, str] | None = None) -> None:
    """Register after maintenance mode (a closed service counts nothing) and before the
    CSRF check (forms without a token count too)."""
    app.extensions["rate_limits"] = limits = RateLimitSettings.from_env(
        os.environ if env is None else env
    )
    # The limits library's fixed window, on the storage the settings name.
    app.extensions[COUNTER] = FixedWindowRateLimiter(storage_from_string(limits.storage_uri))
    app.before_request(count_form)
    app.register_error_handler(TooManyForms, too_many)
    app.register_blueprint(rate_limits)
    purged_too(app, "rate limit counters", purge_expired)
