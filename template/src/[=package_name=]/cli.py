"""`flask db ...`: Alembic migrations, run by people and deploy jobs, never by requests."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click
from alembic import command
from alembic.config import Config
from alembic.operations.ops import AddColumnOp
from alembic.script import ScriptDirectory
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
@click.argument("revision", default="heads")
@with_appcontext
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the latest of every branch; the template
    adds to its own branch, so a service's own migrations never clash with its)."""
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
    """Write a new migration from the difference between the models and the database
    (`uv run nox -s migration -- "message"` brings the database up to date first)."""
    config = alembic_config()
    config.set_main_option("file_template", "%%(rev)s")
    number = next_number(ScriptDirectory.from_config(config))
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "change"
    command.revision(
        config,
        message=message,
        autogenerate=True,
        head="heads",  # one new head after every branch, whatever the template added
        rev_id=f"{number:04d}_{slug}",
        process_revision_directives=refuse_columns_that_would_fail,
    )


def next_number(script: ScriptDirectory) -> int:
    """After the highest numbered migration (0006_..., say)."""
    numbers = [
        int(found.group())
        for rev in script.walk_revisions()
        if (found := re.match(r"\d+", rev.revision))
    ]
    return max(numbers, default=0) + 1


def refuse_columns_that_would_fail(
    _context: object, _revision: object, directives: list[Any]
) -> None:
    """A new NOT NULL column with no default cannot be added to a table that has rows:
    say so now, rather than when the migration fails in production."""
    for operation in directives[0].upgrade_ops.ops:
        for change in getattr(operation, "ops", [operation]):
            if not isinstance(change, AddColumnOp):
                continue
            column = change.column
            if not column.nullable and column.server_default is None:
                raise click.ClickException(
                    f"{change.table_name}.{column.name} is NOT NULL with no default, so adding "
                    "it fails on a table with rows. Give it a server_default in the model "
                    "(mapped_column(..., server_default=...)) or make it optional (Mapped[X | None])."
                )


def init_app(app: Flask) -> None:
    app.cli.add_command(db)
