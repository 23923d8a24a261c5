"""Schedules as written in config.yaml and typed into /daily set."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from bot.core.daily.schedule_config import (
    DailyEntry,
    GraceHours,
    ScheduleInputError,
    check_timezone,
    command_schedule_id,
    format_days,
    parse_days,
    parse_time,
    schedules_from_config,
)
from bot.core.errors import UserError


@pytest.mark.parametrize(
    ("text", "expected"),
    [("07:30", dt.time(7, 30)), ("7:05", dt.time(7, 5)), ("23:59:59", dt.time(23, 59, 59))],
)
def test_parse_time(text: str, expected: dt.time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7", "07:60", "7.30", "noon", ""])
def test_parse_time_refuses_what_is_not_a_time(text: str) -> None:
    with pytest.raises(ScheduleInputError, match="time"):
        parse_time(text)


def test_unquoted_yaml_time_gets_a_helpful_message() -> None:
    value = yaml.safe_load("time: 7:30")["time"]  # YAML 1.1 reads this as 450
    with pytest.raises(ScheduleInputError, match='write the time in quotes'):
        parse_time(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, set(range(7))),
        ("daily", set(range(7))),
        ("weekdays", {0, 1, 2, 3, 4}),
        ("Weekends", {5, 6}),
        ("mon,wed,fri", {0, 2, 4}),
        ("mon wed  fri", {0, 2, 4}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("fri-mon", {4, 5, 6, 0}),
        (["Monday", "sun"], {0, 6}),
    ],
)
def test_parse_days(value: str | list[str] | None, expected: set[int]) -> None:
    assert parse_days(value) == frozenset(expected)


@pytest.mark.parametrize("value", ["", "funday", [], [1, 2], "mon,,xyz"])
def test_parse_days_refuses_unknown_or_empty(value: object) -> None:
    with pytest.raises(ScheduleInputError):
        parse_days(value)  # type: ignore[arg-type]


def test_format_days_round_trips() -> None:
    for text in ("daily", "weekdays", "weekends", "mon,wed,fri"):
        assert format_days(parse_days(text)) == text


def test_check_timezone_accepts_any_case_and_suggests_close_names() -> None:
    assert check_timezone("america/toronto") == "America/Toronto"
    assert check_timezone("UTC") == "UTC"
    with pytest.raises(ScheduleInputError, match="did you mean 'Asia/Tokyo'"):
        check_timezone("Asia/Tokio")
    with pytest.raises(UserError, match="unknown time zone"):  # commands catch UserError
        check_timezone("/etc/passwd")


def entry(text: str) -> DailyEntry:
    return DailyEntry.model_validate(yaml.safe_load(text))


def test_daily_entry_defaults() -> None:
    e = entry('channel: 123456789012345678\ntime: "07:30"')
    assert (e.timezone, e.days, e.topic, e.mention_role) == (
        "Asia/Tokyo",
        frozenset(range(7)),
        None,
        None,
    )


def test_daily_entry_reports_every_problem_with_a_plain_message() -> None:
    with pytest.raises(ValidationError) as info:
        entry("channel: -4\ntime: 7:30\ntimezone: Mars/Base\ndays: funday\nmention: 5")
    messages = {e["loc"][0]: e["msg"] for e in info.value.errors()}
    assert set(messages) == {"channel", "time", "timezone", "days", "mention"}
    assert messages["time"].startswith('write the time in quotes, e.g. "07:30"')
    assert messages["timezone"].startswith("unknown time zone 'Mars/Base'")
    assert messages["mention"] == "Extra inputs are not permitted"  # shown as "unknown key"


def test_grace_hours_is_bounded() -> None:
    class Config(BaseModel):
        daily_grace_hours: GraceHours = 12

    assert Config().daily_grace_hours == 12
    with pytest.raises(ValidationError):
        Config(daily_grace_hours=0)


def test_config_schedule_ids_are_stable_and_ignore_the_time() -> None:
    before = schedules_from_config(
        [entry('channel: 1\ntime: "07:00"'), entry('channel: 1\ntime: "19:00"'),
         entry('channel: 2\ntime: "07:00"')]
    )  # fmt: skip
    after = schedules_from_config(
        [entry('channel: 1\ntime: "08:00"'), entry('channel: 1\ntime: "19:00"'),
         entry('channel: 2\ntime: "07:00"\ndays: weekdays')]
    )  # fmt: skip
    assert [s.id for s in before] == ["yaml-1", "yaml-1-2", "yaml-2"]
    assert [s.id for s in after] == [s.id for s in before]
    assert all(s.source == "yaml" and not s.paused for s in after)
    assert command_schedule_id(1) != "yaml-1"
