"""The Discord client: loads the extensions, syncs the command tree, and shuts down cleanly.

With ``discord.shards`` set, the client is an :class:`AutoShardedBot` running
``discord.shard_ids`` (default: every shard) in this process. Command sync is one
bulk overwrite for the whole application, so only the process that runs shard 0
(or an unsharded one) does it; daily posts go out only from the process that
leads (:mod:`bot.exts.daily_lead`), whichever shards it runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import discord
from discord.ext import commands

from bot.app.services import Services
from bot.core.settings.model import GuildSettings
from bot.exts.worker import freeze_startup_heap, tune_switch_interval

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.exts.errors",
    "bot.exts.quotes",
    "bot.exts.facts",
    "bot.exts.meta",
    "bot.exts.health",
    "bot.exts.daily",
    "bot.exts.settings",
    "bot.exts.inline",
)

INLINE_ON = "on in the channels a server turns them on for (/settings inline)"
INLINE_NOT_ASKED = ("off: the bot does not request the Message Content intent (set "
                    "discord.message_content: true in config.yaml, and turn the intent on "
                    "in the Developer Portal)")
INLINE_REFUSED = ("off: Discord refused the Message Content intent; turn it on in the "
                  "Developer Portal (Bot → Privileged Gateway Intents) and restart")


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class BluebookBot(commands.Bot):
    """Slash commands only: no prefix commands. The one privileged intent, Message
    Content, is requested only when ``discord.message_content`` is on (inline
    lookups); *refused*: Discord turned it down last time, so it is not asked for."""

    def __init__(self, services: Services, *, clock: Callable[[], dt.datetime] = system_clock,
                 refused: bool = False, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # GUILD_CREATE: channel and role data for replies and posts
        self.message_content = services.config.discord.message_content and not refused
        if self.message_content:
            intents.guild_messages = True  # MESSAGE_CREATE / UPDATE / DELETE in servers
            intents.message_content = True
        services.inline_status = (INLINE_ON if self.message_content
                                  else INLINE_REFUSED if refused else INLINE_NOT_ASKED)
        super().__init__(command_prefix=commands.when_mentioned, intents=intents,
                         help_command=None, allowed_mentions=discord.AllowedMentions.none(),
                         **options)
        self.services = services
        # "Now" for the daily posts; tests pass a clock they can move.
        self.clock = clock
        # Each server's /settings, kept here by bot.exts.settings for every command to read.
        self.guild_settings: dict[int, GuildSettings] = {}

    @property
    def syncs_commands(self) -> bool:
        """Whether this process syncs the command tree: unsharded, or running shard 0."""
        ids = getattr(self, "shard_ids", None)
        return ids is None or 0 in ids

    async def setup_hook(self) -> None:
        tune_switch_interval()  # the event loop gets the GIL back quickly from searches
        for name in EXTENSIONS:
            await self.load_extension(name)
        if self.syncs_commands:
            await self.sync_commands()
        else:
            log.info("not syncing commands: the process running shard 0 does")
        freeze_startup_heap()  # start-up is done: full collections skip all of it

    async def sync_commands(self) -> None:
        """Sync to the configured guilds at once, or globally when there are none."""
        guilds = self.services.config.discord.guilds
        if not guilds:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))
            return
        for guild_id in guilds:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %d", len(synced), guild_id)

    async def on_ready(self) -> None:
        log.info("connected as %s to %d guild(s)", self.user, len(self.guilds))


class ShardedBluebookBot(BluebookBot, commands.AutoShardedBot):
    """The same bot over several gateway connections (``discord.shards``)."""


def make_bot(services: Services, **options: Any) -> BluebookBot:
    """The client the config asks for: sharded when ``discord.shards`` is set."""
    shards = services.config.discord.shards
    if shards is None:
        return BluebookBot(services, **options)
    if shards != "auto":
        options["shard_count"] = shards
        options["shard_ids"] = services.config.discord.shard_ids
    return ShardedBluebookBot(services, **options)
