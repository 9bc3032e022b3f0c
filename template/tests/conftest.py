"""Fixtures shared by the unit and end-to-end tests: an app on a fresh, migrated database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from tests.helpers import create_app, make_app, make_settings

# The tests send forms far faster than people can, all from one address: every app they
# make counts them against a limit they never reach. tests/unit/rate_limits tests the
# limits themselves.
os.environ["RATE_LIMIT_POSTS"] = "1000000 per minute"


def _skip_waiting_for_the_disk(dbapi_connection: Any, _record: Any) -> None:
    """Each test's database is thrown away after it, so don't wait for the disk to confirm
    writes: on a slow disk that wait more than doubles the run time."""
    dbapi_connection.execute("PRAGMA synchronous = OFF")


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with every migration applied, made once and copied for each test."""
    folder = tmp_path_factory.mktemp("migrated")
    app = make_app(make_settings(folder))
    app.extensions["database"].engine.dispose()
    return folder / "service.sqlite3"


@pytest.fixture
def app(tmp_path: Path, migrated_database: Path) -> Iterator[Flask]:
    shutil.copy(migrated_database, tmp_path / "service.sqlite3")
    app = create_app(make_settings(tmp_path))
    event.listen(app.extensions["database"].engine, "connect", _skip_waiting_for_the_disk)
    yield app
    app.extensions["database"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
