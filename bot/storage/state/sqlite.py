"""The SQLite backend: one file, WAL, and an OS file lock that elects the poster.

Threading: one connection, ``check_same_thread=False``, every method a short
transaction under a lock, so ``asyncio.to_thread`` calls are safe.

Leadership is an exclusive ``flock`` on ``<state file>.lock``, held for as long
as the process lives (or until :meth:`close`). The kernel drops it the moment
the holder dies, however it dies (SIGKILL included), so a waiting process takes
over on its next :meth:`try_lead`; and no live process can lose it, so there is
no expiry to tune and no stale leader. The holder writes who it is into the file
for the others' ``/daily status``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from bot.storage.state.base import Db, StateError
from bot.storage.state.sqlite_schema import migrate
from bot.storage.state.tables import State

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process per state file is on the user
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("bot.storage.state")  # one logger name for the whole state

BUSY_TIMEOUT = 10.0  # seconds a statement waits for another process's write


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def who_am_i() -> str:
    since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return f"pid {os.getpid()} on {socket.gethostname()} since {since}"


class SqliteState(State):
    """The state file at *path* (created, with its folder, if missing)."""

    kind = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.where = str(self.path)
        self._lease: IO[str] | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT
        )
        self._conn.row_factory = sqlite3.Row
        try:
            mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                log.warning("%s: WAL not available, using journal mode %s", self.path, mode)
            # The pending row must be on disk before the send, even across power loss.
            self._conn.execute("PRAGMA synchronous=FULL")
            self.previous_version = migrate(self._conn, str(self.path))
        except StateError:
            self._conn.close()
            raise
        except sqlite3.OperationalError as exc:
            self._conn.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise StateError(f"{path}: {exc} (another process is writing it)") from exc
            raise StateError(f"{path}: not a usable database: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StateError(f"{path}: not a usable database: {exc}") from exc

    # --- leadership ----------------------------------------------------------------

    def try_lead(self) -> bool:
        if self._lease is not None:
            return True
        if fcntl is None:  # pragma: no cover
            return True
        try:
            handle = open(lock_path(self.path), "a+", encoding="utf-8")  # noqa: SIM115 - held
        except OSError as exc:
            raise StateError(f"{lock_path(self.path)}: cannot open the lock file: {exc}") from exc
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(who_am_i() + "\n")
        handle.flush()
        self._lease = handle
        return True

    @property
    def leading(self) -> bool:
        return self._lease is not None or fcntl is None

    def leader(self) -> str | None:
        try:
            text = lock_path(self.path).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return text or None

    def _release(self) -> None:
        if self._lease is not None:
            with suppress(OSError):
                self._lease.truncate(0)
            self._lease.close()  # closing the descriptor drops the flock
            self._lease = None

    # --- connection ----------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._release()
            self._conn.close()

    def _claim(self, db: Db) -> bool:
        return self.leading

    @contextmanager
    def _tx(self) -> Iterator[Db]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[Db]:
        with self._lock:
            yield self._conn
