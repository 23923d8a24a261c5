"""``/settings show``: what a server has set, what it inherits from config.yaml, and
the latest changes with who made them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.inline.extract import Mode
from bot.core.rendering.cards import Field, Reply, make_card
from bot.core.rendering.markup import escape
from bot.core.settings.model import GuildSettings, SettingChange

HISTORY_SHOWN = 10


@dataclass(frozen=True, slots=True)
class Defaults:
    """The config.yaml values a server's settings override."""

    private: bool
    alternatives: int
    inline_channels: tuple[int, ...]
    inline_mode: Mode
    cooldown_seconds: float


def _which(value: object, default: object) -> str:
    return f"{value} (set here)" if value is not None else f"{default} (config.yaml)"


def _inline_lines(settings: GuildSettings, defaults: Defaults) -> str:
    lines = [f"<#{cid}>: {choice} (set here)" for cid, choice in sorted(settings.inline.items())]
    lines += [f"<#{cid}>: {defaults.inline_mode} (config.yaml)"
              for cid in defaults.inline_channels if cid not in settings.inline]
    return "\n".join(lines) or "no channel yet: /settings inline channel mode"


def _change_line(c: SettingChange) -> str:
    old, new = c.old or "default", c.new or "default"
    return (f"<t:{int(c.at.timestamp())}:f> <@{c.user_id}>: {escape(c.name)} "
            f"{escape(old)} → {escape(new)}")


def settings_reply(settings: GuildSettings, defaults: Defaults, inline_status: str,
                   history: Sequence[SettingChange], edition_commands: Sequence[str] = ()
                   ) -> Reply:
    """This server's settings; mentions in it are links only (the bot never pings).
    *edition_commands*: the commands with an ``edition`` option the default fills in."""
    where = (f"used by {', '.join('/' + c for c in edition_commands)} when no edition is given"
             if edition_commands else "stored; no command takes an edition yet")
    edition = (f"{settings.edition} (set here; {where})" if settings.edition is not None
               else "every edition")
    fields = [
        Field("Inline lookups", escape(inline_status)),
        Field("Inline channels", _inline_lines(settings, defaults)),
        Field("Cooldown", f"{defaults.cooldown_seconds:g} s per channel and per member "
                          "(config.yaml)", inline=True),
        Field("Private answers", _which(settings.private, defaults.private), inline=True),
        Field("Alternatives shown", _which(settings.alternatives, defaults.alternatives),
              inline=True),
        Field("Default edition", edition),
    ]
    if history:
        fields.append(Field("Latest changes",
                            "\n".join(_change_line(c) for c in history[:HISTORY_SHOWN])))
    card = make_card("Settings for this server", "Change them with /settings (Manage Server).",
                     tuple(fields))
    return Reply((card,), ephemeral=True)
