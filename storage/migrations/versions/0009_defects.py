"""users.awaiting_since, users.awaiting_repeated: when the bot started waiting for a typed
answer (a wait expires after a few minutes) and whether the question was already repeated;
subscriptions.note_when_done: a one-line note instead of no prompt once today's routine is done

Revision ID: 0009_defects
Revises: 0008_pictures_setting
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_defects"
down_revision: str | None = "0008_pictures_setting"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("awaiting_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("awaiting_repeated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("note_when_done", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("note_when_done")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("awaiting_repeated")
        batch_op.drop_column("awaiting_since")
