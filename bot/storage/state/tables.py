"""Every table of the state, as one class each backend implements."""

from __future__ import annotations

from bot.storage.state.inline_replies import InlineReplies
from bot.storage.state.ledger import DailyState
from bot.storage.state.settings import SettingsTables


class State(DailyState, SettingsTables, InlineReplies):
    """The daily-post tables (:class:`DailyState`), per-server settings
    (:class:`SettingsTables`) and inline replies (:class:`InlineReplies`)."""
