"""``bluebook-bot run`` and ``health``: the real process path, against the loopback Discord."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.cli.run_cmd import _serve
from bot.core.matching import QuoteEngine
from tests.exts.discordkit import make_services
from tests.fakediscord import FakeDiscord


async def test_sigterm_shuts_the_bot_down_cleanly(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Any) -> None:
    services = make_services(engine, fake_discord.guild_id, tmp_path)
    serving = asyncio.create_task(_serve(services, "fake-token"))
    await fake_discord.wait_connected(identifies=1)
    await fake_discord.wait_until(lambda: bool(fake_discord.commands(fake_discord.guild_id)))
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(serving, 10)  # returns: no hang, no exception
    assert not fake_discord.connected


def test_run_without_a_token_says_how_to_give_one(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["run"]) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err


def test_health_reads_the_heartbeat_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("paths:\n  state: data/state.sqlite3\n")
    assert main(["health", "--config", str(config)]) == 1
    beat = tmp_path / "data" / "health.json"
    beat.parent.mkdir()
    beat.write_text(json.dumps({"time": time.time(), "latency": 0.05}))
    assert main(["health", "--config", str(config)]) == 0
    assert "healthy" in capsys.readouterr().out
    beat.write_text(json.dumps({"time": time.time() - 3600, "latency": 0.05}))
    assert main(["health", "--config", str(config)]) == 1
