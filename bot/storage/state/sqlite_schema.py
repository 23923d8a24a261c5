"""The SQLite schema, versioned with ``PRAGMA user_version``.

Each migration moves the file from version *i* to *i + 1* inside one
transaction; a file written by a newer bot is refused rather than guessed at.
Append migrations; never edit one that has shipped.
"""

from __future__ import annotations

import logging
import sqlite3

from bot.storage.state.base import StateError

log = logging.getLogger(__name__)

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: schedules made by command, per-schedule flags, the ledger, the decks
        """CREATE TABLE schedules (
            id TEXT PRIMARY KEY,
            channel_id INTEGER NOT NULL,
            time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            days TEXT NOT NULL,
            topic TEXT,
            mention_role INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        # Flags for every schedule, from the config or by command: /daily pause
        # works on both, and "since" keeps a new or resumed schedule from
        # posting a slot that passed before it existed.
        """CREATE TABLE schedule_flags (
            schedule_id TEXT PRIMARY KEY,
            paused INTEGER NOT NULL DEFAULT 0,
            since TEXT NOT NULL,
            first_seen TEXT NOT NULL
        )""",
        """CREATE TABLE ledger (
            schedule_id TEXT NOT NULL,
            local_date TEXT NOT NULL,
            nonce TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('pending', 'sent', 'failed', 'skipped', 'missed')),
            slot_at TEXT NOT NULL,
            channel_id INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            permanent INTEGER NOT NULL DEFAULT 0,
            uncertain INTEGER NOT NULL DEFAULT 0,
            next_retry_at TEXT,
            guild_id INTEGER,
            posted_channel_id INTEGER,
            message_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (schedule_id, local_date)
        ) WITHOUT ROWID""",
        """CREATE TABLE rotation (
            schedule_id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    ),
    (  # 2: per-server settings (/settings), who changed them, and inline replies
        """CREATE TABLE guild_settings (
            guild_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_by INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (guild_id, name)
        )""",
        """CREATE TABLE guild_settings_log (
            guild_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            user_id INTEGER NOT NULL,
            changed_at TEXT NOT NULL,
            PRIMARY KEY (guild_id, seq)
        )""",
        # The reply the bot made to a member's [[...]] message, kept across restarts.
        """CREATE TABLE inline_replies (
            message_id INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL,
            reply_id INTEGER NOT NULL,
            created_at TEXT NOT NULL
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, name: str) -> int:
    """Bring *conn* (autocommit mode) to :data:`SCHEMA_VERSION`; return the old version."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise StateError(f"{name}: not a usable database: {exc}") from exc
    if version > SCHEMA_VERSION:
        raise StateError(
            f"{name}: schema version {version} is newer than this bot's "
            f"({SCHEMA_VERSION}); upgrade the bot or restore a matching backup"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        # Read again under the write lock: another process starting at the same time
        # may have migrated while this one waited for it.
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= target:
            conn.execute("COMMIT")
            continue
        try:
            for statement in MIGRATIONS[target - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        log.info("%s: schema migrated to version %d", name, target)
    return version
