"""The one interface both state backends (SQLite, PostgreSQL) implement.

The tables' methods (:mod:`.schedules`, :mod:`.ledger`) are written once, in SQL
that both databases speak (``?`` placeholders; the PostgreSQL backend turns them
into ``%s``). A backend supplies only what differs: its connection, its
transactions, its migrations and how it elects the one process that posts.

A new table (per-server settings, say) is a mixin over :class:`StateBase` with
its methods in that same SQL, plus one migration appended to each backend's list
(``sqlite_schema.MIGRATIONS``, ``postgresql_schema.MIGRATIONS``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, Protocol, Self


def is_postgresql_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


class StateError(Exception):
    """The state cannot be used (a newer schema, not a database, unreachable)."""


class Cursor(Protocol):
    """What a statement returns, in both drivers: rows by column name, and a rowcount."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Db(Protocol):
    """A connection inside a transaction."""

    def execute(self, sql: str, params: Any = ..., /) -> Cursor: ...


class StateBase(ABC):
    """Connection, transactions and leadership; the tables build on these."""

    #: "sqlite" or "postgresql", for logs and /daily status.
    kind: str
    #: Where the state lives, fit to print (a path, or a URL without a password).
    where: str

    @abstractmethod
    def _tx(self) -> AbstractContextManager[Db]:
        """A write transaction: committed on exit, rolled back on an exception."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[Db]:
        """A consistent read."""

    @abstractmethod
    def _claim(self, db: Db) -> bool:
        """Inside a write transaction: whether this process may post (it leads).
        Checked in the same transaction that claims a ledger row, so a process
        that lost the lead can never start a post."""

    @abstractmethod
    def try_lead(self) -> bool:
        """Become, or stay, the one process that makes daily posts. Never blocks:
        False while another live process leads. Call it again to renew. Raises
        :class:`StateError` (and no longer leads) when the state cannot be reached."""

    @property
    @abstractmethod
    def leading(self) -> bool:
        """Whether this process held the lead when last checked."""

    @abstractmethod
    def leader(self) -> str | None:
        """Who leads (a description such as ``pid 12 on host``), if anyone is known to."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; the lead (if held) passes to another process."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
