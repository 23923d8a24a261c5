"""Fact cards: /fact and /topics."""

from __future__ import annotations

from discord.ext import commands

from bot.exts.commandset import add_commands, remove_commands

NAMES = ("fact", "topics")


async def setup(bot: commands.Bot) -> None:
    add_commands(bot, *NAMES)


async def teardown(bot: commands.Bot) -> None:
    remove_commands(bot, *NAMES)
