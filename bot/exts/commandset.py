"""Add named commands of the shared registry to a bot's tree (used by each feature cog)."""

from __future__ import annotations

from discord.ext import commands

from bot.app.commands import REGISTRY
from bot.app.services import Services
from bot.exts.bridge import slash_command


def _public_by_config(services: Services) -> bool:
    return services.config.quote.ephemeral


def _never(services: Services) -> bool:
    return False


def add_commands(bot: commands.Bot, *names: str, configurable: bool = False) -> None:
    """Register REGISTRY commands *names*; *configurable*: ``quote.ephemeral`` applies."""
    for name in names:
        command = REGISTRY.get(name)
        if command is None:
            raise LookupError(f"no command /{name} in the registry")
        bot.tree.add_command(slash_command(
            command, ephemeral=_public_by_config if configurable else _never))


def remove_commands(bot: commands.Bot, *names: str) -> None:
    for name in names:
        bot.tree.remove_command(name)
