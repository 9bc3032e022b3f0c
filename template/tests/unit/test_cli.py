"""`flask db ...` drives Alembic against the service's own database."""

from __future__ import annotations

from flask import Flask


def test_db_upgrade_and_current_run(app: Flask) -> None:
    runner = app.test_cli_runner()

    upgrade = runner.invoke(args=["db", "upgrade"])
    current = runner.invoke(args=["db", "current"])

    assert upgrade.exit_code == 0, upgrade.output
    assert current.exit_code == 0, current.output
