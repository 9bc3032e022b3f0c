"""The database: one SQLAlchemy engine per application, one session per request.

SQLite by default; PostgreSQL when DATABASE_URL points at one. The schema changes only
through Alembic migrations (`flask --app <package> db upgrade`), never at request time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import URL, Engine, MetaData, create_engine, event, make_url, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

logger = logging.getLogger(__name__)


# Constraint names Alembic can find again on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Every model's base class; its metadata is what Alembic compares against."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: sessionmaker[Session]


def engine_url(database_url: str) -> URL:
    """The URL SQLAlchemy should use: PostgreSQL URLs go through psycopg (version 3)."""
    url = make_url(database_url)
    if url.drivername in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+psycopg")
    return url


def create_database(database_url: str) -> Database:
    url = engine_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # A server drops idle connections, so each is checked before use; a file needs no check.
    # An error's log line leaves out the statement's values: they can be users' answers.
    engine = create_engine(url, pool_pre_ping=not sqlite, hide_parameters=True)
    if sqlite:
        event.listen(engine, "connect", _configure_sqlite)
    return Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked, and locks less in write-ahead-log mode,
    # where synchronous=NORMAL is still safe from corruption and far fewer disk flushes.
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def init_app(app: Flask, database_url: str) -> None:
    app.extensions["database"] = create_database(database_url)
    app.teardown_appcontext(_close_session)


def current_database() -> Database:
    database: Database = current_app.extensions["database"]
    return database


def db_session() -> Session:
    """The session for this request, opened on first use and closed at its end."""
    if "db_session" not in g:
        g.db_session = current_database().sessions()
    session: Session = g.db_session
    return session


def _close_session(_exception: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def is_reachable(database: Database) -> bool:
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any failure means "not ready"; the log says which
        logger.exception("Database is not reachable")
        return False
    return True
