"""Inline lookups: a member's message with ``[[…]]`` (or, in quotes mode, a long
quoted sentence or ``> `` lines) gets one compact reply, where a server has turned
them on (``inline.channels`` in config.yaml, or ``/settings inline``).

One reply per message: an edit of the message edits the reply (or deletes it when
nothing is left to answer), and deleting the message deletes the reply. Which reply
answers which message is kept in the state database, so this holds across
restarts. Bots and webhooks are ignored; a cooldown per channel and per member
keeps busy channels quiet. Lookups run on the search thread, never on the event loop.
Needs the Message Content intent (``discord.message_content``): without it no
message event reaches this cog at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import discord
from discord.ext import commands

from bot.app.inline import check
from bot.client import BluebookBot
from bot.core.inline.answer import inline_reply
from bot.core.inline.cooldown import Cooldown
from bot.core.inline.extract import Mode, Quotation, extract
from bot.core.rendering.cards import Reply
from bot.core.settings.model import GuildSettings, inline_mode
from bot.exts.buttons import send_kwargs
from bot.exts.worker import off_loop
from bot.storage.state import StateError, open_state

log = logging.getLogger(__name__)


def _chain(channel: Any) -> list[int]:
    """The channel, then what contains it: a thread's parent, then the category
    (a forum post is a thread too, so a forum's setting covers its posts)."""
    out = [channel.id]
    holder = channel
    if isinstance(channel, discord.Thread):
        out.append(channel.parent_id)
        holder = channel.parent  # None when not cached: then only the thread and parent
    category = getattr(holder, "category_id", None)
    if category is not None:
        out.append(int(category))
    return out


class Inline(commands.Cog):
    def __init__(self, bot: BluebookBot) -> None:
        self.bot = bot
        config = bot.services.config
        self.replies = open_state(config.paths.state, config.state_password())
        self.cooldown = Cooldown(config.inline.cooldown_seconds)
        # One update at a time per message, so an edit racing the first reply
        # cannot make a second one.
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}  # per message: updates holding or awaiting its lock
        # Events about others' messages dealt with (answered or not): tests wait on it.
        self.handled = 0

    async def cog_unload(self) -> None:
        self.replies.close()

    def mode_for(self, message: discord.Message) -> Mode | None:
        if message.guild is None:
            return None
        config = self.bot.services.config.inline
        settings = self.bot.guild_settings.get(message.guild.id, GuildSettings())
        return inline_mode(settings, _chain(message.channel), config.channels, config.mode)

    @staticmethod
    def _ignored(message: discord.Message) -> bool:
        return message.author.bot or message.webhook_id is not None or message.guild is None

    async def _answer(self, quotations: list[Quotation]) -> Reply | None:
        if not quotations:
            return None
        checked = await off_loop(check, self.bot.services.engine, quotations, top=0)
        return inline_reply(checked)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if self.bot.user is not None and message.author.id == self.bot.user.id:
            return  # our own reply, echoed back
        if not self._ignored(message):
            await self._update(message, new=True)
        self.handled += 1

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        message = payload.message
        if self.bot.user is not None and message.author.id == self.bot.user.id:
            return
        # No content: an embed appearing, a pin, not an edit of the words.
        if "content" in payload.data and not self._ignored(message):
            await self._update(message, new=False)
        self.handled += 1

    async def _update(self, message: discord.Message, *, new: bool) -> None:
        lock = self._locks.setdefault(message.id, asyncio.Lock())
        self._waiting[message.id] = self._waiting.get(message.id, 0) + 1
        try:
            async with lock:
                await self._update_locked(message, new=new)
        except discord.HTTPException as exc:
            log.warning("inline reply to message %d in channel %d failed: %s", message.id,
                        message.channel.id, exc)
        finally:
            self._waiting[message.id] -= 1
            if not self._waiting[message.id]:  # the last one: nothing can hold it now
                del self._waiting[message.id], self._locks[message.id]

    async def _update_locked(self, message: discord.Message, *, new: bool) -> None:
        mode = self.mode_for(message)
        if mode is None:
            return
        # Finding the quotations is linear in a message of at most 4,000 characters,
        # so it runs here; looking them up goes to the search thread.
        quotations = extract(message.content or "", mode)
        known = None if new else await asyncio.to_thread(self.replies.reply_for, message.id)
        if known is None:
            if not quotations:
                return
            # A new answer: the cooldown applies, and is spent before the lookup, so
            # a burst of messages cannot all start one.
            channel_id, member_id = message.channel.id, message.author.id
            now = time.monotonic()
            if not self.cooldown.allow(channel_id, member_id, now):
                log.debug("inline: cooldown in channel %d for member %d", channel_id, member_id)
                return
            reply = await self._answer(quotations)
            if reply is None:
                self.cooldown.release(channel_id, member_id)
                return
            sent = await message.reply(**send_kwargs(reply), mention_author=False)
            await asyncio.to_thread(self.replies.remember, message.id, message.channel.id,
                                    sent.id, self.bot.clock())
            return
        reply = await self._answer(quotations)
        channel_id, reply_id = known
        old = self.bot.get_partial_messageable(channel_id).get_partial_message(reply_id)
        if reply is None:
            await self._delete(message.id, old)
            return
        kwargs = send_kwargs(reply)
        kwargs.setdefault("view", None)  # a reply that lost its buttons
        try:
            await old.edit(**kwargs)
        except discord.NotFound:  # someone deleted the reply: answer afresh
            await asyncio.to_thread(self.replies.forget, message.id)
            sent = await message.reply(**send_kwargs(reply), mention_author=False)
            await asyncio.to_thread(self.replies.remember, message.id, message.channel.id,
                                    sent.id, self.bot.clock())

    async def _delete(self, message_id: int, reply: discord.PartialMessage) -> None:
        await asyncio.to_thread(self.replies.forget, message_id)
        with contextlib.suppress(discord.NotFound):
            await reply.delete()

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self._forget_many(payload.channel_id, [payload.message_id])
        self.handled += 1

    @commands.Cog.listener()
    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent
                                         ) -> None:
        await self._forget_many(payload.channel_id, sorted(payload.message_ids))

    async def _forget_many(self, channel_id: int, message_ids: list[int]) -> None:
        for message_id in message_ids:
            known = await asyncio.to_thread(self.replies.reply_for, message_id)
            if known is None:
                continue
            partial = self.bot.get_partial_messageable(known[0]).get_partial_message(known[1])
            try:
                await self._delete(message_id, partial)
            except discord.HTTPException as exc:
                log.warning("could not delete inline reply %d: %s", known[1], exc)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, BluebookBot)
    if not bot.message_content:
        log.info("inline lookups off: %s", bot.services.inline_status)
        return
    try:
        cog = Inline(bot)
    except (StateError, OSError) as exc:
        log.error("inline lookups disabled: %s", exc)
        return
    await bot.add_cog(cog)
