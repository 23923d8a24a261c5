"""The settings tables and the inline reply table of the state, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.errors import UserError
from bot.storage.state import open_state
from bot.storage.state.settings import SettingsStore

NOW = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)


def test_settings_persist_with_a_log_of_who_changed_what(state_location: str) -> None:
    path = state_location
    with open_state(path) as store:
        s: SettingsStore = store
        s.set(1, "private", "true", 100, NOW)
        s.set(1, "inline:55", "quotes", 101, NOW)
        s.set(1, "private", None, 102, NOW + dt.timedelta(minutes=1))
        s.set(2, "alternatives", "1", 100, NOW)
        with pytest.raises(UserError):
            s.set(1, "alternatives", "9", 100, NOW)
    with open_state(path) as store:
        assert store.get(1).private is None and store.get(1).inline == {55: "quotes"}
        assert store.list()[2].alternatives == 1
        history = store.history(1)
        assert [(c.name, c.old, c.new, c.user_id) for c in history] == [
            ("private", "true", None, 102), ("inline:55", None, "quotes", 101),
            ("private", None, "true", 100)]
        assert store.get(3).inline == {}


def test_inline_replies_survive_reopening_and_old_rows_go(state_location: str) -> None:
    path = state_location
    with open_state(path) as replies:
        replies.remember(10, 20, 30, NOW)
    with open_state(path) as replies:
        assert replies.reply_for(10) == (20, 30)
        replies.remember(11, 20, 31, NOW + dt.timedelta(days=40))
        assert replies.reply_for(10) is None  # older than 30 days
        replies.forget(11)
        assert replies.reply_for(11) is None
