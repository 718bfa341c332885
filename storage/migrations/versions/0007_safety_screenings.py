"""safety screenings: every screening's tier and sign ids, and the user's safety gate

``safety_screenings`` keeps one row per screening (the onboarding questions, a re-screen or a
typed message): when, where from, the tier and the ids of the signs found (never the user's
words). ``users.safety_tier`` (none / see_doctor / emergency) and ``users.safety_cleared_at``
(when the user confirmed a doctor has checked them) are what the routine gate reads.

Revision ID: 0007_safety_screenings
Revises: 0006_report_name
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_safety_screenings"
down_revision: str | None = "0006_report_name"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "safety_screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("tier", sa.String(length=24), nullable=False),
        sa.Column("signs", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "source IN ('onboarding', 'rescreen', 'message')",
            name=op.f("ck_safety_screenings_source_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_safety_screenings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_screenings")),
    )
    with op.batch_alter_table("safety_screenings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_screenings_user_id"), ["user_id", "taken_at"], unique=False
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("safety_tier", sa.String(length=16), nullable=False, server_default="none")
        )
        batch_op.add_column(
            sa.Column("safety_cleared_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("safety_cleared_at")
        batch_op.drop_column("safety_tier")
    with op.batch_alter_table("safety_screenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_screenings_user_id"))
    op.drop_table("safety_screenings")
