"""Hands-free routine (issue 16): the user's mode and pace, and each session's timed phase

users.hands_free (NULL: the deployment's default), users.slow_pace; routine_sessions.hands_free,
phase_ends_at (when the countdown or hold under way ends), paused_seconds, cue_message_id.

Revision ID: 0010_hands_free
Revises: 0009_defects
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_hands_free"
down_revision: str | None = "0009_defects"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hands_free", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("slow_pace", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("routine_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hands_free", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("phase_ends_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("paused_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cue_message_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("routine_sessions", schema=None) as batch_op:
        batch_op.drop_column("cue_message_id")
        batch_op.drop_column("paused_seconds")
        batch_op.drop_column("phase_ends_at")
        batch_op.drop_column("hands_free")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("slow_pace")
        batch_op.drop_column("hands_free")
