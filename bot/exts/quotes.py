"""Quotations: /quote, /verify, /passage, /search, and the "Find in Bluebook" menu."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.commands import REGISTRY
from bot.core.quotes.matching import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from bot.core.quotes.text import clip_words
from bot.exts.bridge import EVERY_CONTEXT, EVERYWHERE
from bot.exts.buttons import (
    NO_PINGS,
    ActionButton,
    PostButton,
    compute,
    deliver,
    send_kwargs,
)
from bot.exts.commandset import add_commands, remove_commands
from bot.exts.guild_context import bot_is_present, services_for

log = logging.getLogger(__name__)

NAMES = ("quote", "verify", "passage", "search")
MENU = "Find in Bluebook"


async def find_in_bluebook(interaction: discord.Interaction[Any],
                           message: discord.Message) -> None:
    """Look up the selected message's text and answer with the source passage.

    A public answer is a real reply to that message, so the thread reads right;
    where the bot may not post (no Send Messages or Read Message History), or the
    answer is private, it answers the interaction with a link to the message.
    """
    services = services_for(interaction)
    private = services.config.quote.ephemeral or not bot_is_present(interaction)
    # A message may be longer than a quotation can be: look up its opening words.
    text = clip_words((message.content or "").strip(), MAX_QUERY_WORDS, MAX_QUERY_CHARS)
    reply, deferred = await compute(
        interaction, lambda: REGISTRY.run(services, "quote", {"text": text}), ephemeral=private)
    if not private and not reply.error:
        try:
            await message.reply(**send_kwargs(reply), mention_author=False)
        except discord.Forbidden:
            log.info("cannot reply in channel %s; answering the interaction instead",
                     message.channel.id)
        else:
            # The reply is the answer; the interaction only needs acknowledging.
            if deferred:
                await interaction.delete_original_response()
            else:
                await interaction.response.send_message(
                    "Answered in a reply to that message.", ephemeral=True,
                    allowed_mentions=NO_PINGS)
            return
    await deliver(interaction, reply, deferred=deferred, ephemeral=private,
                  content=f"In reply to {message.jump_url}")


async def setup(bot: commands.Bot) -> None:
    add_commands(bot, *NAMES, configurable=True)
    bot.tree.add_command(app_commands.ContextMenu(
        name=MENU, callback=find_in_bluebook, allowed_installs=EVERYWHERE,
        allowed_contexts=EVERY_CONTEXT))
    bot.add_dynamic_items(ActionButton, PostButton)


async def teardown(bot: commands.Bot) -> None:
    remove_commands(bot, *NAMES)
    bot.tree.remove_command(MENU, type=discord.AppCommandType.message)
    bot.remove_dynamic_items(ActionButton, PostButton)
