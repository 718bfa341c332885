"""Random Bot API failures for the fake (``FakeTelegram.chaos``): tests and benchmarks only."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.entry.fake_records import EDIT_METHODS, SEND_METHODS, PlannedFailure
from bot.entry.fake_telegram import FakeTelegram

# What Telegram answers on a bad day, per kind of call: (kind, status, description).
CHAOS_KINDS: dict[str, tuple[tuple[str, int, str], ...]] = {
    "answerCallbackQuery": (
        (
            "query_too_old",
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        ),
        ("bad_gateway", 502, "Bad Gateway"),
        ("timeout", 0, "timeout"),
    ),
    "edit": (
        # The message already reads so (an earlier try got through): the edit is applied.
        (
            "not_modified",
            400,
            "Bad Request: message is not modified: specified new message "
            "content and reply markup are exactly the same",
        ),
        ("too_many", 429, "Too Many Requests: retry after {retry_after}"),
        ("bad_gateway", 502, "Bad Gateway"),
        ("timeout", 0, "timeout"),
        ("late_timeout", 0, "timeout"),  # applied, but the answer came too late
    ),
    "send": (
        ("too_many", 429, "Too Many Requests: retry after {retry_after}"),
        ("bad_gateway", 502, "Bad Gateway"),
        ("timeout", 0, "timeout"),
        ("late_timeout", 0, "timeout"),  # delivered, but the answer came too late
        ("blocked", 403, "Forbidden: bot was blocked by the user"),
    ),
}
APPLIED_ANYWAY = frozenset({"not_modified", "late_timeout"})


@dataclass(frozen=True)
class Injected:
    """One failure the chaos policy answered with: at which call (index in ``calls``)."""

    index: int
    method: str
    chat_id: int | None
    kind: str


@dataclass
class ChaosPolicy:
    """Random failures from a seeded generator: each call to a user's chat fails with
    probability ``rate``, with an error Telegram really gives for that kind of call. Only
    ``chats`` (all when None) suffer; button answers carry no chat, so they fail at random
    whenever ``answers`` is set. Every injected failure is kept in ``injected``."""

    rate: float
    rng: random.Random
    chats: set[int] | None = None
    answers: bool = True
    max_retry_after: int = 3
    injected: list[Injected] = field(default_factory=list)

    def pick(self, index: int, method: str, chat_id: int | None) -> PlannedFailure | None:
        if method == "answerCallbackQuery":
            group = "answerCallbackQuery" if self.answers else None
        elif method in SEND_METHODS:
            group = "send"
        elif method in EDIT_METHODS:
            group = "edit"
        else:
            group = None
        if group is None or (group != "answerCallbackQuery" and not self._chosen(chat_id)):
            return None
        if self.rng.random() >= self.rate:
            return None
        kind, status, description = self.rng.choice(CHAOS_KINDS[group])
        self.injected.append(Injected(index, method, chat_id, kind))
        delivered = kind in APPLIED_ANYWAY
        if kind in ("timeout", "late_timeout"):
            return PlannedFailure(0, "timeout", timeout=True, delivered=delivered)
        retry_after = self.rng.randint(1, self.max_retry_after) if status == 429 else None
        return PlannedFailure(
            status,
            description.format(retry_after=retry_after),
            retry_after=retry_after,
            delivered=delivered,
        )

    def _chosen(self, chat_id: int | None) -> bool:
        return self.chats is None or chat_id in self.chats


def fail_at_random(
    fake: FakeTelegram,
    rate: float,
    *,
    seed: int,
    chats: set[int] | None = None,
    answers: bool = True,
) -> ChaosPolicy:
    """From now on, fail the fake's calls at random (see ``ChaosPolicy``); planned failures
    first."""
    rng = random.Random(seed)
    fake.chaos = ChaosPolicy(rate, rng, chats, answers)
    return fake.chaos
