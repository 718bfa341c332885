"""The file_ids of uploaded exercise pictures and who wants pictures: plain values in and out.

Wraps ``storage.media`` so the Telegram layer never touches storage. A picture is named by its
cache key (``bot.pictures.cache``): a redrawn picture has a new key and is uploaded again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import media


async def stored_file_id(db: AsyncSession, key: str) -> str | None:
    """The file_id Telegram gave this picture, if it was uploaded before."""
    return await media.file_id_for(db, key)


async def stored_file_ids(db: AsyncSession, keys: list[str]) -> dict[str, str]:
    """The file_ids known for these keys (those never uploaded are left out)."""
    found = {}
    for key in keys:
        file_id = await media.file_id_for(db, key)
        if file_id is not None:
            found[key] = file_id
    return found


async def remember_file_id(
    db: AsyncSession,
    *,
    key: str,
    kind: str,
    exercise_id: str,
    side: str,
    file_id: str,
    now: datetime,
) -> None:
    """Store the file_id of an upload, so the next showing sends it instead of the file."""
    await media.save_file_id(
        db, key=key, kind=kind, exercise_id=exercise_id, side=side, file_id=file_id, now=now
    )
    await db.commit()


async def forget_file_id(db: AsyncSession, key: str, file_id: str) -> bool:
    """Drop a file_id Telegram refused; True if it was still stored."""
    dropped = await media.drop_file_id(db, key, file_id)
    await db.commit()
    return dropped


async def wants_pictures(db: AsyncSession, *, user_id: int) -> bool:
    """The user's /settings choice (pictures on unless turned off)."""
    return await media.pictures_enabled(db, user_id)


async def session_wants_pictures(db: AsyncSession, *, session_id: int) -> bool:
    """The choice of the user doing this routine session."""
    return await media.session_pictures_enabled(db, session_id)
