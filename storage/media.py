"""file_ids of uploaded pictures: upload once, then send the stored file_id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MediaFile, RoutineSession, User


async def file_id_for(session: AsyncSession, key: str) -> str | None:
    """The file_id Telegram gave the picture with this cache key, if it was uploaded."""
    return await session.scalar(select(MediaFile.file_id).where(MediaFile.key == key))


async def save_file_id(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    exercise_id: str,
    side: str,
    file_id: str,
    now: datetime,
) -> None:
    """Remember the file_id of an upload; a second upload of the same key replaces it."""
    row = await session.scalar(select(MediaFile).where(MediaFile.key == key))
    if row is not None:
        row.file_id, row.created_at = file_id, now
        return
    try:
        async with session.begin_nested():
            session.add(
                MediaFile(
                    key=key,
                    kind=kind,
                    exercise_id=exercise_id,
                    side=side,
                    file_id=file_id,
                    created_at=now,
                )
            )
    except IntegrityError:
        # Another instance saved the same key at the same moment; either file_id works.
        return


async def drop_file_id(session: AsyncSession, key: str, file_id: str) -> bool:
    """Forget a file_id Telegram refused (only that one: a newer upload stays); True if dropped."""
    result = await session.execute(
        delete(MediaFile).where(MediaFile.key == key, MediaFile.file_id == file_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def pictures_enabled(session: AsyncSession, user_id: int) -> bool:
    """Whether the user wants exercise pictures (a user not seen yet gets them)."""
    value = await session.scalar(select(User.pictures_enabled).where(User.id == user_id))
    return True if value is None else bool(value)


async def session_pictures_enabled(session: AsyncSession, routine_session_id: int) -> bool:
    """The same, for the user of a routine session."""
    value = await session.scalar(
        select(User.pictures_enabled)
        .join(RoutineSession, RoutineSession.user_id == User.id)
        .where(RoutineSession.id == routine_session_id)
    )
    return True if value is None else bool(value)
