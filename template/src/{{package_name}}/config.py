"""Settings for the service, read from environment variables here and nowhere else.

A setting that is missing or unsafe stops the service at start-up with a message that
names the variable, rather than letting it run half-configured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "test", "production")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
MIN_SECRET_KEY_LENGTH = 32
# Good enough on a laptop, refused anywhere else.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"  # noqa: S105  # nosec B105
WEAK_SECRET_KEYS = frozenset(
    {DEVELOPMENT_SECRET_KEY, "changeme", "change-me", "secret", "secret-key", "dev", "development"}
)


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message names the environment variable."""


@dataclass(frozen=True)
class Settings:
    environment: str
    secret_key: str
    database_url: str
    log_level: str = "INFO"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        environment = env.get("APP_ENV", "production")
        if environment not in ENVIRONMENTS:
            raise ConfigError(
                f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}; it is {environment!r}"
            )
        return cls(
            environment=environment,
            secret_key=_secret_key(env, environment),
            database_url=_database_url(env, environment),
            log_level=_log_level(env),
        )

    def flask_config(self) -> dict[str, Any]:
        """The Flask settings that follow from these ones."""
        return {
            "SECRET_KEY": self.secret_key,
            # Outside production the service runs on plain http://127.0.0.1, where a
            # Secure or __Host- cookie would never come back.
            "SESSION_COOKIE_NAME": "__Host-session" if self.is_production else "session",
            "SESSION_COOKIE_SECURE": self.is_production,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "PREFERRED_URL_SCHEME": "https" if self.is_production else "http",
            # Forms here are small; refuse anything bigger before parsing it.
            "MAX_CONTENT_LENGTH": 1024 * 1024,
        }


def _secret_key(env: Mapping[str, str], environment: str) -> str:
    secret_key = env.get("SECRET_KEY", "")
    if environment != "production" and not secret_key:
        return DEVELOPMENT_SECRET_KEY
    if not secret_key:
        raise ConfigError(
            "SECRET_KEY is not set. Set it to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters, for example the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`"
        )
    if environment == "production" and (
        secret_key.lower() in WEAK_SECRET_KEYS or len(secret_key) < MIN_SECRET_KEY_LENGTH
    ):
        raise ConfigError(
            "SECRET_KEY is a default or too short. Set it to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters"
        )
    return secret_key


def _database_url(env: Mapping[str, str], environment: str) -> str:
    database_url = env.get("DATABASE_URL", "")
    if database_url:
        return database_url
    if environment == "production":
        raise ConfigError(
            "DATABASE_URL is not set. Point it at the service's database, for example "
            "postgresql://user@host/dbname"
        )
    return f"sqlite:///{Path.cwd() / 'instance' / 'service.sqlite3'}"


def _log_level(env: Mapping[str, str]) -> str:
    log_level = env.get("LOG_LEVEL", "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}; it is {log_level!r}")
    return log_level
