"""Daily-post decisions over a simulated year: one post per due local day at its slot, DST too."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.daily.schedule import plan
from bot.core.daily.schedule_config import parse_days
from tests.core.daily_sim import Sim, assert_daily, local, posted, sched, utc


def test_tokyo_posts_once_a_day_at_the_local_time_for_a_year() -> None:
    s = sched("07:30", "Asia/Tokyo")
    sim = Sim([s], local("Asia/Tokyo", 2026, 1, 1, 0, 0))
    sim.run_until(local("Asia/Tokyo", 2027, 1, 1, 0, 0))
    assert_daily(sim, s, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    zone = ZoneInfo("Asia/Tokyo")
    assert {p.at.astimezone(zone).time() for p in sim.channel.posts} == {dt.time(7, 30)}
    assert sim.deck[s.id] == 365


@pytest.mark.parametrize("zone", ["America/Toronto", "Europe/London", "Australia/Lord_Howe"])
@pytest.mark.parametrize("time", ["00:00", "01:30", "02:30", "07:30", "23:59:59"])
def test_dst_zones_post_exactly_once_every_local_day(zone: str, time: str) -> None:
    s = sched(time, zone)
    sim = Sim([s], local(zone, 2026, 1, 1, 0, 0))
    sim.run_until(local(zone, 2027, 1, 1, 0, 0))
    assert_daily(sim, s, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    # Outside the change days, the wall clock shows the scheduled time.
    tz = ZoneInfo(zone)
    off = [p for p in sim.channel.posts if p.at.astimezone(tz).time() != s.time]
    assert len(off) <= 1


def test_toronto_spring_forward_0230_posts_at_0300_once() -> None:
    s = sched("02:30", "America/Toronto")
    sim = Sim([s], local("America/Toronto", 2026, 3, 6, 12, 0))
    sim.run_until(local("America/Toronto", 2026, 3, 9, 12, 0))
    times = [p.at.astimezone(ZoneInfo("America/Toronto")) for p in sim.channel.posts]
    assert [t.strftime("%m-%d %H:%M %Z") for t in times] == [
        "03-07 02:30 EST",
        "03-08 03:00 EDT",  # 02:30 does not exist: the first valid instant after the gap
        "03-09 02:30 EDT",
    ]


def test_toronto_fall_back_0130_posts_at_the_first_occurrence_only() -> None:
    s = sched("01:30", "America/Toronto")
    sim = Sim([s], local("America/Toronto", 2026, 10, 31, 12, 0))
    sim.run_until(local("America/Toronto", 2026, 11, 2, 12, 0))
    times = [p.at.astimezone(ZoneInfo("America/Toronto")) for p in sim.channel.posts]
    assert [t.strftime("%m-%d %H:%M %Z") for t in times] == [
        "11-01 01:30 EDT",  # 01:30 happens twice; the second (EST) one is not a new day
        "11-02 01:30 EST",
    ]


def test_london_across_both_2026_changes() -> None:
    s = sched("01:30", "Europe/London")
    sim = Sim([s], utc(2026, 3, 27))
    sim.run_until(utc(2026, 10, 28))
    assert_daily(sim, s, dt.date(2026, 3, 27), dt.date(2026, 10, 27))
    spring = sim.posts_by_date()[dt.date(2026, 3, 29)][0].at
    assert spring.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M %Z") == "02:00 BST"


def test_days_of_week_filter() -> None:
    s = sched("09:00", "America/Toronto", days=parse_days("mon,wed,fri"))
    sim = Sim([s], utc(2026, 3, 1))
    sim.run_days(28)
    assert_daily(sim, s, dt.date(2026, 3, 1), dt.date(2026, 3, 28))
    assert {d.weekday() for d in sim.posts_by_date()} == {0, 2, 4}
    assert len(sim.channel.posts) == 12


def test_wake_at_is_the_slot_itself_or_at_most_an_hour_ahead() -> None:
    s = sched("07:30", "Asia/Tokyo")
    result = plan(local("Asia/Tokyo", 2026, 5, 1, 7, 0), [s], {})
    assert result.due == [] and result.wake_at == local("Asia/Tokyo", 2026, 5, 1, 7, 30)
    result = plan(local("Asia/Tokyo", 2026, 5, 1, 8, 0), [s], {s.id: posted(s, 2026, 5, 1)})
    assert result.wake_at == local("Asia/Tokyo", 2026, 5, 1, 9, 0)


def test_naive_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan(dt.datetime(2026, 5, 1, 7, 30), [sched()], {})


def test_a_schedule_with_a_vanished_time_zone_does_not_stop_the_others() -> None:
    broken, fine = sched(sid="broken", zone="Mars/Olympus_Mons"), sched(sid="fine")
    result = plan(local("Asia/Tokyo", 2026, 5, 1, 7, 30), [broken, fine], {})
    assert [d.schedule_id for d in result.due] == ["fine"]
