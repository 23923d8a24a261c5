"""Daily-post decisions as schedules are added, moved, removed, paused, skipped or posted now."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.core.daily.schedule import MAX_SLEEP, Due, Status, next_slot, plan
from tests.core.daily_sim import Sim, local, sched


def test_schedule_added_after_its_time_starts_tomorrow() -> None:
    now = local("Asia/Tokyo", 2026, 5, 1, 10, 0)
    s = sched("07:30", "Asia/Tokyo", since=now)
    sim = Sim([s], now)
    sim.run_days(2)
    assert [p.local_date for p in sim.channel.posts] == [dt.date(2026, 5, 2), dt.date(2026, 5, 3)]


def test_moving_the_time_the_same_day_never_posts_twice() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 0, 0))
    sim.run_until(local("Asia/Tokyo", 2026, 5, 1, 8, 0))
    later = replace(s, time=dt.time(9, 0))
    sim.schedules = [later]
    sim.run_until(local("Asia/Tokyo", 2026, 5, 2, 12, 0))
    assert [p.at for p in sim.channel.posts] == [
        local("Asia/Tokyo", 2026, 5, 1, 7, 30),
        local("Asia/Tokyo", 2026, 5, 2, 9, 0),
    ]
    sim.schedules = [replace(s, time=dt.time(6, 0))]  # earlier, after today's post
    sim.run_until(local("Asia/Tokyo", 2026, 5, 3, 12, 0))
    assert [p.local_date for p in sim.channel.posts].count(dt.date(2026, 5, 2)) == 1
    assert sim.channel.posts[-1].at == local("Asia/Tokyo", 2026, 5, 3, 6, 0)


def test_moving_the_time_earlier_before_the_post_posts_once_now() -> None:
    s = sched("09:00", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 8, 0))
    sim.step()
    sim.schedules = [replace(s, time=dt.time(7, 0))]
    sim.run_until(local("Asia/Tokyo", 2026, 5, 1, 23, 0))
    assert [p.at for p in sim.channel.posts] == [local("Asia/Tokyo", 2026, 5, 1, 8, 0)]


def test_changing_the_time_zone_after_a_post_does_not_post_the_same_day_again() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 7, 0))
    sim.run_until(local("Asia/Tokyo", 2026, 5, 1, 8, 0))
    # It is 30 April, 19:00 in Toronto; Toronto's 1 May slot, 12 hours ahead, is a
    # date that was already posted (in Tokyo), so the next post is Toronto's 2 May.
    sim.schedules = [replace(s, timezone="America/Toronto")]
    sim.run_days(3)
    assert [p.at for p in sim.channel.posts] == [
        local("Asia/Tokyo", 2026, 5, 1, 7, 30),
        local("America/Toronto", 2026, 5, 2, 7, 30),
        local("America/Toronto", 2026, 5, 3, 7, 30),
    ]


def test_removed_schedule_posts_nothing_and_others_continue() -> None:
    a, b = sched("07:30", sid="a"), sched("07:30", sid="b")
    sim = Sim([a, b], local("Asia/Tokyo", 2026, 5, 1, 0, 0))
    sim.run_days(2)
    sim.schedules = [b]
    sim.run_days(3)
    assert len(sim.posts_by_date("a")) == 2 and len(sim.posts_by_date("b")) == 5


def test_two_schedules_due_together_are_both_posted_in_order() -> None:
    a, b = sched("07:30", sid="b-second"), sched("07:30", sid="a-first")
    result = plan(local("Asia/Tokyo", 2026, 5, 1, 7, 30), [a, b], {})
    assert [d.schedule_id for d in result.due] == ["a-first", "b-second"]


def test_paused_schedule_posts_nothing_and_resuming_does_not_catch_up() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 0, 0))
    sim.run_days(1)
    sim.schedules = [replace(s, paused=True)]
    sim.run_days(3)
    assert len(sim.channel.posts) == 1
    resumed = local("Asia/Tokyo", 2026, 5, 4, 9, 0)
    sim.run_until(resumed)
    sim.schedules = [replace(s, since=resumed)]
    sim.run_days(2)
    assert [p.local_date for p in sim.channel.posts] == [
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 5),
        dt.date(2026, 5, 6),
    ]


def test_paused_schedule_never_wakes_the_loop_early() -> None:
    s = sched("07:30", "Asia/Tokyo", paused=True)
    now = local("Asia/Tokyo", 2026, 5, 1, 7, 29)
    assert plan(now, [s], {}).wake_at == now + MAX_SLEEP
    assert next_slot(now, s, None) is None


def test_skip_marks_the_next_slot_and_the_day_after_posts() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 6, 0))
    skipped = next_slot(sim.now, s, sim.ledger.snapshot().get(s.id))
    assert skipped is not None and skipped.local_date == dt.date(2026, 5, 1)
    sim.ledger.mark(skipped, Status.SKIPPED, sim.now)
    sim.run_until(local("Asia/Tokyo", 2026, 5, 3, 12, 0))
    assert [p.local_date for p in sim.channel.posts] == [dt.date(2026, 5, 2), dt.date(2026, 5, 3)]


def test_post_now_takes_the_next_slot_so_its_time_passes_quietly() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 6, 0))
    slot = next_slot(sim.now, s, None)
    assert slot is not None
    sim.perform(Due(s.id, slot.local_date, slot.at, slot.nonce))
    sim.run_until(local("Asia/Tokyo", 2026, 5, 2, 12, 0))
    assert [p.at for p in sim.channel.posts] == [
        local("Asia/Tokyo", 2026, 5, 1, 6, 0),
        local("Asia/Tokyo", 2026, 5, 2, 7, 30),
    ]
