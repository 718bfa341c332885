"""Users: first contact and lookup."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User
from storage.users import upsert_user


async def greet_user(
    session: AsyncSession, *, user_id: int, chat_id: int, language_code: str | None, now: datetime
) -> User:
    """Record the user (first contact or return) and commit."""
    user = await upsert_user(
        session, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    await session.commit()
    return user
