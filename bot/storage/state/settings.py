"""Per-server settings in the state database, and the log of every change.

Behind :class:`SettingsStore`, a small typed interface, so another backend can
implement the same four calls; the SQL is plain (``INSERT … ON CONFLICT … DO
UPDATE`` works in SQLite and PostgreSQL alike), and the log numbers its rows per
server itself rather than relying on a database's own row ids.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
from typing import Protocol

from bot.core.settings.model import GuildSettings, SettingChange, parse_value
from bot.storage.state.base import StateBase
from bot.storage.state.rows import parse_ts, ts

log = logging.getLogger(__name__)


class SettingsStore(Protocol):
    def get(self, guild_id: int) -> GuildSettings: ...

    def set(self, guild_id: int, name: str, value: str | None, user_id: int,
            now: dt.datetime) -> SettingChange: ...

    def list(self) -> dict[int, GuildSettings]: ...

    def history(self, guild_id: int, limit: int = 20) -> builtins.list[SettingChange]: ...


class SettingsTables(StateBase):
    """The ``guild_settings`` and ``guild_settings_log`` tables, in either backend."""

    def get(self, guild_id: int) -> GuildSettings:
        with self._read() as db:
            rows = db.execute(
                "SELECT name, value FROM guild_settings WHERE guild_id = ?", (guild_id,)
            ).fetchall()
        return GuildSettings.from_pairs((r["name"], r["value"]) for r in rows)

    def list(self) -> dict[int, GuildSettings]:
        """Every server with any setting."""
        with self._read() as db:
            rows = db.execute(
                "SELECT guild_id, name, value FROM guild_settings ORDER BY guild_id"
            ).fetchall()
        by_guild: dict[int, list[tuple[str, str]]] = {}
        for r in rows:
            by_guild.setdefault(int(r["guild_id"]), []).append((r["name"], r["value"]))
        return {g: GuildSettings.from_pairs(pairs) for g, pairs in by_guild.items()}

    def set(self, guild_id: int, name: str, value: str | None, user_id: int,
            now: dt.datetime) -> SettingChange:
        """Set *name* to *value* (checked first; None resets it to the config's) and log
        who did it, in one transaction."""
        if value is not None:
            parse_value(name, value)  # raises UserError for a bad value
            value = value.strip().lower()
        stamp = ts(now)
        with self._tx() as db:
            row = db.execute("SELECT value FROM guild_settings WHERE guild_id = ? AND name = ?",
                             (guild_id, name)).fetchone()
            old = None if row is None else str(row["value"])
            if value is None:
                db.execute("DELETE FROM guild_settings WHERE guild_id = ? AND name = ?",
                           (guild_id, name))
            else:
                db.execute(
                    "INSERT INTO guild_settings (guild_id, name, value, updated_by, updated_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, name) DO UPDATE SET"
                    " value = excluded.value, updated_by = excluded.updated_by,"
                    " updated_at = excluded.updated_at",
                    (guild_id, name, value, user_id, stamp))
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM guild_settings_log"
                             " WHERE guild_id = ?", (guild_id,)).fetchone()["seq"]
            db.execute(
                "INSERT INTO guild_settings_log (guild_id, seq, name, old_value, new_value,"
                " user_id, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (guild_id, seq, name, old, value, user_id, stamp))
        log.info("guild %d: setting %s changed from %s to %s by user %d", guild_id, name,
                 old or "(default)", value or "(default)", user_id)
        return SettingChange(guild_id, name, old, value, user_id, now)

    def history(self, guild_id: int, limit: int = 20) -> builtins.list[SettingChange]:
        """The latest changes, newest first."""
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM guild_settings_log WHERE guild_id = ? ORDER BY seq DESC LIMIT ?",
                (guild_id, limit)).fetchall()
        out = []
        for r in rows:
            at = parse_ts(r["changed_at"])
            assert at is not None
            out.append(SettingChange(guild_id, r["name"], r["old_value"], r["new_value"],
                                     int(r["user_id"]), at))
        return out
