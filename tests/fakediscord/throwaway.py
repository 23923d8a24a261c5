"""The throwaway bot the fake's own tests drive; it exists only to exercise the fake."""

from __future__ import annotations

import io
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import FakeDiscord


class PersistentView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Next", custom_id="persistent:next")
    async def next_card(self, interaction: discord.Interaction,
                        button: discord.ui.Button[PersistentView]) -> None:
        await interaction.response.edit_message(content="next card")


class FlipButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
                 template=r"card:(?P<card_id>[0-9]+)"):
    def __init__(self, card_id: int) -> None:
        super().__init__(discord.ui.Button(label="Flip", custom_id=f"card:{card_id}"))
        self.card_id = card_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction,
                             item: discord.ui.Item[Any],
                             match: re.Match[str]) -> FlipButton:
        return cls(int(match["card_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(content=f"card {self.card_id} flipped")


TOPICS = ["ODA", "Official Development Assistance", "Oceans", "Peacekeeping"]


class ThrowawayBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=discord.Intents.default(),
                         help_command=None, guild_ready_timeout=0.1)
        self.guild_id = guild_id
        self._install_commands()

    async def setup_hook(self) -> None:
        self.add_view(PersistentView())
        self.add_dynamic_items(FlipButton)

    def _install_commands(self) -> None:
        tree = self.tree

        @tree.command(description="Answer at once")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong")

        fact = app_commands.Group(name="fact", description="Fact cards")

        @fact.command(name="show", description="Show a fact card")
        @app_commands.describe(topic="Topic to show", year="Bluebook year")
        async def show(interaction: discord.Interaction, topic: str, year: int = 2024) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(f"{topic} ({year})")

        @show.autocomplete("topic")
        async def topic_ac(interaction: discord.Interaction, current: str
                           ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=t, value=t) for t in TOPICS
                    if t.lower().startswith(current.lower())]

        tree.add_command(fact)

        @tree.command(description="Send a card as a file")
        async def card(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True)
            await interaction.followup.send(
                "card attached", file=discord.File(io.BytesIO(b"ODA facts"), "card.txt"),
                ephemeral=True)

        @tree.command(description="Exercise every webhook route of an interaction")
        async def lifecycle(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("v1")
            await interaction.edit_original_response(content="v2")
            original = await interaction.original_response()
            extra = await interaction.followup.send(f"saw {original.content}", wait=True)
            await extra.edit(content="extra edited")
            fetched = await interaction.followup.fetch_message(extra.id)
            await interaction.followup.send(f"fetched {fetched.content}")
            await extra.delete()
            await interaction.delete_original_response()

        @tree.context_menu(name="Quote this")
        async def quote_this(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(f"> {message.content}", ephemeral=True)

    async def sync_to_guild(self) -> list[app_commands.AppCommand]:
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        return await self.tree.sync(guild=guild)


def text_channel(bot: discord.Client, fake: FakeDiscord) -> discord.TextChannel:
    channel = bot.get_channel(fake.text_channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel
