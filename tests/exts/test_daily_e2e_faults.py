"""Daily posts end to end when Discord or the state file fails: in status, retried, isolated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.core.quotes.matching import QuoteEngine
from tests.exts.dailykit import (
    SLOT,
    Clock,
    as_admin,
    daily_services,
    daily_yaml,
    posts_in,
    running_daily,
    sends_to,
)
from tests.exts.discordkit import answer_of
from tests.fakediscord import FakeDiscord


async def test_a_forbidden_channel_shows_in_status_and_the_bot_keeps_serving(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    clock = Clock()
    services = daily_services(engine, fake_discord, tmp_path, daily_yaml(cid))
    async with running_daily(fake_discord, services, clock) as cog:
        fake_discord.forbid_channel(cid)
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
        status = str((await as_admin(fake_discord, "daily status"))["embeds"])
        assert "Missing Access" in status and "permissions" in status
        about = await answer_of(await fake_discord.slash_command("about", {}))
        assert about["embeds"]
        # Fixed: the retry (after its backoff) posts, once.
        fake_discord.clear_faults()
        clock.set(SLOT + dt.timedelta(hours=1))
        await cog.poster.tick()
        assert len(posts_in(fake_discord, cid)) == 1


async def test_an_outage_is_retried_with_backoff_and_posts_once(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    clock = Clock()
    services = daily_services(engine, fake_discord, tmp_path, daily_yaml(cid))
    async with running_daily(fake_discord, services, clock) as cog:
        fake_discord.set_outage()
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
        fake_discord.set_outage(False)
        clock.set(SLOT + dt.timedelta(seconds=30))  # before the first retry (1 min)
        await cog.poster.tick()
        assert posts_in(fake_discord, cid) == []
        clock.set(SLOT + dt.timedelta(minutes=1, seconds=2))
        await cog.poster.tick()
        assert len(posts_in(fake_discord, cid)) == 1
        status = str((await as_admin(fake_discord, "daily status"))["embeds"])
        assert "503" in status and "jump to it" in status
        sends = sends_to(fake_discord, cid)
        assert len(sends) == 2 and sends[0].json["nonce"] == sends[1].json["nonce"]
