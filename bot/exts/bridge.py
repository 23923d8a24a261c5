"""Turn the neutral command layer into discord.py objects.

Each command of :data:`bot.app.commands.REGISTRY` becomes an app command whose
callback docstring is the command's description and whose options carry
``@app_commands.describe`` text, exactly as if written by hand; a parity test
checks the synced tree against the registry. Replies become embeds and buttons
(:mod:`bot.exts.buttons`); a button's ``custom_id`` encodes the whole call, so
it still works after a restart.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Optional, cast

import discord
from discord import app_commands

from bot.app.autocomplete import complete
from bot.app.commands import REGISTRY
from bot.app.guild_config import with_edition
from bot.app.registry import Command, Param
from bot.app.services import Services
from bot.core.rendering.cards import Reply
from bot.exts.buttons import compute, deliver
from bot.exts.guild_context import bot_is_present, services_for, settings_for
from bot.exts.worker import off_loop

log = logging.getLogger(__name__)

# Commands a member who installed the app can use anywhere: in any server (even
# one without the bot) and in DMs. /daily and /settings are server-only instead.
EVERYWHERE = app_commands.AppInstallationType(guild=True, user=True)
EVERY_CONTEXT = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
SERVER_ONLY = app_commands.AppInstallationType(guild=True, user=False)
SERVER_CONTEXT = app_commands.AppCommandContext(guild=True)


async def answer(interaction: discord.Interaction[Any], work: Callable[[], Reply],
                 *, ephemeral: bool) -> None:
    """Run *work* off the event loop and send its reply within Discord's deadline."""
    reply, deferred = await compute(interaction, work, ephemeral=ephemeral)
    await deliver(interaction, reply, deferred=deferred, ephemeral=ephemeral)


def _annotation(p: Param) -> Any:
    base = (app_commands.Range[int, p.min_value, p.max_value] if p.kind == "int"
            else app_commands.Range[str, 1, p.max_length])
    return base if p.required else Optional[base]  # noqa: UP045 - discord.py reads Optional


def slash_command(command: Command, *, ephemeral: Callable[[Services], bool]
                  ) -> app_commands.Command[Any, ..., None]:
    """The app command for a registry command."""

    async def callback(interaction: discord.Interaction[Any], **kwargs: Any) -> None:
        services = services_for(interaction)
        args = with_edition(command, {k: v for k, v in kwargs.items() if v is not None},
                            settings_for(interaction))
        # Where the bot is not a member, a public answer would come from nowhere.
        private = ephemeral(services) or not bot_is_present(interaction)
        await answer(interaction, lambda: REGISTRY.run(services, command.name, args),
                     ephemeral=private)

    params = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                annotation=discord.Interaction)]
    params += [inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY,
                                 annotation=_annotation(p),
                                 default=inspect.Parameter.empty if p.required else None)
               for p in command.params]
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__doc__ = command.description
    callback.__name__ = command.name
    described = app_commands.describe(**{p.name: p.description for p in command.params})
    # The callback's signature is built above, so mypy cannot see its parameters.
    slash: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=command.name, description=command.description, callback=cast(Any, described(callback)),
        allowed_installs=EVERYWHERE, allowed_contexts=EVERY_CONTEXT)
    for p in command.params:
        if p.autocomplete:
            slash.autocomplete(p.name)(_autocompleter(p.autocomplete))
    return slash


def _autocompleter(provider: str) -> Callable[
        [discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def autocomplete(interaction: discord.Interaction[Any], current: str
                           ) -> list[app_commands.Choice[str]]:
        services: Services = interaction.client.services
        choices = await off_loop(complete, services, provider, current[:1000])
        return [app_commands.Choice(name=c.name, value=c.value) for c in choices]
    return autocomplete
