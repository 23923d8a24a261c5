"""Quotations: /quote, /verify, /passage, /search, and the "Find in Bluebook" menu."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.commands import REGISTRY
from bot.app.services import Services
from bot.exts.bridge import ActionButton, answer
from bot.exts.commandset import add_commands, remove_commands

NAMES = ("quote", "verify", "passage", "search")
MENU = "Find in Bluebook"
MAX_MESSAGE_CHARS = 1000


async def find_in_bluebook(interaction: discord.Interaction[Any],
                           message: discord.Message) -> None:
    """Look up the selected message's text and answer with the source passage."""
    services: Services = interaction.client.services
    text = (message.content or "").strip()[:MAX_MESSAGE_CHARS]
    await answer(interaction, lambda: REGISTRY.run(services, "quote", {"text": text}),
                 ephemeral=services.config.quote.ephemeral)


async def setup(bot: commands.Bot) -> None:
    add_commands(bot, *NAMES, configurable=True)
    bot.tree.add_command(app_commands.ContextMenu(name=MENU, callback=find_in_bluebook))
    bot.add_dynamic_items(ActionButton)


async def teardown(bot: commands.Bot) -> None:
    remove_commands(bot, *NAMES)
    bot.tree.remove_command(MENU, type=discord.AppCommandType.message)
    bot.remove_dynamic_items(ActionButton)
