"""Every status and outcome value the database stores, in one place.

Each class lists the values of one column; the storage models, the services and the views
all name them from here.
"""

from __future__ import annotations


class SubscriptionStatus:
    """``subscriptions.status`` values."""

    SETUP = "setup"  # /start in progress: zone known, time not yet
    ACTIVE = "active"
    PAUSED = "paused"  # paused_until set: ends by itself; None: until /resume
    STOPPED = "stopped"  # /stop: no prompts, data kept
    BLOCKED = "blocked"  # the user blocked the bot (403): no prompts until they come back


class DeliveryStatus:
    """``reminder_deliveries.status`` values."""

    CLAIMED = "claimed"  # taken by a dispatcher; being sent, or waiting for retry_at
    SENT = "sent"
    SNOOZED = "snoozed"  # sent; to be sent again at snooze_until
    SKIPPED = "skipped"  # the user tapped "Skip today"
    MISSED = "missed"  # due while the bot was down for longer than the grace period
    FAILED = "failed"  # retries used up, or a permanent error
    BLOCKED = "blocked"  # Telegram said 403: the user blocked the bot
    CANCELLED = "cancelled"  # a pending resend dropped: reminders paused or stopped meanwhile


class SessionStatus:
    """``routine_sessions.status`` values."""

    ACTIVE = "active"
    COMPLETED = "completed"
    STOPPED = "stopped"  # ended early by the user, or left behind for a new one


class HoldOutcome:
    """``holds.outcome`` values."""

    RUNNING = "running"  # the countdown is on
    COMPLETED = "completed"
    STOPPED_EARLY = "stopped_early"  # "Finish hold" before the end
    HURT = "hurt"  # "It hurts"
    SKIPPED = "skipped"  # "Skip this exercise"
