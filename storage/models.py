"""Typed SQLAlchemy models. The schema itself is created only by the Alembic migrations."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain.schedule import EVERY_DAY
from storage.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

"""Days of the week as a bit mask: Monday is bit 0, Sunday is bit 6."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class User(Base):
    """A Telegram user who has talked to the bot. The id is Telegram's user id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Onboarding and "what free text do we expect next", kept here, not in memory.
    onboarding_step: Mapped[str | None] = mapped_column(String(32))
    awaiting: Mapped[str | None] = mapped_column(String(32))
    awaiting_ref: Mapped[int | None] = mapped_column(BigInteger)
    awaiting_since: Mapped[datetime | None]
    """When the wait in ``awaiting`` began: it expires (``bot.domain.pending``)."""
    awaiting_repeated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The pending question was already repeated once after a text that did not answer it."""
    safety_acknowledged_at: Mapped[datetime | None]
    # The safety gate (migration 0004): the tier of the latest screening that found warning
    # signs ("none", "see_doctor", "emergency"), and when the user confirmed a doctor's check.
    safety_tier: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    safety_cleared_at: Mapped[datetime | None]
    # When the whole "this is how sciatica usually feels" explanation was last shown (0011):
    # at most once a day, then a one-line reminder.
    sciatica_explained_at: Mapped[datetime | None]
    # Routine preferences.
    routine_length: Mapped[str] = mapped_column(String(8), default="full")
    timers_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    pictures_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Hands-free routine (issue 16): None until chosen (the deployment's default applies);
    # slow_pace makes the pauses between holds and exercises longer.
    hands_free: Mapped[bool | None] = mapped_column(Boolean)
    slow_pace: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Exercise cards come with their animation (off for slow connections: text only)."""
    # Weekly summary.
    weekly_summary_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    weekly_summary_weekday: Mapped[int] = mapped_column(SmallInteger, default=6)
    weekly_summary_time: Mapped[time] = mapped_column(Time, default=time(18, 0))
    weekly_summary_next_at: Mapped[datetime | None] = mapped_column(index=True)
    blocked_at: Mapped[datetime | None]
    report_name: Mapped[str | None] = mapped_column(String(80))
    """A name the user chose to print on their clinician report (/report name ...)."""


class Subscription(Base):
    """A user's daily reminder: the schedule and the next due instant in UTC."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    local_time: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))
    days: Mapped[int] = mapped_column(SmallInteger, default=EVERY_DAY)
    status: Mapped[str] = mapped_column(String(16), default="active")
    paused_until: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None]
    note_when_done: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Once today's routine is done: False, no prompt that day; True, a one-line note."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("days >= 0 AND days <= 127", name="days_mask"),
        # The sweep reads due rows in this order, one batch at a time (migration 0003).
        Index("ix_subscriptions_due_order", "next_due_at", "id"),
    )


class ReminderDelivery(Base):
    """One daily prompt: claimed, then sent (or missed, failed, skipped). One per local day."""

    __tablename__ = "reminder_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime]
    claimed_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    snooze_until: Mapped[datetime | None] = mapped_column(index=True)
    error: Mapped[str | None] = mapped_column(String(200))
    # Reminders: while claimed, when the next send attempt may start (a retry after 429 or a
    # timeout, or a lease: a claim not finished by then may be taken over by any dispatcher).
    retry_at: Mapped[datetime | None] = mapped_column(index=True)

    __table_args__ = (UniqueConstraint("subscription_id", "local_date"),)


class RoutineSession(Base):
    """One run through the routine; its position lives here so a restart loses nothing."""

    __tablename__ = "routine_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_deliveries.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(8), default="full")
    status: Mapped[str] = mapped_column(String(16), default="active")
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    cursor: Mapped[dict[str, Any]] = mapped_column(JSON)
    step_no: Mapped[int] = mapped_column(Integer, default=0)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Hands-free (issue 16): the mode fixed at the start, when the current timed phase (a
    # countdown before a hold, or the hold) ends, the seconds left of a paused countdown, and
    # the last cue message (deleted when the next one comes).
    hands_free: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    phase_ends_at: Mapped[datetime | None]
    paused_seconds: Mapped[int | None] = mapped_column(Integer)
    cue_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Why the session ended early (0011): "safety" when a warning sign typed mid-routine ended
    # it (a later tap on its buttons says so); NULL otherwise.
    stop_reason: Mapped[str | None] = mapped_column(String(16))
    pain_before: Mapped[int | None] = mapped_column(SmallInteger)
    pain_after: Mapped[int | None] = mapped_column(SmallInteger)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]

    __table_args__ = (Index(None, "user_id", "status"),)


class Hold(Base):
    """One hold or set of one exercise within a routine session."""

    __tablename__ = "holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("routine_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(String(32))
    side: Mapped[str | None] = mapped_column(String(8))
    rep: Mapped[int] = mapped_column(SmallInteger)
    set_no: Mapped[int] = mapped_column(SmallInteger, default=1)
    target_seconds: Mapped[int] = mapped_column(SmallInteger)
    target_reps: Mapped[int | None] = mapped_column(SmallInteger)
    actual_seconds: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16), default="running")
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    __table_args__ = (Index(None, "user_id", "exercise_id"),)


class PainRating(Base):
    """A 0-10 pain rating, before or after a routine or at any time, with an optional note."""

    __tablename__ = "pain_ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("routine_sessions.id", ondelete="SET NULL")
    )
    score: Mapped[int] = mapped_column(SmallInteger)
    context: Mapped[str] = mapped_column(String(8), default="any")
    note: Mapped[str | None] = mapped_column(String(500))
    rated_at: Mapped[datetime]
    keyboard_message_id: Mapped[int | None] = mapped_column(BigInteger)
    """The /pain keyboard the rating was tapped on: one rating per keyboard."""

    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 10", name="score_range"),
        Index(None, "user_id", "rated_at"),
        Index("ix_pain_ratings_keyboard", "user_id", "keyboard_message_id", unique=True),
    )


class ExercisePreference(Base):
    """Per user and exercise: left out of routines or not, and the progression level."""

    __tablename__ = "exercise_preferences"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    exercise_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    level: Mapped[int] = mapped_column(SmallInteger, default=0)
    level_changed_at: Mapped[datetime | None]
    level_reason: Mapped[str | None] = mapped_column(String(32))


class MediaFile(Base):
    """A picture uploaded to Telegram: its cache key and the file_id to send it again by."""

    __tablename__ = "media_files"
    __table_args__ = (CheckConstraint("kind IN ('animation', 'still')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    exercise_id: Mapped[str] = mapped_column(String(32))
    side: Mapped[str] = mapped_column(String(8))
    file_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class SafetyScreening(Base):
    """One safety screening: where it came from, its tier and the sign ids (no user words)."""

    __tablename__ = "safety_screenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(16))
    tier: Mapped[str] = mapped_column(String(24))
    signs: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (
        CheckConstraint("source IN ('onboarding', 'rescreen', 'message')", name="source_kind"),
        Index(None, "user_id", "taken_at"),
    )
