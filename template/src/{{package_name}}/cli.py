"""`flask db ...`: Alembic migrations, run by people and deploy jobs, never by requests."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask
from flask.cli import with_appcontext

from .database import Base, current_database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    # sys.stdout as it is now (Alembic's default is bound at import), so output goes
    # wherever the command's output goes.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS))
    # Passed as objects, not through alembic.ini, so a password in DATABASE_URL is
    # never written anywhere or mangled by config-file interpolation.
    config.attributes["engine"] = current_database().engine
    config.attributes["target_metadata"] = Base.metadata
    return config


@click.group()
def db() -> None:
    """Change the database schema with Alembic migrations."""


@db.command()
@click.argument("revision", default="head")
@with_appcontext
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    command.upgrade(alembic_config(), revision)


@db.command()
@click.argument("revision")
@with_appcontext
def downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (for example -1)."""
    command.downgrade(alembic_config(), revision)


@db.command()
@with_appcontext
def current() -> None:
    """Show the revision the database is at."""
    command.current(alembic_config(), verbose=True)


@db.command()
@click.option("-m", "--message", required=True, help="What the migration changes.")
@with_appcontext
def revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    command.revision(alembic_config(), message=message, autogenerate=True)


def init_app(app: Flask) -> None:
    app.cli.add_command(db)
