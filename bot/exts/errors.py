"""The one error handler for the command tree, and for buttons (:func:`guarded`).

Expected failures get a short private reply; anything else is logged with an id
the user is shown, so a report can be matched to the log line.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import UserError

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()


def explain(error: app_commands.AppCommandError) -> str | None:
    """A short message for an expected error, or None for a bug."""
    cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(cause, UserError):
        return str(cause)
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission for this command."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.TransformerError | app_commands.CheckFailure):
        return str(error)
    return None


async def on_tree_error(interaction: discord.Interaction[Any],
                        error: app_commands.AppCommandError) -> None:
    message = explain(error)
    if message is None:
        name = interaction.command and interaction.command.qualified_name
        message = log_with_id(error, f"command {name}")
    await reply_privately(interaction, message)


async def guarded(interaction: discord.Interaction[Any], what: str,
                  work: Awaitable[None]) -> None:
    """Await *work*, a button's callback, giving a failure :func:`on_tree_error`'s
    treatment. Without it discord.py only logs "Ignoring exception in dynamic item
    callback" and the clicker sees "This interaction failed", with no id to report."""
    try:
        await work
    except Exception as error:  # every failure gets a reply; none escapes to discord.py
        message = str(error) if isinstance(error, UserError) else log_with_id(error, what)
        await reply_privately(interaction, message)


def log_with_id(error: BaseException, what: str) -> str:
    """Log a bug with a fresh error id; the message that shows the user the id."""
    error_id = uuid.uuid4().hex[:8]
    log.error("%s failed (error id %s)", what, error_id, exc_info=error)
    return f"Something went wrong on our side (error id `{error_id}`)."


async def reply_privately(interaction: discord.Interaction[Any], message: str) -> None:
    """*message* to the user alone, whether or not the interaction was answered yet."""
    try:
        if interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
            # A "thinking…" placeholder: the first follow-up would take its place, and
            # be public if it was; removed first, the follow-up is a private message.
            await interaction.delete_original_response()
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(message, ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)


async def setup(bot: commands.Bot) -> None:
    bot.tree.on_error = on_tree_error  # type: ignore[method-assign]
