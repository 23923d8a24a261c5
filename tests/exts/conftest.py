from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.client import BluebookBot
from bot.core.quotes.matching import QuoteEngine
from tests.exts.discordkit import make_services
from tests.fakediscord import FakeDiscord


@pytest.fixture
async def bot(fake_discord: FakeDiscord, engine: QuoteEngine,
              tmp_path: Any) -> AsyncIterator[BluebookBot]:
    client = BluebookBot(make_services(engine, fake_discord.guild_id, tmp_path),
                         guild_ready_timeout=0.1)
    async with fake_discord.running(client):
        yield client


@pytest.fixture
async def private_bot(fake_discord: FakeDiscord, engine: QuoteEngine,
                      tmp_path: Any) -> AsyncIterator[BluebookBot]:
    """The bot with ``quote.ephemeral: true``: quotation replies only the asker sees."""
    client = BluebookBot(make_services(engine, fake_discord.guild_id, tmp_path, ephemeral=True),
                         guild_ready_timeout=0.1)
    async with fake_discord.running(client):
        yield client
