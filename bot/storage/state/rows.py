"""Rows of the daily-post database as values, and values as rows.

A row is whatever the driver gives (``sqlite3.Row``, or a dict from psycopg):
both are read by column name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.core.daily.localtime import require_aware
from bot.core.daily.schedule import LedgerEntry, Schedule, Status


@dataclass(frozen=True, slots=True)
class Attempt:
    """Go ahead and send, with this nonce (the one stored at the first attempt)."""

    nonce: str
    attempt: int
    resend: bool  # the row was pending: a previous send may have gone through
    first_tried_at: dt.datetime  # look for an earlier copy from here on


@dataclass(frozen=True, slots=True)
class StatusRow:
    """What ``/daily status`` shows about one schedule's ledger."""

    schedule_id: str
    last_date: dt.date
    last_status: Status
    attempts: int
    next_retry_at: dt.datetime | None
    last_error: str | None  # the latest error on record, and the date it was for
    last_error_date: dt.date | None
    permanent: bool
    sent_date: dt.date | None  # the latest confirmed post
    sent_at: dt.datetime | None
    guild_id: int | None
    channel_id: int | None  # where the message is (a forum post's new thread)
    message_id: int | None

    @property
    def jump_url(self) -> str | None:
        if self.guild_id is None or self.channel_id is None or self.message_id is None:
            return None
        return f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"


def ts(value: dt.datetime) -> str:
    """A stored timestamp: ISO 8601 in UTC, so text order is time order."""
    return require_aware(value, "timestamp").isoformat()


def parse_ts(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def entry_from_row(row: Any) -> LedgerEntry:
    slot_at, updated = parse_ts(row["slot_at"]), parse_ts(row["updated_at"])
    assert slot_at is not None
    return LedgerEntry(
        local_date=dt.date.fromisoformat(row["local_date"]),
        status=Status(row["status"]),
        slot_at=slot_at,
        nonce=row["nonce"],
        attempts=row["attempts"],
        next_retry_at=parse_ts(row["next_retry_at"]),
        permanent=bool(row["permanent"]),
        updated_at=updated,
        uncertain=bool(row["uncertain"]),
    )


def schedule_from_row(row: Any) -> Schedule:
    return Schedule(
        id=row["id"],
        source="command",
        channel_id=row["channel_id"],
        time=dt.time.fromisoformat(row["time"]),
        timezone=row["timezone"],
        days=frozenset(int(d) for d in row["days"].split(",") if d),
        topic=row["topic"],
        mention_role=row["mention_role"],
    )


def status_row(
    schedule_id: str,
    entry: LedgerEntry,
    sent: Any,
    error: Any,
) -> StatusRow:
    return StatusRow(
        schedule_id=schedule_id,
        last_date=entry.local_date,
        last_status=entry.status,
        attempts=entry.attempts,
        next_retry_at=entry.next_retry_at,
        last_error=error["last_error"] if error else None,
        last_error_date=_date(error["local_date"]) if error else None,
        permanent=entry.permanent,
        sent_date=_date(sent["local_date"]) if sent else None,
        sent_at=parse_ts(sent["updated_at"]) if sent else None,
        guild_id=sent["guild_id"] if sent else None,
        channel_id=sent["posted_channel_id"] if sent else None,
        message_id=sent["message_id"] if sent else None,
    )
