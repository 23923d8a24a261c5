"""Schedules made by ``/daily set``, and the paused flag and start of every schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from bot.core.daily.schedule import Schedule
from bot.storage.state.base import StateBase
from bot.storage.state.rows import parse_ts, schedule_from_row, ts

_FLAGS = ("INSERT INTO schedule_flags (schedule_id, paused, since, first_seen)"
          " VALUES (?, ?, ?, ?) ON CONFLICT (schedule_id) DO NOTHING")


class ScheduleTables(StateBase):
    """The ``schedules`` and ``schedule_flags`` tables."""

    def schedules(self, config: Sequence[Schedule], now: dt.datetime) -> list[Schedule]:
        """Every schedule to plan with: *config*'s, then those made by command, each
        with its paused flag and ``since`` applied. A config schedule seen for the
        first time starts now (it does not post a slot that passed before it)."""
        stamp = ts(now)
        with self._tx() as db:
            for s in config:
                db.execute(_FLAGS, (s.id, 0, stamp, stamp))
            flags = {r["schedule_id"]: r for r in db.execute("SELECT * FROM schedule_flags")}
            made = db.execute("SELECT * FROM schedules ORDER BY id").fetchall()
        out = [*config, *(schedule_from_row(row) for row in made)]
        return [
            replace(s, paused=bool(flags[s.id]["paused"]), since=parse_ts(flags[s.id]["since"]))
            if s.id in flags
            else s
            for s in out
        ]

    def save_schedule(self, schedule: Schedule, now: dt.datetime) -> None:
        """Create or edit a command-made schedule (``/daily set``). An edit keeps its
        ledger, so a time moved later on a day already posted does not post again."""
        if schedule.source != "command":
            raise ValueError(f"only command-made schedules are stored, not {schedule.id!r}")
        stamp = ts(now)
        days = ",".join(str(d) for d in sorted(schedule.days))
        with self._tx() as db:
            db.execute(
                "INSERT INTO schedules (id, channel_id, time, timezone, days, topic,"
                " mention_role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE"
                " SET channel_id=excluded.channel_id, time=excluded.time,"
                " timezone=excluded.timezone, days=excluded.days, topic=excluded.topic,"
                " mention_role=excluded.mention_role, updated_at=excluded.updated_at",
                (schedule.id, schedule.channel_id, schedule.time.isoformat(), schedule.timezone,
                 days, schedule.topic, schedule.mention_role, stamp, stamp),
            )
            db.execute(_FLAGS, (schedule.id, int(schedule.paused), stamp, stamp))

    def remove_schedule(self, schedule_id: str) -> bool:
        """Delete a command-made schedule. Its ledger stays, so re-creating it the
        same day cannot post that day twice; its deck stays too."""
        with self._tx() as db:
            gone = db.execute("DELETE FROM schedules WHERE id = ?", (schedule_id,)).rowcount
            if gone:
                db.execute("DELETE FROM schedule_flags WHERE schedule_id = ?", (schedule_id,))
        return bool(gone)

    def set_paused(self, schedule_id: str, paused: bool, now: dt.datetime) -> bool:
        """Pause or resume any known schedule. Resuming starts it afresh at *now*:
        the slots that passed while it was paused are not caught up."""
        with self._tx() as db:
            changed = db.execute(
                "UPDATE schedule_flags SET paused = ?,"
                " since = CASE WHEN ? = 1 THEN since ELSE ? END"
                " WHERE schedule_id = ? AND paused != ?",
                (int(paused), int(paused), ts(now), schedule_id, int(paused)),
            ).rowcount
        return bool(changed)
