"""What daily posts carry and what /daily status says, without Discord."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from bot.core.daily.admin import (
    ScheduleLine,
    daily_card,
    due_for,
    has_marker,
    pick_schedule,
    status_reply,
    thread_name,
)
from bot.core.daily.schedule import LedgerEntry, Schedule, Status, next_slot
from bot.core.errors import UserError
from bot.core.rendering.cards import make_card

UTC = dt.UTC
NOW = dt.datetime(2025, 1, 15, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo
DAY = dt.date(2025, 1, 15)


def _schedule(sid: str = "yaml-1", channel: int = 1, **kw: object) -> Schedule:
    return Schedule(sid, "yaml", channel, dt.time(9, 30), **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Summary:
    last_date: dt.date = DAY
    last_status: Status = Status.SENT
    next_retry_at: dt.datetime | None = None
    last_error: str | None = None
    last_error_date: dt.date | None = None
    permanent: bool = False
    sent_date: dt.date | None = DAY
    jump_url: str | None = "https://discord.com/channels/5/1/99"


def test_the_marker_names_one_schedule_and_one_date() -> None:
    card = daily_card(make_card("Title", "Body", footer="Fact only-ally · MOFA"), "yaml-1", DAY)
    assert card.footer == "Fact only-ally · MOFA · Daily yaml-1 2025-01-15"
    assert has_marker(card.footer, "yaml-1", DAY)
    assert not has_marker(card.footer, "yaml-1", DAY + dt.timedelta(days=1))
    other = daily_card(make_card("T", footer="Fact x"), "yaml-1-2", DAY).footer
    assert not has_marker(other, "yaml-1", DAY)  # a schedule id that is a prefix of another
    assert not has_marker(None, "yaml-1", DAY)


def test_thread_names_start_with_the_date_and_fit_discord() -> None:
    assert thread_name("Japan and Canada", DAY) == "2025-01-15 · Japan and Canada"
    assert len(thread_name("x" * 300, DAY)) <= 100


def test_pick_schedule_by_channel_here_or_the_only_one() -> None:
    a, b = _schedule("yaml-1", 1), _schedule("yaml-2", 2)
    assert pick_schedule([a, b], 2, None) == b
    assert pick_schedule([a, b], None, 1) == a  # typed in a scheduled channel
    assert pick_schedule([a], None, 7) == a  # the only one
    with pytest.raises(UserError, match="Several"):
        pick_schedule([a, b], None, 7)
    with pytest.raises(UserError, match="no daily posts"):
        pick_schedule([a, b], 3, None)
    with pytest.raises(UserError, match="/daily set"):
        pick_schedule([], None, 1)


def test_post_now_retries_a_date_already_attempted_with_its_nonce() -> None:
    schedule = _schedule()
    slot = next_slot(NOW, schedule, None)
    assert slot is not None
    fresh = due_for(slot, None)
    assert (fresh.local_date, fresh.nonce, fresh.retry) == (DAY, slot.nonce, False)
    entry = LedgerEntry(DAY, Status.FAILED, slot.at, "bbstored", attempts=2, uncertain=True)
    again = due_for(slot, entry)
    assert (again.nonce, again.attempt, again.retry, again.check_history) == \
        ("bbstored", 3, True, True)


def test_status_shows_next_and_last_post_and_the_last_error() -> None:
    ok = _schedule("yaml-1", 1, topic="canada", days=frozenset(range(5)))
    slot = next_slot(NOW, ok, None)
    assert slot is not None
    failing = _schedule("cmd-2", 2)
    retry = NOW + dt.timedelta(minutes=30)
    bad = Summary(last_status=Status.FAILED, next_retry_at=retry, last_error="403 Missing Access",
                  last_error_date=DAY, permanent=True, sent_date=None, jump_url=None)
    paused = _schedule("yaml-3", 3, paused=True)
    reply = status_reply([ScheduleLine(ok, slot, Summary()),
                          ScheduleLine(failing, next_slot(NOW, failing, None), bad),
                          ScheduleLine(paused, None, None)], NOW)
    first, second, third = reply.cards[0].fields
    assert reply.ephemeral
    assert "<#1> · 09:30 Asia/Tokyo, weekdays, topic canada" in first.value
    assert "Wed 2025-01-15 09:30 JST" in first.value
    assert f"<t:{int(slot.at.timestamp())}:F>" in first.value
    assert "[jump to it](https://discord.com/channels/5/1/99)" in first.value
    assert "Missing Access" in second.value and "permissions" in second.value
    assert f"<t:{int(retry.timestamp())}:R>" in second.value
    assert "none yet" in second.value
    assert "Paused" in third.value


def test_status_with_nothing_set_up_says_how_to_start() -> None:
    assert "/daily set" in status_reply([], NOW).cards[0].description


def test_a_forum_post_name_is_plain_text() -> None:
    name = thread_name(r"The U\.S\. is Japan's \*only\* ally", dt.date(2025, 1, 15))
    assert name == "2025-01-15 · The U.S. is Japan's *only* ally"
