"""`flask db ...` drives Alembic against the service's own database: upgrades reach every
branch's latest migration, and `db revision` writes one that works first time."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import Column, Integer, MetaData, String, Table

from tests.helpers import alembic_config, cli, metadata


def test_db_upgrade_reaches_the_latest_migration_of_every_branch(app: Flask) -> None:
    runner = app.test_cli_runner()
    with app.app_context():
        heads = ScriptDirectory.from_config(alembic_config()).get_heads()

    downgrade = runner.invoke(args=["db", "downgrade", "base"])
    upgrade = runner.invoke(args=["db", "upgrade"])
    current = runner.invoke(args=["db", "current"])

    assert downgrade.exit_code == upgrade.exit_code == current.exit_code == 0
    for head in heads:
        assert f"Rev: {head} (" in current.output


@pytest.fixture
def migrations_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The service's migrations, copied, so a test can write one without touching them."""
    copy = shutil.copytree(cli.MIGRATIONS, tmp_path / "migrations")
    monkeypatch.setattr(cli, "MIGRATIONS", copy)
    return copy


def with_models(monkeypatch: pytest.MonkeyPatch, *columns: Column[object]) -> None:
    """The models as they are, with a new table of `columns` (as a team adds one)."""
    models = MetaData()
    for table in metadata().tables.values():
        table.to_metadata(models)
    Table("licence_notes", models, Column("id", Integer, primary_key=True), *columns)
    monkeypatch.setattr(cli, "Base", SimpleNamespace(metadata=models))


def test_db_revision_writes_a_numbered_migration_after_every_head(
    app: Flask, migrations_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_models(monkeypatch, Column("note", String(200), nullable=True))
    with app.app_context():
        script = ScriptDirectory.from_config(alembic_config())
        heads, number = set(script.get_heads()), cli.next_number(script)

    result = app.test_cli_runner().invoke(args=["db", "revision", "-m", "Notes on a licence"])

    assert result.exit_code == 0, result.output
    revision = f"{number:04d}_notes_on_a_licence"  # 0007_..., after the template's 0006
    [written] = migrations_copy.glob(f"versions/{revision}.py")
    text = written.read_text()
    assert f"Revision ID: {revision}" in text
    assert all(head in text for head in heads), "it follows every branch, so one head again"
    assert "op.create_table(" in text and "licence_notes" in text


def test_db_revision_refuses_a_column_that_would_fail_on_a_table_with_rows(
    app: Flask, migrations_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = MetaData()
    for table in metadata().tables.values():
        table.to_metadata(models)
    models.tables["applications"].append_column(
        Column("licence_number", String(20), nullable=False)
    )
    monkeypatch.setattr(cli, "Base", SimpleNamespace(metadata=models))
    before = sorted(migrations_copy.glob("versions/*.py"))

    result = app.test_cli_runner().invoke(args=["db", "revision", "-m", "Licence number"])

    assert result.exit_code != 0
    assert "applications.licence_number is NOT NULL with no default" in result.output
    assert sorted(migrations_copy.glob("versions/*.py")) == before, "nothing written"
