"""The daily-post decision, over a simulated calendar: one post per due local day, on time."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from bot.core.backoff import retry_at
from bot.core.schedule import (
    MAX_SLEEP,
    NONCE_WINDOW,
    Due,
    LedgerEntry,
    Schedule,
    Status,
    make_nonce,
    next_slot,
    plan,
)
from bot.core.schedule_config import parse_days
from tests.core.daily_sim import Sim, days_between, local, utc

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def sched(
    time: str = "07:30", zone: str = "Asia/Tokyo", sid: str = "s1", **kw: object
) -> Schedule:
    hh, mm, *ss = (int(p) for p in time.split(":"))
    return Schedule(sid, "yaml", 1001, dt.time(hh, mm, *ss), zone, **kw)  # type: ignore[arg-type]


def assert_daily(sim: Sim, schedule: Schedule, first: dt.date, last: dt.date) -> None:
    """Exactly one post per due local date from *first* to *last*, each at its slot."""
    by_date = sim.posts_by_date(schedule.id)
    expected = [d for d in days_between(first, last) if schedule.runs_on(d)]
    assert sorted(by_date) == expected
    for day, posts in by_date.items():
        assert len(posts) == 1, f"{day}: {len(posts)} posts"
        assert posts[0].at == schedule.slot(day).at, f"{day}: posted at {posts[0].at}"


# --- a year of posting, in zones with and without daylight saving -----------------


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


def posted(s: Schedule, y: int, m: int, d: int, status: Status = Status.SENT) -> LedgerEntry:
    day = dt.date(y, m, d)
    slot = s.slot(day)
    return LedgerEntry(day, status, slot.at, slot.nonce, 1, None, False, slot.at)


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


# --- schedules added, changed, removed, paused ---------------------------------------


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


# --- failures, retries, crashes --------------------------------------------------------


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


# --- small pieces ------------------------------------------------------------------------


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


def test_naive_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan(dt.datetime(2026, 5, 1, 7, 30), [sched()], {})


def test_a_schedule_with_a_vanished_time_zone_does_not_stop_the_others() -> None:
    broken, fine = sched(sid="broken", zone="Mars/Olympus_Mons"), sched(sid="fine")
    result = plan(local("Asia/Tokyo", 2026, 5, 1, 7, 30), [broken, fine], {})
    assert [d.schedule_id for d in result.due] == ["fine"]
