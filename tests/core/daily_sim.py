"""A simulated calendar for the daily-post decision: a fake clock, a ledger, a channel.

The loop mirrors what the Discord adapter does (plan, begin, send with a nonce,
confirm or fail, sleep until ``wake_at``) but jumps the clock instead of
sleeping, so years of posting run in a fraction of a second.

At the end, the builders and checks the ``test_schedule_*.py`` modules share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from bot.core.daily.backoff import retry_at
from bot.core.daily.schedule import (
    DEFAULT_GRACE,
    MAX_SLEEP,
    Due,
    LedgerEntry,
    Schedule,
    Slot,
    Status,
    plan,
)

UTC = dt.UTC


@dataclass(frozen=True)
class Post:
    schedule_id: str
    local_date: dt.date
    at: dt.datetime  # when the message appeared
    nonce: str


class Channel:
    """Discord, as far as posting goes: a nonce seen recently returns the old message."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self._by_nonce: dict[str, Post] = {}

    def send(self, due: Due, now: dt.datetime) -> Post:
        old = self._by_nonce.get(due.nonce)
        if old is not None and now - old.at <= dt.timedelta(minutes=5):
            return old  # enforce_nonce
        post = Post(due.schedule_id, due.local_date, now, due.nonce)
        self.posts.append(post)
        self._by_nonce[due.nonce] = post
        return post


class Ledger:
    """The ledger as the storage layer keeps it, in memory."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, dt.date], LedgerEntry] = {}
        self._latest: dict[str, LedgerEntry] = {}

    def snapshot(self) -> dict[str, LedgerEntry]:
        return dict(self._latest)

    def _put(self, sid: str, row: LedgerEntry) -> None:
        self.rows[(sid, row.local_date)] = row
        latest = self._latest.get(sid)
        if latest is None or row.local_date >= latest.local_date:
            self._latest[sid] = row

    def begin(self, due: Due, now: dt.datetime) -> None:
        key = (due.schedule_id, due.local_date)
        row = self.rows.get(key)
        assert row is None or row.status in (Status.PENDING, Status.FAILED), row
        attempts = row.attempts + 1 if row else 1
        self._put(
            due.schedule_id,
            LedgerEntry(
                due.local_date, Status.PENDING, due.slot_at, due.nonce, attempts, None, False, now
            ),
        )

    def settle(self, sid: str, day: dt.date, status: Status, **changes: object) -> None:
        self._put(sid, replace(self.rows[(sid, day)], status=status, **changes))

    def mark(self, slot: Slot, status: Status, now: dt.datetime) -> None:
        assert (slot.schedule_id, slot.local_date) not in self.rows
        self._put(
            slot.schedule_id,
            LedgerEntry(slot.local_date, status, slot.at, slot.nonce, 0, None, False, now),
        )


# What a send attempt does: None to succeed, or (error, permanent) to fail.
Outcome = Callable[[Due, dt.datetime], tuple[str, bool] | None]


@dataclass
class Sim:
    schedules: list[Schedule]
    now: dt.datetime
    grace: dt.timedelta = DEFAULT_GRACE
    outcome: Outcome = lambda due, now: None
    ledger: Ledger = field(default_factory=Ledger)
    channel: Channel = field(default_factory=Channel)
    deck: dict[str, int] = field(default_factory=dict)  # cards dealt per schedule
    attempts: list[tuple[Due, dt.datetime]] = field(default_factory=list)
    wakes: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)  # (now, wake_at)
    missed: list[Slot] = field(default_factory=list)
    crash_after_send: bool = False
    crashed: bool = False

    def __post_init__(self) -> None:
        # The schedules are created when the simulation starts: no catching up on
        # the slot of the day before.
        self.schedules = [s if s.since else replace(s, since=self.now) for s in self.schedules]

    def step(self) -> dt.datetime:
        """Plan at the current instant, perform everything due; return wake_at."""
        for _ in range(100):
            result = plan(self.now, self.schedules, self.ledger.snapshot(), self.grace)
            assert self.now < result.wake_at <= self.now + MAX_SLEEP
            for slot in result.missed:
                self.ledger.mark(slot, Status.MISSED, self.now)
                self.missed.append(slot)
            for due in result.due:
                self.perform(due)
                if self.crashed:
                    return self.now
            if not result.due and not result.missed:
                self.wakes.append((self.now, result.wake_at))
                return result.wake_at
        raise AssertionError("plan() kept returning work at the same instant")

    def perform(self, due: Due) -> None:
        self.attempts.append((due, self.now))
        self.ledger.begin(due, self.now)
        failure = self.outcome(due, self.now)
        if failure is not None:
            _error, permanent = failure
            row = self.ledger.rows[(due.schedule_id, due.local_date)]
            self.ledger.settle(
                due.schedule_id,
                due.local_date,
                Status.FAILED,
                next_retry_at=retry_at(self.now, row.attempts, permanent),
                permanent=permanent,
                updated_at=self.now,
            )
            return
        self.channel.send(due, self.now)
        if self.crash_after_send:
            self.crashed = True
            return  # killed before confirm: the row stays pending
        self.ledger.settle(due.schedule_id, due.local_date, Status.SENT, updated_at=self.now)
        self.deck[due.schedule_id] = self.deck.get(due.schedule_id, 0) + 1

    def run_until(self, end: dt.datetime) -> None:
        while self.now < end:
            wake = self.step()
            if self.crashed:
                return
            self.now = min(wake, end)

    def run_days(self, days: int) -> None:
        self.run_until(self.now + dt.timedelta(days=days))

    def posts_by_date(self, sid: str | None = None) -> dict[dt.date, list[Post]]:
        out: dict[dt.date, list[Post]] = {}
        for post in self.channel.posts:
            if sid is None or post.schedule_id == sid:
                out.setdefault(post.local_date, []).append(post)
        return out


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(zone: str, *args: int) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def days_between(start: dt.date, end: dt.date) -> Sequence[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# --- builders and checks shared by the test_schedule_*.py modules ---------------

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


def posted(s: Schedule, y: int, m: int, d: int, status: Status = Status.SENT) -> LedgerEntry:
    day = dt.date(y, m, d)
    slot = s.slot(day)
    return LedgerEntry(day, status, slot.at, slot.nonce, 1, None, False, slot.at)
