"""Fixtures shared by the unit and end-to-end tests: an app on a fresh, migrated database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import make_app, make_settings


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(make_settings(tmp_path))
    yield app
    app.extensions["database"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
