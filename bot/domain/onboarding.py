"""The /start conversation's steps, as stored in ``users.onboarding_step``, and the kinds of
typed answer the reminder feature waits for (``users.awaiting``)."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    SAFETY = "safety"  # answering the red-flag questions; users.awaiting_ref = question index
    URGENT = "urgent"  # answered "yes" to one: must acknowledge the urgent-care advice
    ZONE = "zone"  # telling us their time zone
    TIME = "time"  # choosing the reminder time


class Awaiting(StrEnum):
    ZONE = "remind_zone"
    TIME = "remind_time"
