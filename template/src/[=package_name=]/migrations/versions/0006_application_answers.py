"""Applications as one document (journey_engine/applications.py): which journey and
version, every answer as JSON, the page's language, who sent it and when it was complete.

The columns the example journey had before (full_name ... act, and paid_at) are copied
into the answers and dropped. A column a team added is left as it was.

Revision ID: 0006_application_answers
Revises: 0003_applications
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006_application_answers"
down_revision: str | Sequence[str] | None = "0003_applications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADDRESS = {
    "address_line_1": "line_1",
    "address_line_2": "line_2",
    "town": "town",
    "county": "county",
    "postcode": "postcode",
}
# The example journey's columns before 0.5.0, and the answer each became.
EXAMPLE = {
    "full_name": "full_name",
    "date_of_birth": "date_of_birth",
    "juggled_in_public": "juggled_in_public",
    "years_juggling": "years",
    "equipment": "equipment",
    "email": "email",
    "act": "act",
}


def columns_of(table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)}


def answers_from(row: dict[str, Any]) -> dict[str, Any]:
    answers = {answer: row[column] for column, answer in EXAMPLE.items() if column in row}
    if "date_of_birth" in answers and answers["date_of_birth"] is not None:
        answers["date_of_birth"] = str(answers["date_of_birth"])[:10]
    if "juggled_in_public" in answers and answers["juggled_in_public"] is not None:
        answers["juggled_in_public"] = bool(answers["juggled_in_public"])
    if any(column in row for column in ADDRESS):
        answers["address"] = {part: row.get(column) or "" for column, part in ADDRESS.items()}
    return answers


def upgrade() -> None:
    before = columns_of("applications")
    with op.batch_alter_table("applications") as batch:
        batch.add_column(
            sa.Column("journey", sa.String(64), server_default="apply", nullable=False)
        )
        batch.add_column(
            sa.Column("journey_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch.add_column(sa.Column("answers", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("language", sa.String(8), server_default="en", nullable=False))
        batch.add_column(sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
        if "user_id" not in before:  # added by One Login's 0004, when that came first
            batch.add_column(sa.Column("user_id", sa.String(255), nullable=True))
            batch.create_index(batch.f("ix_applications_user_id"), ["user_id"])

    old = sorted((set(EXAMPLE) | set(ADDRESS) | {"paid_at"}) & before)
    applications = sa.table(
        "applications",
        sa.column("id"),
        sa.column("created_at"),
        sa.column("answers", sa.JSON()),
        sa.column("completed_at"),
        *(sa.column(name, sa.JSON() if name == "equipment" else None) for name in old),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(applications)).mappings().all():
        # Without a fee an application was complete when sent; with one, when paid.
        completed = row["paid_at"] if "paid_at" in before else row["created_at"]
        bind.execute(
            applications.update()
            .where(applications.c.id == row["id"])
            .values(answers=answers_from(dict(row)), completed_at=completed)
        )

    with op.batch_alter_table("applications") as batch:
        batch.alter_column("answers", existing_type=sa.JSON(), nullable=False)
        for name in old:
            batch.drop_column(name)


def downgrade() -> None:
    """Back to the example journey's columns (nullable: answers to other questions have
    nowhere to go, and stay only in a backup)."""
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    restored: list[sa.Column[Any]] = [
        sa.Column("full_name", sa.String(100)),
        sa.Column("date_of_birth", sa.Date()),
        sa.Column("juggled_in_public", sa.Boolean()),
        sa.Column("years_juggling", sa.Integer()),
        sa.Column("equipment", sa.JSON()),
        sa.Column("email", sa.String(254)),
        *(sa.Column(column, sa.String(100)) for column in ADDRESS),
        sa.Column("act", sa.Text()),
    ]
    if "payments" in tables:
        restored.append(sa.Column("paid_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("applications") as batch:
        for column in restored:
            batch.add_column(column)
    applications = sa.table(
        "applications",
        sa.column("id"),
        sa.column("answers", sa.JSON()),
        sa.column("completed_at"),
        *(sa.column(column.name, column.type) for column in restored),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(applications)).mappings().all():
        answers = row["answers"] or {}
        address = answers.get("address") or {}
        values: dict[str, Any] = {column: answers.get(answer) for column, answer in EXAMPLE.items()}
        values["years_juggling"] = answers.get("years")
        if values["date_of_birth"]:
            values["date_of_birth"] = date.fromisoformat(values["date_of_birth"])
        values |= {column: address.get(part) for column, part in ADDRESS.items()}
        if "payments" in tables:
            values["paid_at"] = row["completed_at"]
        bind.execute(applications.update().where(applications.c.id == row["id"]).values(**values))
    with op.batch_alter_table("applications") as batch:
        for name in ("journey", "journey_version", "answers", "language", "completed_at"):
            batch.drop_column(name)
        if "sign_ins" not in tables:  # One Login's 0004 owns it otherwise
            batch.drop_index(batch.f("ix_applications_user_id"))
            batch.drop_column("user_id")
