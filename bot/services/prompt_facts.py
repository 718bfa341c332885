"""What a batch of daily prompts needs to know before it goes out, in a few batch queries (one
per kind of fact, whatever the batch's size): the user's streak, what today's routine will
be, whether it is done already, and whether to ask how yesterday's rise in pain settled."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.routine import RoutineChoice
from bot.domain.streaks import current_streak
from bot.domain.zones import zone_for
from bot.services.pain import users_to_ask_how_it_settled
from storage.activity import routine_finishes
from storage.routine import routine_choices


@dataclass(frozen=True, slots=True)
class PromptFacts:
    streak: int = 0
    routine: RoutineChoice = field(default_factory=RoutineChoice)
    done_today: bool = False
    ask_settled: bool = False


async def prompt_facts(
    session: AsyncSession, prompts: Iterable[tuple[int, str, date]], now: datetime
) -> dict[int, PromptFacts]:
    """For each prompt (user id, zone key, its local date): the facts, by user id. A user whose
    zone this machine does not know is left out (that send fails and is recorded alone)."""
    wanted = list(prompts)
    user_ids = {user_id for user_id, _, _ in wanted}
    finishes = await routine_finishes(session, user_ids)
    choices = await routine_choices(session, user_ids)
    zones: dict[int, tzinfo] = {}
    for user_id, zone_key, _ in wanted:
        with contextlib.suppress(ValueError):
            zones[user_id] = zone_for(zone_key)
    asking = await users_to_ask_how_it_settled(session, zones, now)
    facts: dict[int, PromptFacts] = {}
    for user_id, _, local_date in wanted:
        zone = zones.get(user_id)
        if zone is None:
            continue
        days = {instant.astimezone(zone).date() for instant in finishes.get(user_id, ())}
        facts[user_id] = PromptFacts(
            streak=current_streak(days, now.astimezone(zone).date()),
            routine=RoutineChoice(*choices[user_id]),
            done_today=local_date in days,
            ask_settled=user_id in asking,
        )
    return facts
