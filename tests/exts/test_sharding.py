"""Sharding: two shards in one process, and two processes with one shard each."""

from __future__ import annotations

import random
from pathlib import Path

from bot.app.services import Services, load_deck
from bot.client import ShardedBluebookBot, make_bot
from bot.core.quotes.matching import QuoteEngine
from bot.storage.config_file import parse_config_text
from tests.conftest import ROOT
from tests.exts.botproc import LEADS, STANDBY, BotProcess, write_config
from tests.exts.discordkit import answer_of
from tests.fakediscord import FakeDiscord

SYNC = r"/applications/\d+/guilds/\d+/commands"


async def test_two_shards_in_one_process_sync_once_and_answer_commands(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    fake = fake_discord
    fake.shard_count = 2  # GET /gateway/bot says two
    config = parse_config_text(
        f"discord:\n  guilds: [{fake.guild_id}]\n  shards: auto\n"
        f"paths:\n  state: {tmp_path}/state.sqlite3\n", base=ROOT)
    deck, problem = load_deck(config.facts_dir, engine)
    assert deck is not None, problem
    client = make_bot(Services(engine, deck, random.Random(7), config), guild_ready_timeout=0.1)
    assert isinstance(client, ShardedBluebookBot)
    async with fake.running(client, timeout=15):
        await fake.wait_until(lambda: len(fake.identified_shards) == 2, what="two shards")
        assert sorted(fake.identified_shards) == [(0, 2), (1, 2)]
        assert client.shard_count == 2 and client.get_guild(fake.guild_id) is not None
        assert len(fake.requests_to("PUT", SYNC)) == 1
        answer = await answer_of(await fake.slash_command("fact", {"id": "only-ally"}))
        assert answer["embeds"][0]["title"] == "The United States is Japan's only ally"


async def test_two_processes_one_shard_each_sync_once_and_one_of_them_posts(
        fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake = fake_discord
    state = str(tmp_path / "state.sqlite3")
    procs = []
    for shard in (0, 1):
        config = write_config(tmp_path / f"shard{shard}.yaml", fake, state, [],
                              f"  shards: 2\n  shard_ids: [{shard}]\n")
        procs.append(BotProcess(fake.api_base, fake.gateway_url, config,
                                tmp_path / f"shard{shard}.log"))
    try:
        for proc in procs:
            await proc.start()
        await fake.wait_until(lambda: len(fake.identified_shards) == 2 and fake.connected,
                              timeout=40, what="both shards", poll=0.2)
        assert sorted(fake.identified_shards) == [(0, 2), (1, 2)]
        await fake.wait_until(
            lambda: sorted((LEADS in p.text(), STANDBY in p.text()) for p in procs)
            == [(False, True), (True, False)], timeout=20, what="one leader", poll=0.2)
        assert len(fake.requests_to("PUT", SYNC)) == 1
        assert "not syncing commands" in procs[1].text()
        # The guild's shard answers, whichever process runs it.
        answer = await answer_of(await fake.slash_command("fact", {"id": "only-ally"}))
        assert answer["embeds"][0]["title"] == "The United States is Japan's only ally"
    finally:
        for proc in procs:
            await proc.stop()
