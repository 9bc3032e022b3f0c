"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from tests.helpers import alembic_config, metadata


def test_migrations_match_the_models(app: Flask) -> None:
    with app.app_context():
        config = alembic_config()
        with config.attributes["engine"].connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata())

    assert differences == [], "run `flask db revision -m ...` to write the missing migration"


def test_migrations_downgrade_to_nothing_and_back(app: Flask) -> None:
    with app.app_context():
        command.downgrade(alembic_config(), "base")
        command.upgrade(alembic_config(), "heads")
