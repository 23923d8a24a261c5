"""Per-server settings: values checked before they are stored, and which inline mode
applies where."""

from __future__ import annotations

import pytest

from bot.core.errors import UserError
from bot.core.settings.model import GuildSettings, inline_mode, parse_value


def test_values_are_checked() -> None:
    assert parse_value("private", "TRUE") is True
    assert parse_value("alternatives", "5") == 5
    assert parse_value("edition", "2025") == 2025
    assert parse_value("inline:42", "quotes") == "quotes"
    for name, value in (("private", "yes"), ("alternatives", "6"), ("edition", "25"),
                        ("inline:42", "loud"), ("colour", "red"), ("inline:x", "off")):
        with pytest.raises(UserError):
            parse_value(name, value)


def test_from_pairs_skips_what_it_does_not_understand() -> None:
    s = GuildSettings.from_pairs([("private", "true"), ("inline:7", "off"), ("future", "x")])
    assert s.private is True and s.inline == {7: "off"} and s.alternatives is None


def test_the_most_specific_channel_decides_and_settings_beat_the_config() -> None:
    thread, channel, category = 3, 2, 1
    chain = [thread, channel, category]
    none = GuildSettings()
    assert inline_mode(none, chain, [], "brackets") is None
    assert inline_mode(none, chain, [category], "quotes") == "quotes"  # threads included
    off_here = GuildSettings(inline={channel: "off"})
    assert inline_mode(off_here, chain, [category], "brackets") is None
    on_thread = GuildSettings(inline={thread: "brackets", category: "off"})
    assert inline_mode(on_thread, chain, [], "quotes") == "brackets"
    assert inline_mode(GuildSettings(inline={channel: "quotes"}), chain, [channel],
                       "brackets") == "quotes"
