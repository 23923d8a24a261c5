"""Daily-post decisions when sends fail or crash: backoff, retry window, nonces, never twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.core.daily.backoff import retry_at
from bot.core.daily.schedule import NONCE_WINDOW, Due, Status, make_nonce, plan
from tests.core.daily_sim import H, M, Sim, local, posted, sched, utc


def failing(times: int, permanent: bool = False):  # type: ignore[no-untyped-def]
    left = [times]

    def outcome(due: Due, now: dt.datetime) -> tuple[str, bool] | None:
        if left[0] > 0:
            left[0] -= 1
            return ("403 Forbidden" if permanent else "503 Service Unavailable", permanent)
        return None

    return outcome


def test_transient_failures_retry_with_backoff_then_post_once() -> None:
    s = sched("07:30", "Asia/Tokyo")
    start = local("Asia/Tokyo", 2026, 5, 1, 7, 0)
    sim = Sim([s], start, outcome=failing(4))
    sim.run_until(local("Asia/Tokyo", 2026, 5, 2, 0, 0))
    slot = s.slot(dt.date(2026, 5, 1)).at
    assert [at - slot for _, at in sim.attempts] == [0 * M, 1 * M, 3 * M, 7 * M, 15 * M]
    assert [d.nonce for d, _ in sim.attempts] == [make_nonce(s.id, dt.date(2026, 5, 1))] * 5
    assert [d.retry for d, _ in sim.attempts] == [False, True, True, True, True]
    assert len(sim.channel.posts) == 1 and sim.deck[s.id] == 1


def test_a_day_of_failures_stops_at_the_window_posts_nothing_and_keeps_the_card() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 7, 0), outcome=failing(10_000))
    sim.run_until(local("Asia/Tokyo", 2026, 5, 2, 7, 0))
    slot = s.slot(dt.date(2026, 5, 1)).at
    gaps = [b - a for (_, a), (_, b) in zip(sim.attempts, sim.attempts[1:], strict=False)]
    assert max(gaps) == H  # capped backoff
    assert sim.attempts[-1][1] < slot + sim.grace  # no attempt after the window
    assert len(sim.attempts) < 20  # never a hot loop
    assert sim.channel.posts == [] and sim.deck == {}
    sim.outcome = failing(0)
    sim.run_until(local("Asia/Tokyo", 2026, 5, 3, 0, 0))
    assert [p.local_date for p in sim.channel.posts] == [dt.date(2026, 5, 2)]
    assert sim.deck[s.id] == 1  # the card not posted on the 1st is the one posted on the 2nd


def test_permanent_failures_are_retried_less_eagerly() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 7, 0), outcome=failing(10_000, permanent=True))
    sim.run_until(local("Asia/Tokyo", 2026, 5, 2, 0, 0))
    slot = s.slot(dt.date(2026, 5, 1)).at
    assert [at - slot for _, at in sim.attempts] == [0 * H, H / 2, 3 * H / 2, 7 * H / 2, 15 * H / 2]


def test_retries_end_at_the_next_slot_when_the_window_is_longer_than_a_day() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 7, 0), grace=40 * H, outcome=failing(10_000))
    sim.run_until(local("Asia/Tokyo", 2026, 5, 2, 7, 29))
    sim.outcome = failing(0)
    sim.run_until(local("Asia/Tokyo", 2026, 5, 2, 12, 0))
    assert [(p.local_date, p.at) for p in sim.channel.posts] == [
        (dt.date(2026, 5, 2), local("Asia/Tokyo", 2026, 5, 2, 7, 30)),
    ]


def test_crash_between_send_and_confirm_resends_with_the_same_nonce() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 7, 0), crash_after_send=True)
    sim.run_until(local("Asia/Tokyo", 2026, 5, 1, 8, 0))
    first = sim.attempts[-1][0]
    assert sim.ledger.snapshot()[s.id].status is Status.PENDING
    sim.crash_after_send = sim.crashed = False
    sim.now += M  # restarted a minute later
    sim.run_until(local("Asia/Tokyo", 2026, 5, 3, 0, 0))
    again = sim.attempts[1][0]
    assert again.nonce == first.nonce and again.resend and not again.check_history
    assert len(sim.posts_by_date()[dt.date(2026, 5, 1)]) == 1  # Discord returned the original
    assert sim.deck[s.id] == 2


def test_a_crash_older_than_the_nonce_window_asks_to_check_the_channel_first() -> None:
    s = sched("07:30", "Asia/Tokyo")
    slot = s.slot(dt.date(2026, 5, 1))
    pending = replace(posted(s, 2026, 5, 1), status=Status.PENDING)
    result = plan(slot.at + NONCE_WINDOW + M, [s], {s.id: pending})
    assert [(d.resend, d.check_history, d.attempt) for d in result.due] == [(True, True, 2)]
    late = plan(slot.at + 13 * H, [s], {s.id: pending})
    assert late.due == []  # past the window: left pending, shown by status, not re-sent


def test_nonce_is_short_stable_and_distinct() -> None:
    a = make_nonce("yaml-1001", dt.date(2026, 5, 1))
    assert a == make_nonce("yaml-1001", dt.date(2026, 5, 1))
    assert len(a) <= 25
    assert a != make_nonce("yaml-1001", dt.date(2026, 5, 2))
    assert a != make_nonce("yaml-1002", dt.date(2026, 5, 1))


def test_retry_at_doubles_caps_and_respects_retry_after() -> None:
    now = utc(2026, 5, 1)
    assert [retry_at(now, n, False) - now for n in (1, 2, 3, 7, 50)] == [M, 2 * M, 4 * M, H, H]
    assert retry_at(now, 1, True) - now == 30 * M
    assert retry_at(now, 1, False, at_least=5 * M) - now == 5 * M
