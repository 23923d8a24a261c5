"""``/settings``: a server's own choices over config.yaml (Manage Server only).

Inline lookups per channel or category and their mode, private answers, the
number of alternatives, the default edition. Stored in the state database with a
log of who changed what; the bot keeps every server's settings in memory
(``bot.guild_settings``) so commands read them without touching the database.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.commands import REGISTRY
from bot.app.guild_config import takes_edition
from bot.app.services import Services
from bot.client import BluebookBot
from bot.core.errors import UserError
from bot.core.settings.model import GuildSettings, inline_name
from bot.core.settings.show import Defaults, settings_reply
from bot.exts.bridge import SERVER_CONTEXT, SERVER_ONLY
from bot.exts.buttons import NO_PINGS, send_kwargs
from bot.storage.state import StateError, open_state

log = logging.getLogger(__name__)

admin_only = app_commands.checks.has_permissions(manage_guild=True)
InlineChannel = (discord.TextChannel | discord.Thread | discord.CategoryChannel
                 | discord.ForumChannel)
DEFAULT = "default"


class Settings(commands.Cog):
    settings = app_commands.Group(
        name="settings", description="This server's settings for the bot (Manage Server).",
        guild_only=True, default_permissions=discord.Permissions(manage_guild=True),
        allowed_installs=SERVER_ONLY, allowed_contexts=SERVER_CONTEXT)

    def __init__(self, bot: BluebookBot) -> None:
        self.bot = bot
        self.services: Services = bot.services
        config = self.services.config
        self.store = open_state(config.paths.state, config.state_password())

    async def cog_load(self) -> None:
        self.bot.guild_settings.update(await asyncio.to_thread(self.store.list))

    async def cog_unload(self) -> None:
        self.store.close()

    def _defaults(self) -> Defaults:
        c = self.services.config
        return Defaults(c.quote.ephemeral, c.quote.alternatives, tuple(c.inline.channels),
                        c.inline.mode, c.inline.cooldown_seconds)

    async def _show(self, interaction: discord.Interaction[Any], note: str = "") -> None:
        gid = interaction.guild_id
        assert gid is not None  # guild_only
        history = await asyncio.to_thread(self.store.history, gid)
        reply = settings_reply(self.bot.guild_settings.get(gid) or GuildSettings(),
                               self._defaults(), self.services.inline_status, history,
                               [c.name for c in REGISTRY if takes_edition(c)])
        await interaction.response.send_message(note, ephemeral=True, **send_kwargs(reply))

    async def _change(self, interaction: discord.Interaction[Any], name: str,
                      value: str | None) -> None:
        gid = interaction.guild_id
        assert gid is not None
        try:
            change = await asyncio.to_thread(self.store.set, gid, name, value,
                                             interaction.user.id, self.bot.clock())
        except UserError as exc:
            await interaction.response.send_message(str(exc), ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
            return
        self.bot.guild_settings[gid] = await asyncio.to_thread(self.store.get, gid)
        await self._show(interaction, f"Changed {change.name}: {change.old or DEFAULT} → "
                                      f"{change.new or DEFAULT}.")

    @settings.command(name="show")
    @admin_only
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        """This server's settings, where each comes from, and the latest changes."""
        await self._show(interaction)

    @settings.command(name="inline")
    @admin_only
    @app_commands.describe(channel="a channel, thread, forum or whole category",
                           mode="brackets: [[…]] only; quotes: also “…” of 8+ words and > lines")
    async def inline(self, interaction: discord.Interaction[Any], channel: InlineChannel,
                     mode: Literal["brackets", "quotes", "off", "default"]) -> None:
        """Turn inline lookups on or off in a channel or category, and pick their mode."""
        await self._change(interaction, inline_name(channel.id),
                           None if mode == DEFAULT else mode)

    @settings.command(name="private")
    @admin_only
    @app_commands.describe(value="true: /quote, /verify, /passage and /search answer privately")
    async def private(self, interaction: discord.Interaction[Any],
                      value: Literal["true", "false", "default"]) -> None:
        """Whether quotation answers are private by default."""
        await self._change(interaction, "private", None if value == DEFAULT else value)

    @settings.command(name="alternatives")
    @admin_only
    @app_commands.describe(count="how many other similar passages a quote reply lists "
                                 "(leave out for config.yaml's)")
    async def alternatives(self, interaction: discord.Interaction[Any],
                           count: app_commands.Range[int, 0, 5] | None = None) -> None:
        """How many alternative passages quotation answers show."""
        await self._change(interaction, "alternatives", None if count is None else str(count))

    @settings.command(name="edition")
    @admin_only
    @app_commands.describe(year="a Bluebook edition in the corpus (leave out for every edition)")
    async def edition(self, interaction: discord.Interaction[Any],
                      year: app_commands.Range[int, 1900, 2999] | None = None) -> None:
        """The Bluebook edition lookups use by default."""
        if year is not None:
            editions = {d.meta.edition for d in self.services.engine.corpus.documents.values()}
            if year not in editions:
                known = ", ".join(str(e) for e in sorted(x for x in editions if x)) or "none"
                await interaction.response.send_message(
                    f"The corpus has no {year} edition (it has: {known}).", ephemeral=True,
                    allowed_mentions=NO_PINGS)
                return
        await self._change(interaction, "edition", None if year is None else str(year))


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, BluebookBot)
    try:
        cog = Settings(bot)
    except (StateError, OSError) as exc:
        log.error("/settings disabled: %s", exc)  # config.yaml's defaults still apply
        return
    await bot.add_cog(cog)
