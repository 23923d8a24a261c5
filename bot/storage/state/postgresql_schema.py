"""The PostgreSQL schema: plain SQL migrations, versioned in ``schema_migrations``.

Each migration moves the database from version *i* to *i + 1* inside one
transaction, under an advisory lock, so processes starting together migrate
once. A database migrated by a newer bot is refused rather than guessed at.
Append migrations; never edit one that has shipped. The tables mirror the
SQLite file's (:mod:`.sqlite_schema`), so the same SQL serves both; Discord ids
are BIGINT, and timestamps are ISO 8601 text in UTC, as in SQLite.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: schedules made by command, per-schedule flags, the ledger, the decks
        """CREATE TABLE schedules (
            id TEXT PRIMARY KEY,
            channel_id BIGINT NOT NULL,
            time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            days TEXT NOT NULL,
            topic TEXT,
            mention_role BIGINT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
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
            channel_id BIGINT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            permanent INTEGER NOT NULL DEFAULT 0,
            uncertain INTEGER NOT NULL DEFAULT 0,
            next_retry_at TEXT,
            guild_id BIGINT,
            posted_channel_id BIGINT,
            message_id BIGINT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (schedule_id, local_date)
        )""",
        """CREATE TABLE rotation (
            schedule_id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    ),
    (  # 2: per-server settings (/settings), who changed them, and inline replies
        """CREATE TABLE guild_settings (
            guild_id BIGINT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_by BIGINT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (guild_id, name)
        )""",
        """CREATE TABLE guild_settings_log (
            guild_id BIGINT NOT NULL,
            seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            user_id BIGINT NOT NULL,
            changed_at TEXT NOT NULL,
            PRIMARY KEY (guild_id, seq)
        )""",
        """CREATE TABLE inline_replies (
            message_id BIGINT PRIMARY KEY,
            channel_id BIGINT NOT NULL,
            reply_id BIGINT NOT NULL,
            created_at TEXT NOT NULL
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

BOOKKEEPING = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)"""
