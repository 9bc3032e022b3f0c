"""`flask db ...` drives Alembic against the service's own database."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from flask import Flask

from tests.helpers import alembic_config


def test_db_upgrade_reaches_the_latest_migration(app: Flask) -> None:
    runner = app.test_cli_runner()
    with app.app_context():
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()

    downgrade = runner.invoke(args=["db", "downgrade", "base"])
    upgrade = runner.invoke(args=["db", "upgrade"])
    current = runner.invoke(args=["db", "current"])

    assert downgrade.exit_code == upgrade.exit_code == current.exit_code == 0
    assert f"Rev: {head} (head)" in current.output
