"""Queries for users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def upsert_user(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    now: datetime,
) -> User:
    """The user's row, created on first contact; chat and language kept current."""
    user = await session.get(User, user_id)
    if user is None:
        user = User(
            id=user_id,
            chat_id=chat_id,
            language_code=language_code,
            created_at=now,
            updated_at=now,
            routine_length="full",
            timers_enabled=True,
            pictures_enabled=True,
            weekly_summary_enabled=True,
            weekly_summary_weekday=6,
        )
        session.add(user)
        await session.flush()
        return user
    if user.chat_id != chat_id or user.language_code != language_code or user.blocked_at:
        user.chat_id = chat_id
        user.language_code = language_code
        user.blocked_at = None
        user.updated_at = now
    return user
