"""The heartbeat file behind Docker's HEALTHCHECK, with the real bot."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bot.client import BluebookBot
from bot.core.quotes.matching import QuoteEngine
from tests.exts.discordkit import make_services
from tests.fakediscord import FakeDiscord


async def test_a_connected_bot_writes_a_fresh_heartbeat_and_a_stale_one_is_cleared(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    services = make_services(engine, fake_discord.guild_id, tmp_path)
    beat = services.config.health_file
    beat.parent.mkdir(parents=True, exist_ok=True)
    beat.write_text(json.dumps({"time": time.time(), "latency": 0.0}))  # the last run's
    stale = beat.stat().st_mtime_ns
    bot = BluebookBot(services, guild_ready_timeout=0.1)
    async with fake_discord.running(bot):
        await fake_discord.wait_until(lambda: beat.exists() and beat.stat().st_mtime_ns != stale)
        written = json.loads(beat.read_text())
    assert time.time() - written["time"] < 5
    assert written["latency"] >= 0
