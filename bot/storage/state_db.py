"""The SQLite file behind :class:`bot.storage.state.DailyState`: opening, migrating
and transactions. The tables' own methods live in ``state_schedules`` and ``state``.

Threading: one connection, ``check_same_thread=False``, every method a short
transaction under a lock. Calls take milliseconds a few times a day, so the
event loop may call them directly; ``asyncio.to_thread`` is equally safe.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from bot.storage.state_schema import StateError, migrate

log = logging.getLogger("bot.storage.state")  # one logger name for the whole state file


class StateFile:
    """The daily-post state file at *path* (created, with its folder, if missing):
    one connection, and the transaction every method runs in."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=10
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
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StateError(f"{path}: not a usable database: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
