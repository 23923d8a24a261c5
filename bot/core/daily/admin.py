"""What daily posts look like and what the ``/daily`` commands show: pure helpers.

The Discord adapter (:mod:`bot.exts.daily`) gathers schedules, ledger rows and
the clock's reading, and these functions turn them into cards and decisions, so
everything a person reads is testable without Discord.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot.core.daily.schedule import Due, LedgerEntry, Schedule, Slot, Status
from bot.core.daily.schedule_config import format_days
from bot.core.errors import UserError
from bot.core.rendering.cards import FOOTER_MAX, Card, Field, Reply, make_card
from bot.core.rendering.markup import escape, plain, truncate

THREAD_NAME_MAX = 100  # Discord's limit for a thread (forum post) name
ERROR_SHOWN = 300  # characters of a stored error shown in /daily status


def marker(schedule_id: str, day: dt.date) -> str:
    """The footer text that identifies a daily post, so a restarted bot can find
    a post it made but never recorded: one schedule, one local date."""
    return f"Daily {schedule_id} {day.isoformat()}"


def has_marker(footer: str | None, schedule_id: str, day: dt.date) -> bool:
    # The marker ends the footer; matching the end keeps "yaml-1" from matching "yaml-1-2".
    return bool(footer) and (footer or "").endswith(marker(schedule_id, day))


def daily_card(card: Card, schedule_id: str, day: dt.date) -> Card:
    """*card* (a fact card as /fact shows it) with the post's marker in its footer."""
    tag = marker(schedule_id, day)
    room = FOOTER_MAX - len(tag) - 3
    footer = f"{truncate(card.footer, room)} · {tag}" if card.footer else tag
    return replace(card, footer=footer)


def thread_name(title: str, day: dt.date) -> str:
    """A forum post's name: the date first, so the forum reads as a calendar."""
    # A thread name is plain text: the card title's markdown escapes would show.
    return truncate(f"{day.isoformat()} · {plain(title)}", THREAD_NAME_MAX)


def discord_time(instant: dt.datetime, style: str = "F") -> str:
    """A Discord timestamp, shown in each reader's own time zone (F: full, R: relative)."""
    return f"<t:{int(instant.timestamp())}:{style}>"


def local_time(instant: dt.datetime, schedule: Schedule) -> str:
    return instant.astimezone(schedule.zone).strftime("%a %Y-%m-%d %H:%M %Z")


def describe(schedule: Schedule) -> str:
    """One line: when and what a schedule posts."""
    parts = [f"{schedule.time.strftime('%H:%M')} {schedule.timezone}", format_days(schedule.days)]
    parts.append(f"topic {escape(schedule.topic)}" if schedule.topic else "any topic")
    if schedule.mention_role is not None:
        parts.append(f"mentions <@&{schedule.mention_role}>")
    return ", ".join(parts)


def pick_schedule(schedules: Sequence[Schedule], channel_id: int | None,
                  here: int | None) -> Schedule:
    """The schedule an admin command means: the one posting in *channel_id*; with
    no channel given, the one posting where the command was typed (*here*), or
    the only schedule there is."""
    if not schedules:
        raise UserError("There are no daily posts yet. Set one up with /daily set.")
    if channel_id is not None:
        found = [s for s in schedules if s.channel_id == channel_id]
        if not found:
            raise UserError(f"<#{channel_id}> has no daily posts. /daily status lists them.")
    else:
        found = [s for s in schedules if s.channel_id == here] or list(schedules)
    if len(found) > 1:
        where = ", ".join(f"<#{s.channel_id}>" for s in found[:10])
        raise UserError(f"Several daily posts match ({where}): name the channel.")
    return found[0]


def due_for(slot: Slot, entry: LedgerEntry | None) -> Due:
    """``/daily post-now``: the post to make now for *slot* (from ``next_slot``).

    If that date already has an attempt on record, this is a retry with its nonce,
    and one that may have reached Discord is looked for before sending again.
    """
    if entry is None or entry.local_date != slot.local_date:
        return Due(slot.schedule_id, slot.local_date, slot.at, slot.nonce)
    pending = entry.status is Status.PENDING
    return Due(slot.schedule_id, slot.local_date, entry.slot_at, entry.nonce, retry=True,
               attempt=entry.attempts + 1, resend=pending,
               check_history=pending or entry.uncertain)


class LedgerSummary(Protocol):
    """What the ledger says about one schedule (``bot.storage.state_rows.StatusRow``)."""

    @property
    def last_date(self) -> dt.date: ...
    @property
    def last_status(self) -> Status: ...
    @property
    def next_retry_at(self) -> dt.datetime | None: ...
    @property
    def last_error(self) -> str | None: ...
    @property
    def last_error_date(self) -> dt.date | None: ...
    @property
    def permanent(self) -> bool: ...
    @property
    def sent_date(self) -> dt.date | None: ...
    @property
    def jump_url(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One schedule as ``/daily status`` shows it."""

    schedule: Schedule
    upcoming: Slot | None  # from next_slot(); None when paused
    ledger: LedgerSummary | None = None


def _next_post(line: ScheduleLine, now: dt.datetime) -> str:
    if line.schedule.paused:
        return "**Paused** (/daily resume)"
    slot = line.upcoming
    if slot is None:
        return "none"
    at = slot.at
    led = line.ledger
    if led is not None and led.last_date == slot.local_date and led.next_retry_at is not None \
            and led.last_status is Status.FAILED:
        at = max(at, led.next_retry_at)
        return (f"retrying the {slot.local_date.isoformat()} post {discord_time(at, 'R')} "
                f"({local_time(at, line.schedule)})")
    when = "due now" if at <= now else discord_time(at, "R")
    return f"{local_time(at, line.schedule)} · {discord_time(at)} ({when})"


def _schedule_field(line: ScheduleLine, now: dt.datetime) -> Field:
    s = line.schedule
    source = "config.yaml" if s.source == "yaml" else "/daily set"
    rows = [f"<#{s.channel_id}> · {describe(s)}", f"**Next:** {_next_post(line, now)}"]
    led = line.ledger
    if led is not None and led.sent_date is not None:
        link = f" · [jump to it]({led.jump_url})" if led.jump_url else ""
        rows.append(f"**Last post:** {led.sent_date.isoformat()}{link}")
    elif led is not None and led.last_status in (Status.SKIPPED, Status.MISSED):
        rows.append(f"**Last:** {led.last_date.isoformat()} {led.last_status}")
    else:
        rows.append("**Last post:** none yet")
    if led is not None and led.last_error and led.last_error_date is not None:
        date = led.last_error_date.isoformat()
        hint = " (needs a fix: check the bot's permissions in the channel)" \
            if led.permanent and led.last_status is Status.FAILED else ""
        rows.append(f"**Last error** ({date}): {escape(led.last_error[:ERROR_SHOWN])}{hint}")
    return Field(f"{s.id} · from {source}", "\n".join(rows))


def status_reply(lines: Sequence[ScheduleLine], now: dt.datetime, role: str = "") -> Reply:
    """``/daily status``: every schedule, its next and last post, its last error;
    *role*: what this process does (it posts, or it stands by for another)."""
    after = f"\n{role}" if role else ""
    if not lines:
        card = make_card("Daily posts", "No daily posts are set up. Add one with /daily set, "
                         f"or under `daily:` in config.yaml.{after}", footer="Daily posts")
        return Reply((card,), ephemeral=True)
    fields = tuple(_schedule_field(line, now) for line in lines)
    card = make_card("Daily posts", f"{len(lines)} schedule{'s' if len(lines) != 1 else ''}. "
                     f"Times are shown in each schedule's zone and in yours.{after}", fields,
                     footer="/daily set · pause · resume · skip · post-now · preview")
    return Reply((card,), ephemeral=True)


def notice(title: str, text: str, *, error: bool = False) -> Reply:
    """A short private answer to an admin command."""
    card = make_card(title, text, accent="error" if error else "info")
    return Reply((card,), ephemeral=True, outcome="bad_input" if error else "ok")


def schedule_notice(title: str, schedule: Schedule, upcoming: Slot | None,
                    extra: str = "") -> Reply:
    """What a schedule now does, after ``/daily set``, ``pause`` or ``resume``."""
    lines = [f"<#{schedule.channel_id}> · {describe(schedule)}"]
    if schedule.paused:
        lines.append("Paused: nothing is posted until /daily resume.")
    elif upcoming is not None:
        lines.append(f"Next post: {local_time(upcoming.at, schedule)} · "
                     f"{discord_time(upcoming.at)} ({discord_time(upcoming.at, 'R')})")
    if extra:
        lines.append(extra)
    return notice(title, "\n".join(lines))
