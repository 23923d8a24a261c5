"""Fixtures for the fake's own tests: the throwaway bot, connected (and synced)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.throwaway import ThrowawayBot


@pytest.fixture
async def bot(fake_discord: FakeDiscord) -> AsyncIterator[ThrowawayBot]:
    client = ThrowawayBot(fake_discord.guild_id)
    async with fake_discord.running(client):
        yield client


@pytest.fixture
async def synced(bot: ThrowawayBot) -> ThrowawayBot:
    await bot.sync_to_guild()
    return bot
