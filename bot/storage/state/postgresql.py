"""The PostgreSQL backend, for several processes (shards, machines) sharing one state.

The driver is psycopg 3, used synchronously from worker threads exactly as the
SQLite backend is (``asyncio.to_thread``), so both backends share one interface
and one set of SQL statements; an asyncio driver would need a second, async
copy of every table method for no gain at a few queries a minute.

Leadership is a session-level advisory lock held by this process's connection:
PostgreSQL drops it when the connection ends (the process died, or the network
went; TCP keepalives bound how long that takes to notice). Every ledger claim
(:meth:`_claim`) also takes the same lock for its own transaction, which only
the session holding it can, so a process that lost the lead without noticing
can never start a post.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
from psycopg import conninfo
from psycopg.rows import dict_row

from bot.storage.state.base import Cursor, Db, StateError
from bot.storage.state.postgresql_schema import BOOKKEEPING, MIGRATIONS, SCHEMA_VERSION
from bot.storage.state.tables import State

log = logging.getLogger("bot.storage.state")

LEAD_KEY = int.from_bytes(b"bbdaily1")  # the advisory lock of the daily poster
MIGRATE_KEY = int.from_bytes(b"bbmigrat")
CONNECT_TIMEOUT = 10


def redact(url: str) -> str:
    """The URL without a password, fit for logs."""
    parts = conninfo.conninfo_to_dict(url)
    parts.pop("password", None)
    return conninfo.make_conninfo("", **{k: v for k, v in parts.items() if v is not None})


class _Db:
    """A psycopg connection speaking the shared SQL (``?`` placeholders)."""

    def __init__(self, conn: psycopg.Connection[dict[str, Any]]) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Any = (), /) -> Cursor:
        return self.conn.execute(sql.replace("?", "%s"), params)


class PostgresState(State):
    """The state in the database at *url*; *password* comes from outside the config."""

    kind = "postgresql"
    _for_update = " FOR UPDATE"

    def __init__(self, url: str, password: str | None = None) -> None:
        self.where = redact(url)
        self._url, self._password = url, password
        self._lock = threading.RLock()
        self._leading = False
        self._conn = self._connect()
        self.previous_version = self._migrate()

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        extra: dict[str, Any] = {}
        if self._password:
            extra["password"] = self._password
        try:
            return psycopg.connect(
                self._url, autocommit=True, row_factory=dict_row,
                connect_timeout=CONNECT_TIMEOUT,
                application_name=f"bluebook-bot pid {os.getpid()} on {socket.gethostname()}",
                # A peer that vanished is noticed in about half a minute.
                keepalives=1, keepalives_idle=10, keepalives_interval=5, keepalives_count=3,
                **extra)
        except psycopg.Error as exc:
            raise StateError(f"{self.where}: cannot connect: {exc}".strip()) from exc

    def _connection(self) -> psycopg.Connection[dict[str, Any]]:
        if self._conn.closed or self._conn.broken:
            if self._leading:
                log.warning("%s: connection lost; no longer leading", self.where)
            self._leading = False
            self._conn = self._connect()
        return self._conn

    def _migrate(self) -> int:
        with self._tx() as db:
            db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATE_KEY,))
            db.execute(BOOKKEEPING)
            row = db.execute("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
            version = int(row.fetchone()["v"])
            if version > SCHEMA_VERSION:
                raise StateError(
                    f"{self.where}: schema version {version} is newer than this bot's "
                    f"({SCHEMA_VERSION}); upgrade the bot or restore a matching backup")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target - 1]:
                    db.execute(statement)
                db.execute("INSERT INTO schema_migrations (version) VALUES (?)", (target,))
                log.info("%s: schema migrated to version %d", self.where, target)
        return version

    # --- transactions --------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[Db]:
        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction():
                    yield _Db(conn)
            except psycopg.OperationalError as exc:
                raise StateError(f"{self.where}: {exc}") from exc

    _read = _tx

    def _claim(self, db: Db) -> bool:
        row = db.execute("SELECT pg_try_advisory_xact_lock(?) AS ok", (LEAD_KEY,)).fetchone()
        return bool(row["ok"])

    # --- leadership ----------------------------------------------------------------

    def try_lead(self) -> bool:
        with self._lock:
            try:
                conn = self._connection()
                if self._leading:
                    conn.execute("SELECT 1")  # the lock lives as long as this session
                    return True
                row = conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (LEAD_KEY,))
                self._leading = bool(row.fetchone()["ok"])  # type: ignore[index]
            except (psycopg.Error, StateError) as exc:
                self._leading = False
                raise StateError(f"{self.where}: cannot check the lead: {exc}") from exc
            return self._leading

    @property
    def leading(self) -> bool:
        return self._leading

    def leader(self) -> str | None:
        with self._read() as db:
            row = db.execute(
                "SELECT a.application_name AS who FROM pg_locks AS l"
                " JOIN pg_stat_activity AS a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ?"
                " AND l.objid = ? AND l.objsubid = 1 LIMIT 1",
                (LEAD_KEY >> 32, LEAD_KEY & 0xFFFFFFFF)).fetchone()
        return None if row is None else str(row["who"])

    def close(self) -> None:
        with self._lock:
            with suppress(psycopg.Error):
                if self._leading and not self._conn.closed:
                    # At once: the server drops a closed session's locks only when its
                    # backend has wound down, and a standby should not wait for that.
                    self._conn.execute("SELECT pg_advisory_unlock_all()")
            self._leading = False
            with suppress(psycopg.Error):
                self._conn.close()  # ending the session drops the lock anyway
