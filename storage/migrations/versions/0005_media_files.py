"""media files: the file_id Telegram gave each uploaded exercise picture

Pictures are uploaded once; later showings send the stored file_id. The key is the cache key
of the rendered file (a hash of the pose data and the renderer version), so a redrawn picture
has a new key and is uploaded again.

Revision ID: 0005_media_files
Revises: 0004_pain_keyboard_message
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_media_files"
down_revision: str | None = "0004_pain_keyboard_message"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("exercise_id", sa.String(length=32), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("file_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('animation', 'still')", name=op.f("ck_media_files_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_files")),
        sa.UniqueConstraint("key", name=op.f("uq_media_files_key")),
    )


def downgrade() -> None:
    op.drop_table("media_files")
