"""Where an interaction comes from: the server's settings that apply to it, and
whether the bot is a member there at all (a user-installed app used in a server
that never added the bot, or in a group DM, answers privately)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from bot.app.guild_config import services_with
from bot.app.services import Services
from bot.core.settings.model import GuildSettings


def settings_for(interaction: discord.Interaction[Any]) -> GuildSettings | None:
    """This interaction's server's /settings (None: none, or not in a server)."""
    table: Mapping[int, GuildSettings] = getattr(interaction.client, "guild_settings", {})
    gid = interaction.guild_id
    return table.get(gid) if gid is not None else None


def services_for(interaction: discord.Interaction[Any]) -> Services:
    """The services as this interaction's server has set them up with /settings."""
    services: Services = interaction.client.services
    return services_with(services, settings_for(interaction))


def bot_is_present(interaction: discord.Interaction[Any]) -> bool:
    """Whether the bot itself is in the conversation: installed in this server, or
    this is a DM with the bot. Elsewhere only the member who installed it has it."""
    if interaction.guild_id is not None:
        return interaction.is_guild_integration()
    return interaction.context.dm_channel
