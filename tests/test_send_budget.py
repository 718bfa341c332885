"""The send budget on a moved clock: pace, priorities, the per-chat limit, 429 pauses, the
pipeline's width and the countdown cadence (bot/runtime/budget.py). No sleeping: ``dispatch``
is called with the time the test chooses."""

from __future__ import annotations

import asyncio

import pytest

from bot.runtime.budget import CADENCES, Expired, Priority, SendBudget


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def budget(clock: Clock, *, rate: float | None = 10.0, max_in_flight: int = 16) -> SendBudget:
    return SendBudget(rate=rate, paid_rate=1000.0, max_in_flight=max_in_flight, monotonic=clock)


def granted(futures: list[asyncio.Future[None]]) -> list[int]:
    return [i for i, f in enumerate(futures) if f.done() and f.exception() is None]


async def test_slots_come_at_the_rate_with_a_bucket_of_one_and_a_half() -> None:
    clock = Clock()
    pace = budget(clock, rate=10.0)
    waiting = [pace.enqueue(Priority.REMINDER, chat) for chat in range(5)]

    again = pace.dispatch(clock.now)
    assert granted(waiting) == [0]
    assert again == pytest.approx(clock.now + 0.05)  # half a slot early is within the bucket

    times = []
    while again is not None:
        clock.now = again
        before = len(granted(waiting))
        again = pace.dispatch(clock.now)
        if len(granted(waiting)) > before:
            times.append(clock.now)
    assert granted(waiting) == [0, 1, 2, 3, 4]
    # After the first two (the bucket's half slot), one every 0.1 s: ten a second.
    assert [round(t - 100.0, 3) for t in times] == [0.05, 0.15, 0.25, 0.35]


async def test_never_more_than_ceil_rate_in_any_one_second() -> None:
    clock = Clock()
    pace = budget(clock, rate=10.0)
    waiting = [pace.enqueue(Priority.REMINDER, chat) for chat in range(12)]

    times = []
    again: float | None = clock.now
    while again is not None:
        clock.now = again
        before = len(granted(waiting))
        again = pace.dispatch(clock.now)
        times += [clock.now] * (len(granted(waiting)) - before)

    # The bucket alone would let the eleventh go at 0.95 s: ten in 0.95 s.
    assert [round(t - 100.0, 3) for t in times[9:]] == [0.85, 1.0, 1.05]


async def test_an_answer_goes_first_a_reminder_next_a_countdown_last() -> None:
    clock = Clock()
    pace = budget(clock, rate=10.0)
    pace.dispatch(clock.now)
    assert pace.enqueue(Priority.ANSWER, 0).done() is False  # nothing granted without dispatch
    first = pace.dispatch(clock.now)
    assert first is None  # the first slot was free: the answer had it
    clock.now += 0.5
    countdown = pace.enqueue(Priority.COUNTDOWN, 1)
    reminder = pace.enqueue(Priority.REMINDER, 2)
    answer = pace.enqueue(Priority.ANSWER, 3)
    named = {"countdown": countdown, "reminder": reminder, "answer": answer}
    order: list[str] = []

    again = pace.dispatch(clock.now)
    while again is not None:
        order += [name for name, f in named.items() if f.done() and name not in order]
        clock.now = again
        again = pace.dispatch(clock.now)
    order += [name for name, f in named.items() if f.done() and name not in order]

    assert order == ["answer", "reminder", "countdown"]


async def test_a_countdown_edit_gives_up_rather_than_wait_behind_reminders() -> None:
    clock = Clock()
    pace = budget(clock, rate=10.0)
    reminders = [pace.enqueue(Priority.REMINDER, chat) for chat in range(30)]
    countdown = pace.enqueue(Priority.COUNTDOWN, 99, max_wait=1.0)

    again = pace.dispatch(clock.now)
    while again is not None and not countdown.done():
        clock.now = again
        again = pace.dispatch(clock.now)

    with pytest.raises(Expired):
        countdown.result()
    assert clock.now == pytest.approx(101.0)
    assert len(granted(reminders)) == 11  # the reminders kept their pace meanwhile
    assert pace.stats.expired == 1
    for future in reminders:
        future.cancel()


async def test_one_chat_gets_a_burst_of_three_then_one_a_second_without_holding_up_others() -> None:
    clock = Clock()
    pace = budget(clock, rate=1000.0)
    same_chat = [pace.enqueue(Priority.ANSWER, 7) for _ in range(5)]
    other = pace.enqueue(Priority.REMINDER, 8)

    for _ in range(10):  # the bot-wide bucket is no limit here
        pace.dispatch(clock.now)
        clock.now += 0.002
    assert granted(same_chat) == [0, 1, 2]
    assert other.done()  # a lower priority in another chat is not stuck behind chat 7

    clock.now = 101.0
    pace.dispatch(clock.now)
    assert granted(same_chat) == [0, 1, 2, 3]
    clock.now = 101.9
    pace.dispatch(clock.now)
    assert granted(same_chat) == [0, 1, 2, 3]
    clock.now = 102.0
    pace.dispatch(clock.now)
    assert granted(same_chat) == [0, 1, 2, 3, 4]


async def test_without_a_rate_nothing_waits_not_even_one_chat() -> None:
    clock = Clock()
    pace = budget(clock, rate=None)
    waiting = [pace.enqueue(Priority.REMINDER, 7) for _ in range(50)]

    assert pace.dispatch(clock.now) is None
    assert granted(waiting) == list(range(50))


async def test_a_429_pauses_the_bucket_for_its_retry_after() -> None:
    clock = Clock()
    pace = budget(clock, rate=10.0)
    pace.hold_off(3.0)
    waiting = pace.enqueue(Priority.REMINDER, 1)

    again = pace.dispatch(clock.now)

    assert not waiting.done()
    assert again is not None
    assert again >= clock.now + 3.0
    clock.now = again
    pace.dispatch(clock.now)
    assert waiting.done()
    assert pace.stats.held_off == 1


async def test_paid_broadcasts_have_a_bucket_of_their_own() -> None:
    clock = Clock()
    pace = budget(clock, rate=10.0)
    free = [pace.enqueue(Priority.REMINDER, chat) for chat in range(3)]
    paid = [pace.enqueue(Priority.REMINDER, 100 + chat, paid=True) for chat in range(3)]

    pace.dispatch(clock.now)
    clock.now += 0.002
    pace.dispatch(clock.now)
    clock.now += 0.002
    pace.dispatch(clock.now)

    assert granted(free) == [0]
    assert granted(paid) == [0, 1, 2]  # a thousand a second
    for future in free:
        future.cancel()


async def test_acquire_takes_a_free_slot_at_once() -> None:
    clock = Clock()
    pace = budget(clock, rate=10.0)

    await pace.acquire(Priority.ANSWER, 1)

    assert pace.stats.granted[Priority.ANSWER] == 1


def test_the_window_is_rate_times_round_trip_with_a_margin_within_the_bound() -> None:
    clock = Clock()
    pace = budget(clock, rate=28.8, max_in_flight=16)
    pace.rtt = 0.1
    # ceil(28.8 x (0.1 x 1.25 + 0.1 + 0.05)) + 1: the round trip with a margin, a pause in
    # recording, and a result's wait for its batch record
    assert pace.window() == 9
    pace.rtt = 0.25
    assert pace.window() == 15
    for _ in range(40):  # the round trip jumps to 500 ms: the estimate follows
        pace.observe_rtt(0.5)
    assert pace.rtt == pytest.approx(0.5, abs=0.001)
    assert pace.window() == 16  # 24 wanted, the setting bounds it
    pace.rtt = 0.1
    assert pace.window(paid=True) == 16
    assert budget(clock, rate=None, max_in_flight=4).window() == 4


async def test_in_flight_places_never_exceed_the_window() -> None:
    clock = Clock()
    pace = budget(clock, rate=None, max_in_flight=3)
    for _ in range(3):
        await pace.take_off()
    waiting = {asyncio.ensure_future(pace.take_off()) for _ in range(2)}

    await pace.land()
    done, pending = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)

    assert (len(done), len(pending)) == (1, 1)  # one place freed, one taken
    assert (pace.in_flight, pace.stats.peak_in_flight) == (3, 3)
    await pace.land()
    await asyncio.wait(pending)
    assert pace.stats.peak_in_flight == 3


def test_countdowns_edit_every_5_s_with_room_and_less_often_as_holders_grow() -> None:
    clock = Clock()
    pace = budget(clock, rate=28.8)
    cadences = [pace.countdown_every(chat) for chat in range(500)]

    # Spare 28.8 x 0.8 = 23 a second: 115 holders at 5 s, 230 at 10 s, 345 at 15 s.
    assert cadences[0] == CADENCES[0]
    assert cadences[115] == 10.0
    assert cadences[230] == 15.0
    assert cadences[345] is None  # only near the end
    clock.now += 31  # holds ended: they no longer count
    assert pace.countdown_every(1) == 5.0


async def test_countdowns_wait_for_the_end_while_a_reminder_waits_for_a_slot() -> None:
    clock = Clock()
    pace = budget(clock, rate=28.8)
    pace.enqueue(Priority.REMINDER, 5)

    assert pace.countdown_every(1) is None


async def test_answers_and_reminders_sent_lately_leave_less_for_countdowns() -> None:
    clock = Clock()
    pace = budget(clock, rate=28.8)
    for chat in range(100):  # 20 a second for five seconds
        await pace.acquire(Priority.REMINDER, 1000 + chat)
        clock.now += 0.05

    # 28.8 - 20 = 8.8 spare, 7 for countdowns: 35 holders fit at 5 s, 60 need 10 s.
    cadences = [pace.countdown_every(chat) for chat in range(60)]
    assert (cadences[34], cadences[35], cadences[59]) == (5.0, 10.0, 10.0)
