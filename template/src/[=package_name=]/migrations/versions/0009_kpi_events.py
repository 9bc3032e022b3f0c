"""What the KPIs count (kpis/models.py).

Revision ID: 0009_kpi_events
Revises: 0008_rate_limit_counters
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_kpi_events"
down_revision: str | Sequence[str] | None = "0008_rate_limit_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kpi_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("journey", sa.String(64), nullable=False),
        sa.Column("page", sa.String(64), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Float(), nullable=False),
    )
    op.create_index(op.f("ix_kpi_events_hour"), "kpi_events", ["hour"])


def downgrade() -> None:
    op.drop_table("kpi_events")
