"""What users said about the service (feedback/models.py).

Revision ID: 0010_feedback
Revises: 0009_kpi_events
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_feedback"
down_revision: str | Sequence[str] | None = "0009_kpi_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("improvement", sa.Text(), nullable=True),
        sa.Column("journey", sa.String(64), nullable=True),
        sa.Column("hour", sa.Float(), nullable=False),
    )
    op.create_index(op.f("ix_feedback_hour"), "feedback", ["hour"])


def downgrade() -> None:
    op.drop_table("feedback")
