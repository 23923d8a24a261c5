"""The bot's state (daily-post ledger, decks, schedules, per-server settings, inline
replies): SQLite by default, or PostgreSQL for several processes sharing it. Both
backends implement :class:`State`; :func:`open_state` picks one from ``paths.state``."""

from __future__ import annotations

from pathlib import Path

from bot.storage.state.base import StateError, is_postgresql_url
from bot.storage.state.ledger import DailyState
from bot.storage.state.rows import Attempt, StatusRow
from bot.storage.state.sqlite import SqliteState
from bot.storage.state.tables import State

__all__ = ["Attempt", "DailyState", "SqliteState", "State", "StateError", "StatusRow",
           "open_state"]


def open_state(location: Path | str, password: str | None = None) -> State:
    """The state at *location*: a ``postgresql://`` URL, else an SQLite file path."""
    if is_postgresql_url(location):
        from bot.storage.state.postgresql import PostgresState

        return PostgresState(str(location), password)
    return SqliteState(location)
