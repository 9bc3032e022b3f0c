"""The engine's own tests run on the sample journey, with no feature's step between
sending and the confirmation (each feature tests its own)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import create_app, make_settings
from tests.journeys import without_steps
from tests.unit.journey_engine.sample import SAMPLE


@pytest.fixture
def sample_app(tmp_path: Path, migrated_database: Path) -> Iterator[Flask]:
    shutil.copy(migrated_database, tmp_path / "service.sqlite3")
    app = without_steps(create_app(make_settings(tmp_path), journeys=[SAMPLE]))
    yield app
    app.extensions["database"].engine.dispose()


@pytest.fixture
def sample(sample_app: Flask) -> FlaskClient:
    return sample_app.test_client()
