"""sweep order index: subscriptions (next_due_at, id) instead of next_due_at alone

The reminder sweep takes due subscriptions in (next_due_at, id) order, LIMIT one batch. With
an index on next_due_at alone the database reads and sorts every due row for each batch (a
burst of N due at the same minute costs O(N) per batch, O(N²/batch) in all); with the pair
indexed it reads one batch's rows in order and stops.

Revision ID: 0003_sweep_order_index
Revises: 0002_reminders
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003_sweep_order_index"
down_revision: str | None = "0002_reminders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscriptions_next_due_at"))
        batch_op.create_index(
            batch_op.f("ix_subscriptions_due_order"), ["next_due_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscriptions_due_order"))
        batch_op.create_index(
            batch_op.f("ix_subscriptions_next_due_at"), ["next_due_at"], unique=False
        )
