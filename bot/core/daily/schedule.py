"""Daily fact posts: what is due now, and when to look again.

:func:`plan` is a pure function of the clock, the schedules and a snapshot of
the ledger (the latest row per schedule). It never sleeps and never reads the
clock, so a whole year of posting can be simulated in a test. The Discord
adapter performs what it returns: ledger ``begin`` before the send, ``confirm``
or ``fail`` after it, then sleep until ``wake_at``.

Guarantees it encodes:

* one post per schedule per local date, at most; a date that has any ledger row
  (sent, pending, failed, skipped, missed) is never started again, and only
  dates after the latest row are candidates, so a clock that jumps backwards
  or a time zone that changes cannot produce a second post;
* after downtime, only the most recent slot is considered, and only if it is
  within the grace window: never one post per missed day;
* failed posts are retried with backoff until the slot's deadline (the grace
  window, cut short by the schedule's next slot), each retry with the same
  nonce, so a send that did reach Discord is not repeated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.daily.localtime import local_instant, require_aware

log = logging.getLogger(__name__)

ALL_DAYS: frozenset[int] = frozenset(range(7))  # date.weekday(): Monday is 0
DEFAULT_TIMEZONE = "Asia/Tokyo"
DEFAULT_GRACE = dt.timedelta(hours=12)
# Wake at least this often, so a wall clock that jumps forward (NTP, a VM resumed
# from suspend) is noticed within the hour rather than after a long sleep.
MAX_SLEEP = dt.timedelta(hours=1)
MIN_SLEEP = dt.timedelta(seconds=1)  # never spin, whatever the inputs
# Discord honours enforce_nonce only for "the past few minutes"; past this, a
# crashed send must be looked for in the channel before it is sent again.
NONCE_WINDOW = dt.timedelta(minutes=2)
NONCE_LENGTH = 22  # Discord allows 25 characters
_SEARCH_DAYS = 8  # a week plus one: any non-empty days-of-week set has a slot in it

Source = Literal["yaml", "command"]


class Status(StrEnum):
    PENDING = "pending"  # written before the send; still there means "crashed mid-send"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # by /daily skip
    MISSED = "missed"  # the bot was down past the grace window


RETRIABLE = frozenset({Status.PENDING, Status.FAILED})


@dataclass(frozen=True, slots=True)
class Schedule:
    id: str
    source: Source
    channel_id: int
    time: dt.time
    timezone: str = DEFAULT_TIMEZONE
    days: frozenset[int] = ALL_DAYS
    topic: str | None = None
    mention_role: int | None = None
    paused: bool = False
    # Slots before this instant are never posted: a schedule created (or resumed)
    # at 10:00 for 07:00 starts tomorrow instead of posting at once.
    since: dt.datetime | None = None

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.timezone)

    def runs_on(self, day: dt.date) -> bool:
        return day.weekday() in self.days

    def slot(self, day: dt.date) -> Slot:
        """This schedule's slot on local date *day* (whether or not it runs that day)."""
        at = local_instant(day, self.time, self.zone)
        return Slot(self.id, day, at, make_nonce(self.id, day))

    def eligible(self, day: dt.date, after: dt.date | None) -> dt.datetime | None:
        """The instant of its slot on *day*, if it runs then, later than *after*,
        and not before :attr:`since`."""
        if not self.runs_on(day) or (after is not None and day <= after):
            return None
        at = local_instant(day, self.time, self.zone)
        return None if self.since is not None and at < self.since else at

    def around(self, now: dt.datetime, after: dt.date | None) -> tuple[Slot | None, Slot | None]:
        """Its latest eligible slot at or before *now* (within a week) and its first after."""
        today = now.astimezone(self.zone).date()
        previous = upcoming = None
        # Slot instants grow with the date, so scan outwards from today and stop early.
        for offset in range(1, -_SEARCH_DAYS - 1, -1):
            day = today + dt.timedelta(days=offset)
            at = self.eligible(day, after)
            if at is not None and at <= now:
                previous = Slot(self.id, day, at, make_nonce(self.id, day))
                break
        for offset in range(-1, _SEARCH_DAYS + 1):
            day = today + dt.timedelta(days=offset)
            at = self.eligible(day, after)
            if at is not None and at > now:
                upcoming = Slot(self.id, day, at, make_nonce(self.id, day))
                break
        return previous, upcoming


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True, slots=True)
class Slot:
    """One scheduled post: a schedule, a local date, its exact instant, its nonce."""

    schedule_id: str
    local_date: dt.date
    at: dt.datetime  # UTC
    nonce: str


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """What the ledger says about a schedule's latest local date."""

    local_date: dt.date
    status: Status
    slot_at: dt.datetime
    nonce: str
    attempts: int = 0
    next_retry_at: dt.datetime | None = None
    permanent: bool = False
    updated_at: dt.datetime | None = None
    # An earlier attempt may have reached Discord (it crashed mid-send, or failed
    # ambiguously, e.g. a timeout): a retry must not trust a stale nonce.
    uncertain: bool = False


Ledger = Mapping[str, LedgerEntry]  # schedule id -> its latest entry


@dataclass(frozen=True, slots=True)
class Due:
    """A post to make now. ``nonce`` goes to Discord so a repeated send is a no-op."""

    schedule_id: str
    local_date: dt.date
    slot_at: dt.datetime
    nonce: str
    retry: bool = False  # a previous attempt failed or did not finish
    attempt: int = 1
    # The ledger row is "pending": the bot stopped between send and confirm, so
    # the card may already be in the channel. Send again with the same nonce.
    resend: bool = False
    # An earlier attempt may have posted and its nonce is too old for Discord to
    # recognise: look for the message in the channel before sending (forum
    # posts carry no nonce at all, so for them this is the only protection).
    check_history: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    due: list[Due]
    missed: list[Slot]  # past the grace window: record as missed, never post
    wake_at: dt.datetime


def make_nonce(schedule_id: str, day: dt.date) -> str:
    """A deterministic nonce for one schedule's post on one local date."""
    digest = hashlib.sha256(f"{schedule_id}|{day.isoformat()}".encode()).hexdigest()
    return "bb" + digest[: NONCE_LENGTH - 2]


def deadline(
    schedule: Schedule, slot_at: dt.datetime, day: dt.date, grace: dt.timedelta
) -> dt.datetime:
    """The last instant a slot may still be posted: the grace window, or the next slot."""
    limit = slot_at + grace
    for offset in range(1, _SEARCH_DAYS + 1):
        later = day + dt.timedelta(days=offset)
        if schedule.runs_on(later):
            return min(limit, schedule.slot(later).at)
    return limit


@dataclass(frozen=True, slots=True)
class _Decision:
    due: Due | None = None
    missed: Slot | None = None
    wake_at: dt.datetime | None = None
    upcoming: Slot | None = None  # what this schedule will post next, for status/skip


def _decide(
    now: dt.datetime, schedule: Schedule, entry: LedgerEntry | None, grace: dt.timedelta
) -> _Decision:
    if not schedule.days:
        return _Decision()
    if entry is not None and entry.status in RETRIABLE:
        end = deadline(schedule, entry.slot_at, entry.local_date, grace)
        slot = Slot(schedule.id, entry.local_date, entry.slot_at, entry.nonce)
        if now < entry.slot_at:
            # The clock went back (or the post was made early): wait for the slot.
            return _Decision(wake_at=entry.slot_at, upcoming=slot)
        if now < end:
            pending = entry.status is Status.PENDING
            retry_time = entry.next_retry_at or now
            if pending or now >= retry_time:
                since = entry.updated_at
                maybe_sent = pending or entry.uncertain
                stale = maybe_sent and (since is None or now - since > NONCE_WINDOW)
                due = Due(
                    schedule.id,
                    entry.local_date,
                    entry.slot_at,
                    entry.nonce,
                    retry=True,
                    attempt=entry.attempts + 1,
                    resend=pending,
                    check_history=stale,
                )
                return _Decision(due=due, upcoming=slot)
            return _Decision(wake_at=min(retry_time, end), upcoming=slot)
        # Past its deadline: that date is given up (its row keeps the error).
    previous, upcoming = schedule.around(now, entry.local_date if entry is not None else None)
    wake = upcoming.at if upcoming is not None else None
    if previous is None:
        return _Decision(wake_at=wake, upcoming=upcoming)
    if now - previous.at <= grace:
        due = Due(schedule.id, previous.local_date, previous.at, previous.nonce)
        return _Decision(due=due, wake_at=wake, upcoming=previous)
    return _Decision(missed=previous, wake_at=wake, upcoming=upcoming)


def plan(
    now: dt.datetime,
    schedules: Sequence[Schedule],
    ledger: Ledger,
    grace: dt.timedelta = DEFAULT_GRACE,
    max_sleep: dt.timedelta = MAX_SLEEP,
) -> Plan:
    """What to post at *now*, what to record as missed, and when to call again.

    Call it again right after performing ``due`` (and recording ``missed``):
    ``wake_at`` only covers what is not due yet.
    """
    now = require_aware(now)
    due: list[Due] = []
    missed: list[Slot] = []
    wake = now + max_sleep
    for schedule in schedules:
        if schedule.paused:
            continue
        try:
            decision = _decide(now, schedule, ledger.get(schedule.id), grace)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            # Inputs are validated on the way in; should a zone vanish from tzdata,
            # one schedule stops, not the loop (which would crash on every restart).
            log.error("daily schedule %s skipped: %s", schedule.id, exc)
            continue
        if decision.due is not None:
            due.append(decision.due)
        if decision.missed is not None:
            missed.append(decision.missed)
        if decision.wake_at is not None:
            wake = min(wake, decision.wake_at)
    due.sort(key=lambda d: (d.slot_at, d.schedule_id))
    return Plan(due, missed, max(wake, now + MIN_SLEEP))


def next_slot(
    now: dt.datetime,
    schedule: Schedule,
    entry: LedgerEntry | None,
    grace: dt.timedelta = DEFAULT_GRACE,
) -> Slot | None:
    """The slot this schedule will post next (due now, retrying, or upcoming).

    For ``/daily status`` ("next post"), ``/daily skip`` (mark it skipped) and
    ``/daily post-now`` (post it early; its time then passes without a post).
    None when paused.
    """
    if schedule.paused:
        return None
    return _decide(require_aware(now), schedule, entry, grace).upcoming
