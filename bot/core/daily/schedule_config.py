"""Reading daily schedules from config.yaml and from ``/daily set``.

The same parsers serve both, so a time, a list of days or a time zone means the
same thing whichever way it was entered. They raise :class:`ScheduleInputError`,
which is a :class:`UserError` (a command replies with the message) and a
``ValueError`` (pydantic reports it with the file and line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError
from rapidfuzz import process

from bot.core.daily.schedule import ALL_DAYS, DEFAULT_TIMEZONE, Schedule
from bot.core.errors import UserError

T = TypeVar("T")

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_GROUPS: dict[str, frozenset[int]] = {
    "daily": ALL_DAYS,
    "everyday": ALL_DAYS,
    "every day": ALL_DAYS,
    "all": ALL_DAYS,
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
}
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

# Grace window after a missed slot, in hours (config key ``daily_grace_hours``).
GraceHours = Annotated[float, Field(gt=0, le=48)]


class ScheduleInputError(UserError, ValueError):
    """A time, day list or time zone that cannot be understood."""


def parse_time(value: str | dt.time) -> dt.time:
    """``"07:30"`` or ``"07:30:15"`` (24-hour clock) as a time."""
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int):
            # YAML 1.1 reads an unquoted 7:30 as the base-60 number 450.
            raise ScheduleInputError(
                f'write the time in quotes, e.g. "07:30" (YAML read {value!r} as a number)'
            )
        raise ScheduleInputError(f'expected a time like "07:30", got {value!r}')
    match = _TIME.fullmatch(value.strip())
    if not match:
        raise ScheduleInputError(f'expected a time like "07:30" or "07:30:15", got {value!r}')
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise ScheduleInputError(f"{value!r} is not a time of day (00:00 to 23:59:59)")
    return dt.time(hour, minute, second)


def _day(word: str) -> int:
    word = word.strip().lower()
    for names in (DAY_NAMES, _FULL_NAMES):
        if word in names:
            return names.index(word)
    raise ScheduleInputError(f"unknown day {word!r}: use mon, tue, wed, thu, fri, sat, sun")


def parse_days(value: str | Sequence[str] | None) -> frozenset[int]:
    """Days of the week (Monday is 0): ``"mon,wed,fri"``, ``"mon-fri"``,
    ``"weekdays"``, ``"weekends"``, ``"daily"``, or a list of day names.
    None means every day."""
    if value is None:
        return ALL_DAYS
    if isinstance(value, str):
        parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
        if value.strip().lower() in _GROUPS:
            parts = [value.strip()]
    elif isinstance(value, Sequence) and all(isinstance(p, str) for p in value):
        parts = list(value)
    else:
        raise ScheduleInputError(f'expected day names like "mon,wed,fri", got {value!r}')
    days: set[int] = set()
    for part in parts:
        word = part.strip().lower()
        if word in _GROUPS:
            days |= _GROUPS[word]
        elif "-" in word:
            start, _, end = word.partition("-")
            first, last = _day(start), _day(end)
            span = (last - first) % 7
            days |= {(first + i) % 7 for i in range(span + 1)}
        else:
            days.add(_day(word))
    if not days:
        raise ScheduleInputError("no days given: a schedule needs at least one day")
    return frozenset(days)


def format_days(days: frozenset[int]) -> str:
    """The inverse of :func:`parse_days`, for ``/daily status``."""
    for name in ("daily", "weekdays", "weekends"):
        if days == _GROUPS[name]:
            return name
    return ",".join(DAY_NAMES[d] for d in sorted(days))


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name tzdata has, sorted: the one list the bot knows.

    The only place the core enumerates tzdata, because accepting "asia/tokyo" and
    suggesting "Asia/Tokyo" for "Asia/Tokio" need the names, not just a lookup;
    it is read once. Autocomplete (:mod:`bot.app.daily_posts`) filters it.
    """
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in zone_names()}


def check_timezone(name: str) -> str:
    """The canonical IANA name for *name* (case-insensitive), or a clear error."""
    if not isinstance(name, str) or not name.strip():
        raise ScheduleInputError(f"expected an IANA time zone like {DEFAULT_TIMEZONE!r}")
    canonical = _zones().get(name.strip().lower())
    if canonical is not None:
        try:
            ZoneInfo(canonical)
            return canonical
        except (ZoneInfoNotFoundError, ValueError):
            pass
    best = process.extractOne(name.strip(), zone_names())
    hint = f" (did you mean {best[0]!r}?)" if best and best[1] >= 70 else ""
    raise ScheduleInputError(f"unknown time zone {name!r}{hint}: use an IANA name like Asia/Tokyo")


def _invalid(reason: str) -> PydanticCustomError:
    # A custom error keeps the message as written; a ValueError would be shown
    # as "Value error, ..." in the config loader's report.
    return PydanticCustomError("daily_entry", "{reason}", {"reason": reason})


def _checked(parse: Callable[[Any], T], value: Any) -> T:
    """*parse(value)*, with its ScheduleInputError turned into a pydantic error."""
    try:
        return parse(value)
    except ScheduleInputError as exc:
        raise _invalid(str(exc)) from exc


def _snowflake(value: Any, what: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _invalid(f"expected a Discord {what} id (a positive number), got {value!r}")
    return value


class DailyEntry(BaseModel):
    """One entry of ``daily:`` in config.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    channel: int
    time: dt.time
    timezone: str = DEFAULT_TIMEZONE
    days: frozenset[int] = ALL_DAYS
    topic: str | None = None
    mention_role: int | None = None

    @field_validator("channel", mode="before")
    @classmethod
    def _channel(cls, value: Any) -> int:
        return _snowflake(value, "channel")

    @field_validator("mention_role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> int | None:
        return None if value is None else _snowflake(value, "role")

    @field_validator("time", mode="before")
    @classmethod
    def _time(cls, value: Any) -> dt.time:
        return _checked(parse_time, value)

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone(cls, value: Any) -> str:
        return _checked(check_timezone, value)

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> frozenset[int]:
        return _checked(parse_days, value)

    @field_validator("topic", mode="before")
    @classmethod
    def _topic(cls, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise _invalid(f"expected a topic id, got {value!r}")
        return value.strip()


def yaml_schedule_id(channel_id: int, nth: int = 1) -> str:
    """A config schedule's id: its channel, and its rank among entries for that channel.

    The time is deliberately left out, so moving a schedule from 07:00 to 09:00
    keeps its ledger and cannot post twice on the day of the change.
    """
    return f"yaml-{channel_id}" if nth == 1 else f"yaml-{channel_id}-{nth}"


def command_schedule_id(channel_id: int) -> str:
    """A ``/daily set`` schedule's id: one per channel; setting it again edits it."""
    return f"cmd-{channel_id}"


def schedules_from_config(entries: Sequence[DailyEntry]) -> list[Schedule]:
    """The config's schedules, with ids that stay stable across restarts."""
    seen: dict[int, int] = {}
    out = []
    for entry in entries:
        seen[entry.channel] = seen.get(entry.channel, 0) + 1
        out.append(
            Schedule(
                id=yaml_schedule_id(entry.channel, seen[entry.channel]),
                source="yaml",
                channel_id=entry.channel,
                time=entry.time,
                timezone=entry.timezone,
                days=entry.days,
                topic=entry.topic,
                mention_role=entry.mention_role,
            )
        )
    return out
