"""pain ratings remember the keyboard they were tapped on: a double tap records once

A rating tapped on the /pain keyboard stores that keyboard's message id; a second tap on the
same keyboard (a slow connection makes people tap twice) finds the first rating instead of
adding another. The unique index makes that hold even for two taps racing each other.

Revision ID: 0004_pain_keyboard_message
Revises: 0003_sweep_order_index
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_pain_keyboard_message"
down_revision: str | None = "0003_sweep_order_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pain_ratings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("keyboard_message_id", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_pain_ratings_keyboard"), ["user_id", "keyboard_message_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("pain_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pain_ratings_keyboard"))
        batch_op.drop_column("keyboard_message_id")
