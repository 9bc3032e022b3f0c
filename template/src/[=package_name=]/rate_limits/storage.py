"""Rate-limit counters kept in the service's own database, so every worker and every pod
counts together with nothing more to run. The limits library finds this storage by its scheme
(`service-database://`); RATE_LIMIT_STORAGE_URI can name another, such as Redis.

A fixed window per key: the first hit starts it, and it ends `expiry` seconds later.
Each hit is one statement (an upsert) in a transaction of its own, so two workers
counting the same key at once both count.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from limits.storage import Storage
from sqlalchemy import (
    ColumnElement,
    Engine,
    Executable,
    Float,
    Integer,
    String,
    bindparam,
    case,
    delete,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base, current_database, is_reachable

SCHEME = "service-database"
# An INSERT that can turn into an UPDATE: each dialect has its own.
Upsert = sqlite.Insert | postgresql.Insert


class RateLimitCounter(Base):
    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch, as the other tables keep times.
    expires_at: Mapped[float] = mapped_column(Float, index=True)


def _count(insert: Callable[[type[RateLimitCounter]], Upsert]) -> Executable:
    """One hit counted: a new window, the window running, or a new one after it ended.
    Made once per dialect, as it runs on every form posted."""
    counter = RateLimitCounter
    ended = counter.expires_at <= bindparam("now", type_=Float)
    amount, ends = bindparam("amount", type_=Integer), bindparam("ends", type_=Float)
    return (
        insert(counter)
        .values(key=bindparam("key", type_=String), hits=amount, expires_at=ends)
        .on_conflict_do_update(
            index_elements=[counter.key],
            set_={
                "hits": case((ended, amount), else_=counter.hits + amount),
                "expires_at": case((ended, ends), else_=counter.expires_at),
            },
        )
        .returning(counter.hits)
    )


# The service runs on SQLite or PostgreSQL (database.py): both can upsert.
COUNT = {"sqlite": _count(sqlite.insert), "postgresql": _count(postgresql.insert)}


def _engine() -> Engine:
    return current_database().engine


def _running(key: str) -> tuple[ColumnElement[bool], ...]:
    return (RateLimitCounter.key == key, RateLimitCounter.expires_at > time.time())


class DatabaseStorage(Storage):
    """The limits library's storage interface, on the service's database."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (the library's registry reads a list)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        engine = _engine()
        values = {"key": key, "amount": amount, "now": now, "ends": now + expiry}
        with engine.begin() as connection:
            return int(connection.execute(COUNT[engine.dialect.name], values).scalar_one())

    def get(self, key: str) -> int:
        live = select(RateLimitCounter.hits).where(*_running(key))
        with _engine().connect() as connection:
            return connection.execute(live).scalar() or 0

    def get_expiry(self, key: str) -> float:
        live = select(RateLimitCounter.expires_at).where(*_running(key))
        with _engine().connect() as connection:
            return connection.execute(live).scalar() or time.time()

    def check(self) -> bool:
        return is_reachable(current_database())

    def reset(self) -> int | None:
        with _engine().begin() as connection:
            return int(connection.execute(delete(RateLimitCounter)).rowcount)

    def clear(self, key: str) -> None:
        with _engine().begin() as connection:
            connection.execute(delete(RateLimitCounter).where(RateLimitCounter.key == key))


def purge_expired() -> int:
    """Delete counters whose window has ended; `flask journeys purge` runs it."""
    with _engine().begin() as connection:
        result = connection.execute(
            delete(RateLimitCounter).where(RateLimitCounter.expires_at <= time.time())
        )
        return int(result.rowcount)
