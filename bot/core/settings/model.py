"""The settings one server can change with ``/settings``, over ``config.yaml``'s defaults.

Stored as ``(name, value)`` text pairs so the table stays the same whatever is
added: ``private`` (``true``/``false``), ``edition`` (a year), ``alternatives``
(0-5) and ``inline:<id>`` (``brackets``, ``quotes`` or ``off``) for a channel,
thread or category. :func:`parse_value` checks every value before it is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from bot.core.errors import UserError
from bot.core.inline.extract import Mode

InlineChoice = Literal["brackets", "quotes", "off"]
INLINE_CHOICES: tuple[InlineChoice, ...] = ("brackets", "quotes", "off")
INLINE_PREFIX = "inline:"
SIMPLE_NAMES = ("private", "edition", "alternatives")
MAX_ALTERNATIVES = 5


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """One server's overrides; None (or a channel not listed) means "the config's"."""

    private: bool | None = None
    edition: int | None = None
    alternatives: int | None = None
    inline: Mapping[int, InlineChoice] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> GuildSettings:
        """From stored pairs; a pair this bot does not understand is left out."""
        values: dict[str, object] = {}
        inline: dict[int, InlineChoice] = {}
        for name, value in pairs:
            try:
                parsed = parse_value(name, value)
            except UserError:
                continue
            if name.startswith(INLINE_PREFIX):
                inline[int(name[len(INLINE_PREFIX):])] = cast(InlineChoice, parsed)
            else:
                values[name] = parsed
        return cls(private=cast("bool | None", values.get("private")),
                   edition=cast("int | None", values.get("edition")),
                   alternatives=cast("int | None", values.get("alternatives")),
                   inline=inline)


@dataclass(frozen=True, slots=True)
class SettingChange:
    """One change, for the log and ``/settings show``: *old*/*new* None means unset."""

    guild_id: int
    name: str
    old: str | None
    new: str | None
    user_id: int
    at: dt.datetime


def inline_name(channel_id: int) -> str:
    return f"{INLINE_PREFIX}{channel_id}"


def parse_value(name: str, value: str) -> bool | int | str:
    """The typed value of setting *name* written as *value*, or :class:`UserError`."""
    text = value.strip().lower()
    if name == "private":
        if text not in ("true", "false"):
            raise UserError("private is true or false.")
        return text == "true"
    if name == "alternatives":
        if not text.isdigit() or not 0 <= int(text) <= MAX_ALTERNATIVES:
            raise UserError(f"alternatives is a number from 0 to {MAX_ALTERNATIVES}.")
        return int(text)
    if name == "edition":
        if not (text.isdigit() and len(text) == 4):
            raise UserError("edition is a Bluebook year, e.g. 2025.")
        return int(text)
    if name.startswith(INLINE_PREFIX) and name[len(INLINE_PREFIX):].isdigit():
        if text not in INLINE_CHOICES:
            raise UserError("An inline mode is brackets, quotes or off.")
        return text
    raise UserError(f"There is no setting {name!r}.")


def inline_mode(settings: GuildSettings, chain: Sequence[int], config_channels: Sequence[int],
                config_mode: Mode) -> Mode | None:
    """The inline mode where a message was posted, or None when inline lookups are off.

    *chain* is the message's channel, then what contains it (a thread's parent
    channel, then the category). The most specific id with any setting decides; for
    the same id, the server's ``/settings`` choice wins over ``config.yaml``."""
    configured = set(config_channels)
    for channel_id in chain:
        choice = settings.inline.get(channel_id)
        if choice is not None:
            return None if choice == "off" else choice
        if channel_id in configured:
            return config_mode
    return None


