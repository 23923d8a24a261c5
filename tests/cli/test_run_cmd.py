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

from bot.app.commands import REGISTRY
from bot.app.services import Services, load_deck
from bot.cli import main
from bot.cli.run_cmd import _serve, reload_facts
from bot.core.quotes.matching import QuoteEngine
from bot.storage.config_file import parse_config_text
from bot.storage.facts_files import DeckHolder
from tests.exts.discordkit import answer_of, make_services
from tests.factkit import GOOD, LINCHPIN, cards, write_facts
from tests.fakediscord import FakeDiscord


def _services_on(facts: Path, engine: QuoteEngine, guild_id: int, tmp: Path) -> Services:
    """Services serving the fact cards in *facts*, as ``bluebook-bot run`` builds them."""
    config = parse_config_text(f"discord:\n  guilds: [{guild_id}]\npaths:\n"
                               f"  state: {tmp}/state.sqlite3\n  facts: {facts}\n")
    deck, problem = load_deck(config.facts_dir, engine)
    assert deck is not None, problem
    return Services(engine, deck, config=config)


def _fact_title(services: Services, card_id: str) -> str:
    reply = REGISTRY.run(services, "fact", {"id": card_id})
    return reply.cards[0].title


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


def test_a_reload_keeps_the_last_good_deck_until_the_cards_are_fixed(
        engine: QuoteEngine, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    facts = write_facts(tmp_path / "facts", {"a.yaml": cards(GOOD.format(id="only-ally"))})
    services = _services_on(facts, engine, 1, tmp_path)
    holder = DeckHolder(facts, engine, services.deck)
    (facts / "b.yaml").write_text(cards(GOOD.format(id="Bad Id"), LINCHPIN), encoding="utf-8")
    problems = reload_facts(services, holder)
    assert [p.where for p in problems] == ["card 'Bad Id'"]
    assert "card 'Bad Id'" in caplog.text  # each problem is logged, not just a count
    # Still serving the last good deck: the old card works, the new one is not half-loaded.
    assert _fact_title(services, "only-ally") == "The United States is Japan's only ally"
    assert _fact_title(services, "linchpin-2010") == "Not found"
    (facts / "b.yaml").write_text(cards(LINCHPIN), encoding="utf-8")
    assert reload_facts(services, holder) == []
    assert _fact_title(services, "linchpin-2010") == "The linchpin of Japanese diplomacy"


async def test_sighup_reloads_the_fact_cards_of_a_running_bot(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    facts = write_facts(tmp_path / "facts", {"a.yaml": cards(GOOD.format(id="only-ally"))})
    services = _services_on(facts, engine, fake_discord.guild_id, tmp_path)
    first = services.deck
    serving = asyncio.create_task(_serve(services, "fake-token"))
    await fake_discord.wait_connected(identifies=1)
    await fake_discord.wait_until(lambda: bool(fake_discord.commands(fake_discord.guild_id)))
    (facts / "b.yaml").write_text(cards(GOOD.format(id="Bad Id")), encoding="utf-8")
    os.kill(os.getpid(), signal.SIGHUP)
    await fake_discord.wait_until(lambda: "keeping the last good deck" in caplog.text,
                                  what="the broken reload")
    assert "card 'Bad Id'" in caplog.text
    assert services.deck is first and not serving.done()  # nothing a reader can see
    (facts / "b.yaml").write_text(cards(LINCHPIN), encoding="utf-8")
    os.kill(os.getpid(), signal.SIGHUP)
    await fake_discord.wait_until(lambda: services.deck is not first, what="the reload")
    message = await answer_of(await fake_discord.slash_command("fact", {"id": "linchpin-2010"}))
    assert message["embeds"][0]["title"] == "The linchpin of Japanese diplomacy"
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(serving, 10)


def test_a_reload_serves_a_changed_corpus_and_keeps_the_last_good_one(
        engine: QuoteEngine, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import shutil

    from bot.cli.run_cmd import reload_content
    from bot.storage.config_file import Config
    from tests.conftest import CORPUS

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    facts = write_facts(tmp_path / "facts", {"a.yaml": cards(GOOD.format(id="only-ally"))})
    services = _services_on(facts, engine, 1, tmp_path)
    services.config = Config.model_validate(
        {"paths": {"corpus": str(corpus), "facts": str(facts)}})
    holder = DeckHolder(facts, engine, services.deck)
    (corpus / "extra-2012.txt").write_text(
        "1 Overview\n\nJapan welcomes a new chapter of cooperation with its neighbours.\n")
    assert reload_facts(services, holder) == []
    assert "extra-2012" in services.engine.corpus.documents
    good = services.engine
    # The card's quote disappears from the corpus: reported, and nothing changes.
    source = corpus / "dbb2025-ch2-s3-north-america.txt"
    source.write_text(source.read_text().replace("only ally", "closest ally"))
    problems = reload_content(services, holder)
    assert problems and "keeping the last good corpus" in caplog.text
    assert services.engine is good
    (corpus / "corpus.yaml").write_text("documents: [\n")  # a broken manifest
    assert reload_facts(services, holder) and services.engine is good
