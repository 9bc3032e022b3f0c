"""Answers kept between the pages of a journey (journey_state.py).

Revision ID: 0001_journey_state
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_journey_state"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journey_state",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("touched_at", sa.Float(), nullable=False),
    )
    op.create_index("ix_journey_state_touched_at", "journey_state", ["touched_at"])


def downgrade() -> None:
    op.drop_index("ix_journey_state_touched_at", table_name="journey_state")
    op.drop_table("journey_state")
