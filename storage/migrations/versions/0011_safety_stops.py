"""Safety (issue 14): a routine stopped for a warning sign, and the once-a-day explanation

routine_sessions.stop_reason ("safety" when a warning sign typed mid-routine ended it, so a
later tap on its buttons says why; NULL otherwise); users.sciatica_explained_at (when the
user last got the whole "this is how sciatica usually feels" explanation: at most once a day).

Revision ID: 0011_safety_stops
Revises: 0010_hands_free
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_safety_stops"
down_revision: str | None = "0010_hands_free"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("routine_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stop_reason", sa.String(length=16), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sciatica_explained_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("sciatica_explained_at")
    with op.batch_alter_table("routine_sessions", schema=None) as batch_op:
        batch_op.drop_column("stop_reason")
