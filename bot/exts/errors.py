"""The one error handler for the command tree.

Expected failures get a short private reply; anything else is logged with an id
the user is shown, so a report can be matched to the log line.
"""

from __future__ import annotations

import logging
import uuid
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
        error_id = uuid.uuid4().hex[:8]
        log.error("command %s failed (error id %s)", interaction.command and
                  interaction.command.qualified_name, error_id, exc_info=error)
        message = f"Something went wrong on our side (error id `{error_id}`)."
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(message, ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)


async def setup(bot: commands.Bot) -> None:
    bot.tree.on_error = on_tree_error  # type: ignore[method-assign]
