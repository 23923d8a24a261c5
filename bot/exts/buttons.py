"""Replies as discord.py objects, and the buttons on them.

Every button is restart-proof: :class:`ActionButton` is a ``DynamicItem`` whose
``custom_id`` encodes the whole command call (see :mod:`bot.core.rendering.cards`), and
whatever does not fit there (a long quotation) is read back from the message the
button sits on. Nothing is kept in memory between a reply and a click.

Who may page a list in place: only the person the message answered. An
ephemeral message can only be seen, so only be clicked, by its invoker, so it is
always edited; a public one is edited only when the clicker is the user Discord
records in its ``interaction_metadata``. Anyone else gets the page privately.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

import discord

from bot.app.commands import REGISTRY
from bot.app.services import Services
from bot.core.rendering.cards import ACTIONS_MAX, Action, Card, Reply, pages_in_place, read_echo
from bot.core.rendering.replies import error_reply
from bot.exts.errors import guarded
from bot.exts.worker import off_loop

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
POST_ID = "bb1-post"
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


def _style(primary: bool) -> discord.ButtonStyle:
    return discord.ButtonStyle.primary if primary else discord.ButtonStyle.secondary


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
                   template=r"bb1:(?P<call>.+)"):
    """A button that runs a command; restart-proof because the call is its custom_id."""

    def __init__(self, action: Action, custom_id: str) -> None:
        super().__init__(discord.ui.Button(label=action.label, custom_id=custom_id,
                                           style=_style(action.style == "primary")))
        self.action = action

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str]) -> ActionButton:
        assert isinstance(item, discord.ui.Button) and item.custom_id
        return cls(Action(label=item.label or "…"), item.custom_id)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, f"button {self.item.custom_id}", self._click(interaction))

    async def _click(self, interaction: discord.Interaction[Any]) -> None:
        services: Services = interaction.client.services
        custom_id = self.item.custom_id or ""
        message = interaction.message
        echo = read_echo((f.name or "", f.value or "") for f in message.embeds[0].fields) \
            if message and message.embeds else None
        was_private = bool(message and message.flags.ephemeral)
        paging = pages_in_place(custom_id)
        in_place = paging and may_replace(interaction)
        # A button answers privately when its message was private, and a page of
        # someone else's list is the clicker's own.
        private = was_private or paging
        reply, deferred = await compute(
            interaction,
            lambda: REGISTRY.run_custom_id(services, custom_id, echo)
            or error_reply("This button has expired."),
            ephemeral=private, in_place=in_place)
        if in_place and not reply.error:
            kwargs = send_kwargs(reply, postable=was_private)
            kwargs.setdefault("view", None)  # a last page without buttons clears the old ones
            if deferred:
                await interaction.edit_original_response(**kwargs)
            else:
                await interaction.response.edit_message(**kwargs)
            return
        await deliver(interaction, reply, deferred=deferred, ephemeral=private)


def may_replace(interaction: discord.Interaction[Any]) -> bool:
    """Whether the clicker may page the message in place (see the module docstring)."""
    message = interaction.message
    if message is None:
        return False
    if message.flags.ephemeral:
        return True
    asked = message.interaction_metadata
    return asked is not None and asked.user.id == interaction.user.id


class PostButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
                 template=POST_ID):
    """On a private reply: post the same cards publicly, as the clicker's own answer.

    Discord-only, so not an :class:`Action`: the shell has no private replies.
    """

    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="Post", custom_id=POST_ID,
                                           style=discord.ButtonStyle.secondary))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str]) -> PostButton:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, "button Post", self._click(interaction))

    async def _click(self, interaction: discord.Interaction[Any]) -> None:
        message = interaction.message
        if message is None or not message.embeds:
            await interaction.response.send_message("There is nothing to post.", ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
            return
        kwargs: dict[str, Any] = {"embeds": message.embeds, "allowed_mentions": NO_PINGS}
        buttons = copy_view(message)
        if buttons is not None:
            kwargs["view"] = buttons
        await interaction.response.send_message(**kwargs)
        log.info("user %s posted a private reply in channel %s", interaction.user.id,
                 interaction.channel_id)


def copy_view(message: discord.Message) -> discord.ui.View | None:
    """The buttons of *message* without "Post", for the public copy."""
    v = discord.ui.View(timeout=None)
    for row in message.components:
        for c in getattr(row, "children", ()):
            if not isinstance(c, discord.Button):
                continue
            if c.url:
                v.add_item(discord.ui.Button(label=c.label, url=c.url))
            elif c.custom_id and c.custom_id != POST_ID:
                primary = c.style == discord.ButtonStyle.primary
                v.add_item(ActionButton(Action(c.label or "…", style="primary" if primary
                                               else "secondary"), c.custom_id))
    return v if v.children else None


def view(reply: Reply, *, postable: bool = False) -> discord.ui.View | None:
    """The reply's actions as buttons; *postable*: a private reply also gets "Post"."""
    v = discord.ui.View(timeout=None)
    seen: set[str] = set()
    for action in reply.actions:
        if action.style == "link" and action.url:
            v.add_item(discord.ui.Button(label=action.label, url=action.url))
            continue
        custom_id = action.custom_id()
        # None: too long to encode, left to the text command. A repeated id would
        # make Discord reject the whole message, so the first button wins.
        if custom_id is not None and custom_id not in seen:
            seen.add(custom_id)
            v.add_item(ActionButton(action, custom_id))
    if postable and not reply.error and len(v.children) < ACTIONS_MAX:
        v.add_item(PostButton())
    return v if v.children else None


def send_kwargs(reply: Reply, *, postable: bool = False) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"embeds": [embed(c) for c in reply.cards],
                              "allowed_mentions": NO_PINGS}
    v = view(reply, postable=postable)
    if v is not None:
        kwargs["view"] = v
    return kwargs


async def compute(interaction: discord.Interaction[Any], work: Callable[[], Reply],
                  *, ephemeral: bool, in_place: bool = False) -> tuple[Reply, bool]:
    """*work*'s reply, and whether the interaction had to be deferred because it took
    longer than :data:`DEFER_AFTER`: as "thinking…", or (*in_place*, for a button
    that will edit its own message) as a pending edit."""
    task = asyncio.ensure_future(off_loop(work))
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if done:
        return task.result(), False
    if in_place:
        await interaction.response.defer()
    else:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task, True


async def deliver(interaction: discord.Interaction[Any], reply: Reply, *, deferred: bool,
                  ephemeral: bool, content: str | None = None) -> None:
    """Send *reply* as the interaction's answer. Fast answers go out directly, so
    errors can be private; after a defer, an error replaces the public "thinking…"
    with a private note. A private reply gets a "Post" button."""
    # Private when the server asked for private replies, when the reply itself is
    # only for the asker (help, about, errors).
    private = ephemeral or reply.ephemeral or reply.error
    kwargs = send_kwargs(reply, postable=private)
    if content:
        kwargs["content"] = content
    if not deferred:
        await interaction.response.send_message(**kwargs, ephemeral=private)
    elif private and not ephemeral:  # the public "thinking…" gives way to a private answer
        await interaction.delete_original_response()
        await interaction.followup.send(**kwargs, ephemeral=True)
    else:
        await interaction.followup.send(**kwargs, ephemeral=ephemeral)
