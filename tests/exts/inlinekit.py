"""The bot with inline lookups on, for the end-to-end tests of messages in channels."""

from __future__ import annotations

import random
from pathlib import Path

from bot.app.services import Services, load_deck
from bot.client import BluebookBot
from bot.core.quotes.matching import QuoteEngine
from bot.storage.config_file import parse_config_text
from tests.conftest import ROOT
from tests.fakediscord import FakeDiscord

QUOTE = "[[the united states is japans only ally]]"
SOURCE = "The United States (U.S.) is Japan's only ally"


def inline_services(engine: QuoteEngine, fake: FakeDiscord, tmp: Path, *,
                    message_content: bool = True, channels: list[int] | None = None,
                    mode: str = "brackets", cooldown: float = 0) -> Services:
    chans = [fake.text_channel_id] if channels is None else channels
    config = parse_config_text(
        f"discord:\n  guilds: [{fake.guild_id}]\n"
        f"  message_content: {str(message_content).lower()}\n"
        f"paths:\n  state: {tmp}/state.sqlite3\n"
        f"inline:\n  channels: {chans}\n  mode: {mode}\n  cooldown_seconds: {cooldown}\n",
        base=ROOT)
    deck, problem = load_deck(config.facts_dir, engine)
    assert deck is not None, problem
    return Services(engine, deck, random.Random(7), config)


def handled(bot: BluebookBot) -> int:
    """How many message events the Inline cog has dealt with. (load_extension imports
    the module afresh, so its class is not the one this file could import.)"""
    cog = bot.get_cog("Inline")
    assert cog is not None, "inline lookups are not loaded"
    return int(cog.handled)  # type: ignore[attr-defined]


async def settle(fake: FakeDiscord, bot: BluebookBot, events: int) -> None:
    """Wait until the bot has dealt with *events* message events (answered or not)."""
    await fake.wait_until(lambda: handled(bot) >= events, what=f"{events} message events")
