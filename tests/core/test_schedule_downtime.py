"""Daily-post decisions across downtime and clock jumps: late within grace, else missed once."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.daily.schedule import MAX_SLEEP
from tests.core.daily_sim import H, M, Sim, assert_daily, local, sched, utc

# --- downtime ---------------------------------------------------------------------


def down(sim: Sim, start: dt.datetime, back: dt.datetime, until: dt.datetime) -> None:
    sim.run_until(start)
    sim.now = back  # the process was not running: no plan() calls in between
    sim.run_until(until)


@pytest.mark.parametrize(
    ("length", "late"),
    [(5 * M, 3 * M), (3 * H, 2 * H + 58 * M)],
)
def test_short_downtime_over_the_slot_posts_once_on_return(
    length: dt.timedelta, late: dt.timedelta
) -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 0, 0))
    stop = local("Asia/Tokyo", 2026, 5, 2, 7, 28)
    down(sim, stop, stop + length, local("Asia/Tokyo", 2026, 5, 5))
    by_date = sim.posts_by_date()
    assert [len(p) for p in by_date.values()] == [1, 1, 1, 1]
    assert by_date[dt.date(2026, 5, 2)][0].at == s.slot(dt.date(2026, 5, 2)).at + late
    assert sim.missed == []


def test_two_days_down_posts_only_todays_card_within_grace() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 0, 0))
    back = local("Asia/Tokyo", 2026, 5, 3, 10, 0)
    down(sim, local("Asia/Tokyo", 2026, 5, 1, 8, 0), back, back + 2 * 24 * H)
    dates = [p.local_date.day for p in sim.channel.posts]
    assert dates == [1, 3, 4, 5]
    assert sim.channel.posts[1].at == back  # on return, once; 5/2 is never posted
    assert sim.missed == []


def test_downtime_past_the_grace_window_skips_the_day_and_records_it_once() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 0, 0))
    back = local("Asia/Tokyo", 2026, 5, 4, 20, 0)  # 12.5 h after the 4th's slot
    down(sim, local("Asia/Tokyo", 2026, 5, 1, 8, 0), back, back + 24 * H)
    assert [p.local_date for p in sim.channel.posts] == [dt.date(2026, 5, 1), dt.date(2026, 5, 5)]
    assert [m.local_date for m in sim.missed] == [dt.date(2026, 5, 4)]  # not one per day


# --- clock jumps --------------------------------------------------------------------


@pytest.mark.parametrize("back", [H, 6 * H, 30 * H])
def test_clock_jumping_back_after_a_post_does_not_post_again(back: dt.timedelta) -> None:
    s = sched("07:30", "Europe/London")
    sim = Sim([s], utc(2026, 6, 1))
    sim.run_until(utc(2026, 6, 2, 8, 0))
    sim.now -= back
    sim.run_until(utc(2026, 6, 5))
    assert_daily(sim, s, dt.date(2026, 6, 1), dt.date(2026, 6, 4))


def test_clock_jumping_forward_is_noticed_within_the_hour() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 5, 1, 1, 0))
    wake = sim.step()
    assert wake - sim.now <= MAX_SLEEP  # the loop never sleeps long enough to miss a jump
    sim.now = local("Asia/Tokyo", 2026, 5, 1, 9, 0)  # woke after an hour; the clock says 09:00
    sim.step()
    assert [p.at for p in sim.channel.posts] == [local("Asia/Tokyo", 2026, 5, 1, 9, 0)]
