"""Local wall-clock times as exact instants, across daylight-saving changes.

A daily schedule says "07:30 in America/Toronto". On most days that names one
instant; on the spring-forward day a time inside the gap names none, and on the
fall-back day a time inside the repeated hour names two. The rules here pick
exactly one instant for every local date, so a schedule fires once per day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = dt.UTC


def require_aware(value: dt.datetime, name: str = "now") -> dt.datetime:
    """*value* in UTC; naive datetimes are refused because their zone is a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")
    return value.astimezone(UTC)


# Cached: a daily loop asks for the same few slots every time it wakes.
@lru_cache(maxsize=4096)
def local_instant(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant at which wall clocks in *zone* show *at* on *day*.

    In a fold (the repeated hour when clocks go back) the first occurrence is
    used. In a gap (the skipped hour when clocks go forward) the time does not
    exist; the first valid instant after the gap is used, i.e. the transition
    itself, which is what a person setting an alarm for 02:30 would expect.
    """
    wall = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In a gap: fold=0 applies the offset from before the transition and fold=1
    # the one after, so the transition lies between the two readings.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = first
    after = _offset(zone, high)
    # Bisect to the second: the first instant whose offset is the new offset.
    while high - low > dt.timedelta(seconds=1):
        mid = low + (high - low) / 2
        mid = mid.replace(microsecond=0)
        if mid <= low:
            mid = low + dt.timedelta(seconds=1)
        if _offset(zone, mid) == after:
            high = mid
        else:
            low = mid
    return high


def _offset(zone: ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset for an aware instant
    return offset


def local_date(instant: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The calendar date in *zone* at *instant*."""
    return instant.astimezone(zone).date()
