"""Which bot reply answered which member's message (inline lookups), in the state
database, so that editing or deleting a message still edits or deletes its reply
after a restart."""

from __future__ import annotations

import datetime as dt

from bot.storage.state.base import StateBase
from bot.storage.state.rows import ts

KEEP = dt.timedelta(days=30)  # older messages are rarely edited; their rows are dropped


class InlineReplies(StateBase):
    """The ``inline_replies`` table: message id -> the bot's reply."""

    def reply_for(self, message_id: int) -> tuple[int, int] | None:
        """``(channel_id, reply_id)`` of the reply to *message_id*, or None."""
        with self._read() as db:
            row = db.execute(
                "SELECT channel_id, reply_id FROM inline_replies WHERE message_id = ?",
                (message_id,)).fetchone()
        return None if row is None else (int(row["channel_id"]), int(row["reply_id"]))

    def remember(self, message_id: int, channel_id: int, reply_id: int,
                 now: dt.datetime) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO inline_replies (message_id, channel_id, reply_id, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET"
                " channel_id = excluded.channel_id, reply_id = excluded.reply_id",
                (message_id, channel_id, reply_id, ts(now)))
            db.execute("DELETE FROM inline_replies WHERE created_at < ?", (ts(now - KEEP),))

    def forget(self, message_id: int) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM inline_replies WHERE message_id = ?", (message_id,))
