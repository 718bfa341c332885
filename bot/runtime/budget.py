"""One send budget for the whole bot: priorities within Telegram's limits, and the pipeline's
width.

Every Bot API call that puts something in a chat (a send, an edit) takes a slot here first
(``bot.plumbing.pace.PacedRateLimiter`` asks on its behalf). Slots come at the bot's rate
(``SEND_RATE_PER_SECOND``, a leaky bucket holding 1.5, and never more than ceil(rate) in any
one second: with 28.8 a second and Telegram's 30, a 429 needs one send held up some 70 ms
on its way more than the next thirty, where the bucket alone allowed 24 ms; with several
sends in flight such jitter is common) and at most about one a second in one
chat (a short burst of three allowed: a tap's answer may edit one message and send another).
When several calls wait, the slot goes to the most urgent whose chat may receive now:

1. ``ANSWER``: the direct answer to what a user just did (a tap, a message), and a hold's end;
2. ``REMINDER``: a due daily prompt;
3. ``COUNTDOWN``: a running hold's countdown edit: it takes what is left, never a slot an
   answer or a reminder is waiting for, and it gives up (``Expired``) rather than show a
   stale count; the hold timer asks ``countdown_every`` how often it may edit at all.

Paid broadcasts (``allow_paid_broadcast``, up to 1,000 a second for Telegram Stars) have a
bucket of their own at ``paid_rate``.

The pipeline: a prompt's send takes one round trip, so to keep the bucket busy the sweep has
about rate × round trip prompts in flight (``window``), from the round trip measured on
recent sends, never more than ``max_in_flight`` (``REMINDER_SEND_CONCURRENCY``). A prompt
stays "in flight" until its result is recorded, so that is also the most prompts a kill can
leave sent but unrecorded (sent again after the lease).

Telegram-free and deterministic: ``dispatch(now)`` decides, given the time; ``acquire`` is
the async face a single pump task drives. Tests call ``enqueue`` and ``dispatch`` with a
moved clock.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum

CHAT_RATE = 1.0  # messages a second in one chat
CHAT_BURST = 3.0
BUCKET = 1.5  # the bot-wide bucket: see bot.composition.send_budget
FIRST_RTT = 0.25  # a guess until the first answer is measured
RTT_WEIGHT = 0.25  # how fast the measured round trip follows a change
WINDOW_MARGIN = 1.25
STALL_DETECT_SECONDS = 0.005  # a pump this late means the loop was held up
STALL_SECONDS = 0.1  # the pipeline also covers this long a pause in recording (a batch claim)
BATCH_WAIT = 0.05  # room for a "sent" result's wait for its batch record (one write under way)
DEMAND_SECONDS = 5.0  # how far back "what answers and reminders use" looks
CADENCES = (5.0, 10.0, 15.0)  # countdown edits: every 5 s when there is room, else 10, 15
COUNTDOWN_SHARE = 0.8  # of the spare slots, the most countdowns are planned to use
HOLDER_SECONDS = 30.0  # a chat that asked for a cadence this recently counts as holding


class Priority(IntEnum):
    ANSWER = 0
    REMINDER = 1
    COUNTDOWN = 2


class Expired(Exception):
    """A call that may wait only so long (a countdown edit) found no slot in time."""


class Bucket:
    """A leaky bucket as a theoretical arrival time: ``rate`` a second, ``burst`` at once."""

    def __init__(self, rate: float, burst: float) -> None:
        self.interval = 1.0 / rate
        self.tolerance = (burst - 1.0) * self.interval
        self.tat = -math.inf

    def ready_at(self) -> float:
        return self.tat - self.tolerance

    def take(self, now: float) -> None:
        self.tat = max(self.tat, now) + self.interval

    def hold_off(self, until: float) -> None:
        """Nothing before ``until`` (Telegram answered 429 with retry_after)."""
        self.tat = max(self.tat, until + self.tolerance)


@dataclass(eq=False)
class Waiter:
    priority: Priority
    seq: int
    chat: int | str | None
    paid: bool
    deadline: float | None
    future: asyncio.Future[None] = field(repr=False)


@dataclass
class BudgetStats:
    granted: dict[Priority, int] = field(default_factory=lambda: dict.fromkeys(Priority, 0))
    expired: int = 0
    held_off: int = 0  # 429s that paused a bucket
    peak_in_flight: int = 0


class SendBudget:
    """The bot's one send budget (see the module doc); shared through the Runtime."""

    def __init__(
        self,
        *,
        rate: float | None,
        paid_rate: float,
        max_in_flight: int,
        per_chat: bool | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.paid_rate = paid_rate
        self.max_in_flight = max_in_flight
        self._free = Bucket(rate, BUCKET) if rate else None
        # Never more than ceil(rate) in any one second, however the bucket's half slot falls.
        self._last_second: deque[float] = deque(maxlen=math.ceil(rate) if rate else 1)
        self._paid = Bucket(paid_rate, BUCKET)
        self._per_chat = rate is not None if per_chat is None else per_chat
        self._chats: dict[int | str, Bucket] = {}
        self._now = monotonic
        self._waiters: list[Waiter] = []
        self._seq = 0
        self._wake: asyncio.Event | None = None
        self._pump: asyncio.Task[None] | None = None
        self._recent: deque[float] = deque()  # answer and reminder grants on the free bucket
        self._holders: dict[int | str, float] = {}
        self.rtt = FIRST_RTT
        self.in_flight = 0
        self._freed: asyncio.Condition | None = None
        self.stats = BudgetStats()

    def now(self) -> float:
        return self._now()

    # --- slots ---------------------------------------------------------------------------

    def enqueue(
        self,
        priority: Priority,
        chat: int | str | None,
        *,
        paid: bool = False,
        max_wait: float | None = None,
    ) -> asyncio.Future[None]:
        """Queue a call for a slot; its future resolves when ``dispatch`` grants one."""
        now = self._now()
        self._seq += 1
        deadline = now + max_wait if max_wait is not None else None
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(Waiter(priority, self._seq, chat, paid, deadline, future))
        self._waiters.sort(key=lambda w: (w.priority, w.seq))
        return future

    async def acquire(
        self,
        priority: Priority,
        chat: int | str | None,
        *,
        paid: bool = False,
        max_wait: float | None = None,
    ) -> None:
        """Wait for a slot; raises ``Expired`` after ``max_wait`` seconds without one."""
        if not self._waiters and self._grantable(self._now(), chat, paid):
            self._grant(self._now(), priority, chat, paid)
            return
        future = self.enqueue(priority, chat, paid=paid, max_wait=max_wait)
        self._kick()
        try:
            await future
        except asyncio.CancelledError:
            self._waiters = [w for w in self._waiters if w.future is not future]
            raise

    def dispatch(self, now: float) -> float | None:
        """Grant every slot that is free at ``now``, most urgent first; expire what waited
        too long. Returns when to look again (None: nobody waits)."""
        kept: list[Waiter] = []
        for waiter in self._waiters:
            if waiter.future.done():  # cancelled meanwhile
                continue
            if self._grantable(now, waiter.chat, waiter.paid):
                self._grant(now, waiter.priority, waiter.chat, waiter.paid)
                waiter.future.set_result(None)
            elif waiter.deadline is not None and now >= waiter.deadline:
                self.stats.expired += 1
                waiter.future.set_exception(Expired())
            else:
                kept.append(waiter)
        self._waiters = kept
        if not kept:
            return None
        times = [self._ready_at(w.chat, w.paid) for w in kept]
        times += [w.deadline for w in kept if w.deadline is not None]
        return max(now, min(times))

    def hold_off(self, seconds: float, *, paid: bool = False) -> None:
        """Telegram refused with 429: no slot on that bucket for ``seconds``."""
        bucket = self._paid if paid else self._free
        if bucket is not None:
            bucket.hold_off(self._now() + seconds)
            self.stats.held_off += 1
            self._kick()

    def _bucket(self, paid: bool) -> Bucket | None:
        return self._paid if paid else self._free

    def _ready_at(self, chat: int | str | None, paid: bool) -> float:
        bucket = self._bucket(paid)
        ready = bucket.ready_at() if bucket is not None else -math.inf
        window = self._last_second
        if not paid and self._free is not None and len(window) == window.maxlen:
            ready = max(ready, window[0] + 1.0)
        if self._per_chat and chat is not None and chat in self._chats:
            ready = max(ready, self._chats[chat].ready_at())
        return ready

    def _grantable(self, now: float, chat: int | str | None, paid: bool) -> bool:
        return now >= self._ready_at(chat, paid)

    def _grant(self, now: float, priority: Priority, chat: int | str | None, paid: bool) -> None:
        bucket = self._bucket(paid)
        if bucket is not None:
            bucket.take(now)
            if not paid:
                self._last_second.append(now)
        if self._per_chat and chat is not None:
            per_chat = self._chats.get(chat)
            if per_chat is None:
                per_chat = self._chats[chat] = Bucket(CHAT_RATE, CHAT_BURST)
            per_chat.take(now)
            if len(self._chats) > 4096:
                self._forget_chats(now)
        self.stats.granted[priority] += 1
        if priority != Priority.COUNTDOWN and not paid and self.rate is not None:
            self._recent.append(now)

    def _forget_chats(self, now: float) -> None:
        self._chats = {chat: b for chat, b in self._chats.items() if b.tat > now}

    def _kick(self) -> None:
        if self._wake is None:
            self._wake = asyncio.Event()
        self._wake.set()
        if self._pump is None or self._pump.done():
            self._pump = asyncio.get_running_loop().create_task(self._run_pump())

    async def _run_pump(self) -> None:
        wake = self._wake
        while wake is not None:
            wake.clear()
            now = self._now()
            again = self.dispatch(now)
            if again is None:
                return
            delay = max(again - now, 0.0005)
            try:
                async with asyncio.timeout(delay):
                    await wake.wait()
            except TimeoutError:
                self._note_lateness(self._now() - (now + delay), since=now)

    def _note_lateness(self, late: float, *, since: float) -> None:
        """The pump woke ``late`` seconds after it meant to: the event loop (or the machine)
        was held up, and the sends granted since its last look (``since``) most likely
        reach Telegram only now, together with the next. They count as sent now, so that
        the one-second cap holds as Telegram counts. (Only the last one used to: under a
        load of 10 and more, two or three granted together then bunched with the next
        second's and drew 429s.)"""
        window = self._last_second
        if late <= STALL_DETECT_SECONDS or not window:
            return
        now = self._now()
        for index in range(len(window) - 1, -1, -1):
            if window[index] < since:
                break
            window[index] = max(window[index], now)

    # --- the pipeline --------------------------------------------------------------------

    def observe_rtt(self, seconds: float) -> None:
        """One send's round trip (request to answer)."""
        self.rtt += RTT_WEIGHT * (seconds - self.rtt)

    def window(self, *, paid: bool = False) -> int:
        """How many prompts the sweep keeps in flight: rate × round trip, with a margin (and
        room for a tenth of a second when recording pauses, e.g. while the next batch is
        claimed, and for a result's wait for its batch record), within ``max_in_flight``."""
        rate = self.paid_rate if paid else self.rate
        if rate is None:
            return self.max_in_flight
        held = self.rtt * WINDOW_MARGIN + STALL_SECONDS + BATCH_WAIT
        wanted = math.ceil(rate * held) + 1
        return max(1, min(self.max_in_flight, wanted))

    async def take_off(self, *, paid: bool = False) -> None:
        """Take one of the ``window`` places for a prompt, from its send to its record."""
        if self._freed is None:
            self._freed = asyncio.Condition()
        async with self._freed:
            await self._freed.wait_for(lambda: self.in_flight < self.window(paid=paid))
            self.in_flight += 1
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self.in_flight)

    async def land(self) -> None:
        """Give the place back (the prompt's result is recorded, or it was not sent)."""
        self.in_flight -= 1
        if self._freed is not None:
            async with self._freed:
                self._freed.notify_all()

    async def settled(self, in_flight: int = 0) -> None:
        """Wait until at most ``in_flight`` prompts are in flight (their results recorded)."""
        if self._freed is None:
            self._freed = asyncio.Condition()
        async with self._freed:
            await self._freed.wait_for(lambda: self.in_flight <= in_flight)

    # --- countdowns ----------------------------------------------------------------------

    def spare_rate(self, now: float) -> float:
        """Slots a second that answers and reminders leave: none while either waits."""
        if self.rate is None:
            return math.inf
        if any(w.priority < Priority.COUNTDOWN and not w.paid for w in self._waiters):
            return 0.0
        while self._recent and now - self._recent[0] > DEMAND_SECONDS:
            self._recent.popleft()
        return max(0.0, self.rate - len(self._recent) / DEMAND_SECONDS)

    def countdown_every(self, chat: int | str) -> float | None:
        """How often a running hold in ``chat`` may edit its countdown (seconds), or None:
        only once near its end. Every chat that asked within HOLDER_SECONDS counts."""
        now = self._now()
        self._holders.pop(chat, None)
        self._holders[chat] = now  # the dict stays in the order of the last asks
        for oldest, asked in list(self._holders.items()):
            if now - asked < HOLDER_SECONDS:
                break
            del self._holders[oldest]
        spare = self.spare_rate(now) * COUNTDOWN_SHARE
        holders = len(self._holders)
        for every in CADENCES:
            if holders / every <= spare:
                return every
        return None
