"""The daily-post ledger and the rotation decks, for both backends.

The ledger is what makes posts exactly-once. :meth:`DailyState.begin` writes a
``pending`` row (durably: ``synchronous=FULL``) before the card is sent, and
:meth:`DailyState.confirm` marks it ``sent`` and stores the advanced rotation
deck in the same transaction, so the deck moves if and only if a post was
confirmed. A row still ``pending`` at startup means the bot stopped between
send and confirm: :func:`bot.core.daily.schedule.plan` then asks for a resend with the
same nonce, which Discord (``enforce_nonce``) turns into the original message.

Across processes, :meth:`DailyState.begin` claims the row only in a process
that leads (:meth:`~bot.storage.state.base.StateBase._claim`, in the same
transaction), so two processes on one state never send the same post.

The connections, transactions and leadership are the backends'
(:mod:`.sqlite`, :mod:`.postgresql`); the schedule tables are :mod:`.schedules`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any

from bot.core.daily.localtime import require_aware
from bot.core.daily.schedule import Due, LedgerEntry, Slot, Status
from bot.storage.state.base import StateError
from bot.storage.state.rows import (
    Attempt,
    StatusRow,
    entry_from_row,
    parse_ts,
    status_row,
    ts,
)
from bot.storage.state.schedules import ScheduleTables

log = logging.getLogger(__name__)

__all__ = ["Attempt", "DailyState", "StateError", "StatusRow"]


class DailyState(ScheduleTables):
    """The daily-post state, in either backend: its schedules (see
    :class:`ScheduleTables`), the ledger and the rotation decks."""

    #: Appended to the SELECT in :meth:`begin`: PostgreSQL locks the row it claims;
    #: SQLite's write transaction already holds the whole file.
    _for_update = ""

    def begin(self, due: Due, channel_id: int, now: dt.datetime) -> Attempt | None:
        """Record an attempt before sending. None means "do not send": that date is
        already sent, skipped or missed, or this process does not lead. Never makes a
        second row for a date."""
        stamp = ts(now)
        with self._tx() as db:
            if not self._claim(db):
                log.info("%s %s: not posting, another process leads", due.schedule_id,
                         due.local_date)
                return None
            row = db.execute(
                "SELECT * FROM ledger WHERE schedule_id = ? AND local_date = ?"
                + self._for_update,
                (due.schedule_id, due.local_date.isoformat()),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO ledger (schedule_id, local_date, nonce, status, slot_at,"
                    " channel_id, attempts, created_at, updated_at)"
                    " VALUES (?, ?, ?, 'pending', ?, ?, 1, ?, ?)",
                    (due.schedule_id, due.local_date.isoformat(), due.nonce, ts(due.slot_at),
                     channel_id, stamp, stamp),
                )
                return Attempt(due.nonce, 1, False, require_aware(now))
            if row["status"] not in (Status.PENDING, Status.FAILED):
                log.info("%s %s is already %s", due.schedule_id, due.local_date, row["status"])
                return None
            resend = row["status"] == Status.PENDING
            db.execute(
                "UPDATE ledger SET status = 'pending', attempts = attempts + 1, channel_id = ?,"
                " uncertain = CASE WHEN ? = 1 THEN 1 ELSE uncertain END, updated_at = ?"
                " WHERE schedule_id = ? AND local_date = ?",
                (channel_id, int(resend), stamp, due.schedule_id, due.local_date.isoformat()),
            )
            first = parse_ts(row["created_at"])
            assert first is not None
            return Attempt(row["nonce"], row["attempts"] + 1, resend, first)

    def confirm(
        self,
        schedule_id: str,
        local_date: dt.date,
        *,
        message_id: int,
        channel_id: int,
        guild_id: int | None,
        rotation: Mapping[str, Any] | None,
        now: dt.datetime,
    ) -> bool:
        """Mark the post sent and store the advanced deck, atomically. False (and no
        deck change) if it was already confirmed or never begun."""
        blob = None if rotation is None else json.dumps(dict(rotation), sort_keys=True)
        stamp = ts(now)
        with self._tx() as db:
            done = db.execute(
                "UPDATE ledger SET status = 'sent', message_id = ?, posted_channel_id = ?,"
                " guild_id = ?, next_retry_at = NULL, updated_at = ?"
                " WHERE schedule_id = ? AND local_date = ? AND status IN ('pending', 'failed')",
                (message_id, channel_id, guild_id, stamp, schedule_id, local_date.isoformat()),
            ).rowcount
            if done and blob is not None:
                db.execute(
                    "INSERT INTO rotation (schedule_id, state, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (schedule_id)"
                    " DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                    (schedule_id, blob, stamp),
                )
        if not done:
            log.warning("confirm %s %s: no attempt in progress", schedule_id, local_date)
        return bool(done)

    def fail(
        self,
        schedule_id: str,
        local_date: dt.date,
        *,
        error: str,
        next_retry_at: dt.datetime,
        permanent: bool,
        now: dt.datetime,
        uncertain: bool = False,
    ) -> bool:
        """Record a failed attempt; the deck does not move. *uncertain*: the message
        may have been created anyway (a timeout, a 5xx after sending)."""
        key = (schedule_id, local_date.isoformat())
        with self._tx() as db:
            row = db.execute(
                "SELECT last_error FROM ledger WHERE schedule_id = ? AND local_date = ?"
                " AND status = 'pending'",
                key,
            ).fetchone()
            if row is None:
                return False
            db.execute(
                "UPDATE ledger SET status = 'failed', last_error = ?, next_retry_at = ?,"
                " permanent = ?, uncertain = CASE WHEN ? = 1 THEN 1 ELSE uncertain END,"
                " updated_at = ?"
                " WHERE schedule_id = ? AND local_date = ?",
                (error, ts(next_retry_at), int(permanent), int(uncertain), ts(now), *key),
            )
        # Logged once per new problem, not once per retry: a day of 503s is one line.
        level = logging.DEBUG if row["last_error"] == error else logging.WARNING
        log.log(level, "daily post %s %s failed: %s", schedule_id, local_date, error)
        return True

    def _settle(self, slot: Slot, status: Status, now: dt.datetime) -> bool:
        stamp = ts(now)
        with self._tx() as db:
            changed = db.execute(
                "INSERT INTO ledger (schedule_id, local_date, nonce, status, slot_at,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (schedule_id, local_date) DO UPDATE SET status = excluded.status,"
                " next_retry_at = NULL, updated_at = excluded.updated_at"
                " WHERE ledger.status = 'failed'",
                (slot.schedule_id, slot.local_date.isoformat(), slot.nonce, str(status),
                 ts(slot.at), stamp, stamp),
            ).rowcount
        return bool(changed)

    def skip(self, slot: Slot, now: dt.datetime) -> bool:
        """``/daily skip``: the slot (from :func:`next_slot`) will not be posted.
        False if it is already sent or being sent."""
        return self._settle(slot, Status.SKIPPED, now)

    def mark_missed(self, slot: Slot, now: dt.datetime) -> bool:
        """Record a slot :func:`plan` gave up on (the bot was down too long)."""
        return self._settle(slot, Status.MISSED, now)

    def snapshot(self) -> dict[str, LedgerEntry]:
        """The latest ledger row of every schedule: the input :func:`plan` needs."""
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM ledger AS l WHERE local_date ="
                " (SELECT MAX(local_date) FROM ledger WHERE schedule_id = l.schedule_id)"
            ).fetchall()
        return {row["schedule_id"]: entry_from_row(row) for row in rows}

    def status(self) -> dict[str, StatusRow]:
        """Per schedule: its latest row, latest confirmed post and latest error."""
        latest = self.snapshot()
        out = {}
        with self._read() as db:
            for sid, entry in latest.items():
                sent = db.execute(
                    "SELECT * FROM ledger WHERE schedule_id = ? AND status = 'sent'"
                    " ORDER BY local_date DESC LIMIT 1",
                    (sid,),
                ).fetchone()
                error = db.execute(
                    "SELECT local_date, last_error FROM ledger WHERE schedule_id = ?"
                    " AND last_error IS NOT NULL ORDER BY local_date DESC LIMIT 1",
                    (sid,),
                ).fetchone()
                out[sid] = status_row(sid, entry, sent, error)
        return out

    def rotation(self, schedule_id: str) -> dict[str, Any] | None:
        """The deck state stored by the last :meth:`confirm`, or None."""
        with self._read() as db:
            row = db.execute(
                "SELECT state FROM rotation WHERE schedule_id = ?", (schedule_id,)
            ).fetchone()
        return None if row is None else dict(json.loads(row["state"]))
