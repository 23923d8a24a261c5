"""Turn the neutral command layer into discord.py objects.

Each command of :data:`bot.app.commands.REGISTRY` becomes an app command whose
callback docstring is the command's description and whose options carry
``@app_commands.describe`` text, exactly as if written by hand; a parity test
checks the synced tree against the registry. Replies become embeds and buttons;
a button's ``custom_id`` encodes the whole call, so it still works after a restart.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any, Optional, cast

import discord
from discord import app_commands

from bot.app.autocomplete import complete
from bot.app.commands import REGISTRY
from bot.app.registry import Command, Param
from bot.app.services import Services
from bot.core.cards import Action, Card, Reply

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
# Work that may take longer than this is deferred first (Discord allows 3 s).
DEFER_AFTER = 1.0
COLOURS = {"info": 0x2B6CB0, "exact": 0x2F855A, "close": 0x38A169, "partial": 0xD69E2E,
           "none": 0x718096, "fact": 0x6B46C1, "error": 0xC53030}


def embed(card: Card) -> discord.Embed:
    e = discord.Embed(title=card.title or None, description=card.description or None,
                      colour=COLOURS[card.accent], url=card.url)
    for f in card.fields:
        e.add_field(name=f.name, value=f.value, inline=f.inline)
    if card.footer:
        e.set_footer(text=card.footer)
    return e


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
                   template=r"bb1:(?P<call>.+)"):
    """A button that runs a command; restart-proof because the call is its custom_id."""

    def __init__(self, action: Action, custom_id: str) -> None:
        style = (discord.ButtonStyle.primary if action.style == "primary"
                 else discord.ButtonStyle.secondary)
        super().__init__(discord.ui.Button(label=action.label, style=style, custom_id=custom_id))
        self.action = action

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str]) -> ActionButton:
        assert isinstance(item, discord.ui.Button) and item.custom_id
        return cls(Action(label=item.label or "…"), item.custom_id)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services: Services = interaction.client.services
        custom_id = self.item.custom_id or ""
        reply = await asyncio.to_thread(REGISTRY.run_custom_id, services, custom_id)
        if reply is None:
            await interaction.response.send_message("This button has expired.", ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
            return
        # A button answers privately when the message it sits on was private.
        private = reply.error or bool(interaction.message and interaction.message.flags.ephemeral)
        await interaction.response.send_message(**send_kwargs(reply), ephemeral=private)


def view(reply: Reply) -> discord.ui.View | None:
    if not reply.actions:
        return None
    v = discord.ui.View(timeout=None)
    for action in reply.actions:
        if action.style == "link" and action.url:
            v.add_item(discord.ui.Button(label=action.label, url=action.url))
            continue
        custom_id = action.custom_id()
        if custom_id is not None:  # too long to encode: leave it to the text command
            v.add_item(ActionButton(action, custom_id))
    return v if v.children else None


def send_kwargs(reply: Reply) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"embeds": [embed(c) for c in reply.cards],
                              "allowed_mentions": NO_PINGS}
    v = view(reply)
    if v is not None:
        kwargs["view"] = v
    return kwargs


async def answer(interaction: discord.Interaction[Any], work: Callable[[], Reply],
                 *, ephemeral: bool) -> None:
    """Run *work* off the event loop and send its reply within Discord's deadline.

    Fast answers go out directly, so errors can be private; slow ones are deferred
    first, and an error then replaces the public "thinking…" with a private note.
    """
    task = asyncio.ensure_future(asyncio.to_thread(work))
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if done:
        reply = task.result()
        await interaction.response.send_message(**send_kwargs(reply),
                                                ephemeral=ephemeral or reply.error)
        return
    await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    reply = await task
    if reply.error and not ephemeral:
        await interaction.delete_original_response()
        await interaction.followup.send(**send_kwargs(reply), ephemeral=True)
    else:
        await interaction.followup.send(**send_kwargs(reply), ephemeral=ephemeral)


def _annotation(p: Param) -> Any:
    base = (app_commands.Range[int, p.min_value, p.max_value] if p.kind == "int"
            else app_commands.Range[str, 1, p.max_length])
    return base if p.required else Optional[base]  # noqa: UP045 - discord.py reads Optional


def slash_command(command: Command, *, ephemeral: Callable[[Services], bool]
                  ) -> app_commands.Command[Any, ..., None]:
    """The app command for a registry command."""

    async def callback(interaction: discord.Interaction[Any], **kwargs: Any) -> None:
        services: Services = interaction.client.services
        args = {k: v for k, v in kwargs.items() if v is not None}
        await answer(interaction, lambda: REGISTRY.run(services, command.name, args),
                     ephemeral=ephemeral(services))

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
        name=command.name, description=command.description, callback=cast(Any, described(callback)))
    for p in command.params:
        if p.autocomplete:
            slash.autocomplete(p.name)(_autocompleter(p.autocomplete))
    return slash


def _autocompleter(provider: str) -> Callable[
        [discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def autocomplete(interaction: discord.Interaction[Any], current: str
                           ) -> list[app_commands.Choice[str]]:
        services: Services = interaction.client.services
        choices = await asyncio.to_thread(complete, services, provider, current[:1000])
        return [app_commands.Choice(name=c.name, value=c.value) for c in choices]
    return autocomplete
