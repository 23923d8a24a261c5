"""A state that cannot be opened at start-up: daily posts wait for it, say so, and recover."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.client import BluebookBot
from bot.core.quotes.matching import QuoteEngine
from bot.exts.daily import Daily
from tests.exts.dailykit import SLOT, Clock, as_admin, daily_services, daily_yaml, posts_in
from tests.exts.discordkit import answer_of
from tests.fakediscord import FakeDiscord


def _daily(client: BluebookBot) -> Daily:
    cog = client.get_cog("Daily")
    assert cog is not None and type(cog).__name__ == "Daily"
    return cog  # type: ignore[return-value]


async def test_an_unusable_state_file_disables_daily_posts_only_and_says_so(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    (tmp_path / "state.sqlite3").write_bytes(b"not a database" * 100)
    services = daily_services(engine, fake_discord, tmp_path)
    client = BluebookBot(services, clock=Clock(), guild_ready_timeout=0.1)
    async with fake_discord.running(client):
        cog = _daily(client)
        await fake_discord.wait_until(lambda: cog.health_problem is not None)
        about = await answer_of(await fake_discord.slash_command("about", {}))
        assert about["embeds"]  # everything else keeps working
        status = str((await as_admin(fake_discord, "daily status"))["embeds"])
        assert "disabled" in status and "not a usable database" in status
        beat = services.config.health_file
        await fake_discord.wait_until(
            lambda: beat.exists() and json.loads(beat.read_text()).get("problems"),
            what="a heartbeat naming the problem")
        config = tmp_path / "config.yaml"
        config.write_text(f"paths:\n  state: {tmp_path}/state.sqlite3\n")
        assert main(["health", "--config", str(config)]) == 1  # unhealthy while disabled


async def test_a_state_file_locked_at_start_up_is_opened_when_freed_and_posts_on_time(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.storage.state.sqlite.BUSY_TIMEOUT", 0.05)
    path = tmp_path / "state.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process writing the fresh file
    cid = fake_discord.text_channel_id
    services = daily_services(engine, fake_discord, tmp_path, daily_yaml(cid))
    clock = Clock()
    client = BluebookBot(services, clock=clock, guild_ready_timeout=0.1)
    async with fake_discord.running(client):
        cog = _daily(client)
        await fake_discord.wait_until(lambda: cog.health_problem is not None)
        assert "locked" in (cog.health_problem or "")
        status = str((await as_admin(fake_discord, "daily status"))["embeds"])
        assert "disabled" in status and "Retrying" in status
        other.execute("ROLLBACK")
        other.close()
        await fake_discord.wait_until(lambda: cog.keeper.opened.is_set(), timeout=10,
                                      what="the state to open after the lock")
        assert cog.health_problem is None
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
        assert len(posts_in(fake_discord, cid)) == 1
        status = str((await as_admin(fake_discord, "daily status"))["embeds"])
        assert "This process makes the posts" in status


async def test_a_second_bot_on_the_same_state_stands_by_and_says_so(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    fake_discord.concurrent_sessions = True
    cid = fake_discord.text_channel_id
    services = daily_services(engine, fake_discord, tmp_path, daily_yaml(cid))
    clock = Clock()
    first = BluebookBot(services, clock=clock, guild_ready_timeout=0.1)
    second = BluebookBot(services, clock=clock, guild_ready_timeout=0.1)
    async with fake_discord.running(first), fake_discord.running(second):
        leader, standby = _daily(first), _daily(second)
        await fake_discord.wait_until(lambda: standby.keeper.opened.is_set())
        assert leader.keeper.leading and not standby.keeper.leading
        # Interactions now reach the second bot: it answers, as a standby.
        status = str((await as_admin(fake_discord, "daily status"))["embeds"])
        assert "Standby: another process makes the posts" in status
        refused = str(await as_admin(fake_discord, "daily post-now", channel=cid))
        assert "Only that process can post now" in refused
        clock.set(SLOT + dt.timedelta(seconds=1))
        await standby.poster.tick()
        await leader.poster.tick()
        assert len(posts_in(fake_discord, cid)) == 1
