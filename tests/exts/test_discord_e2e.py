"""The real bot, end to end, against the loopback Discord: every command, every
autocomplete, the context menu and the buttons go through INTERACTION_CREATE and
come back through the callback and webhook endpoints."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.app.commands import REGISTRY
from bot.cli import main
from bot.client import BluebookBot
from bot.core.quotes.matching import QuoteEngine
from tests.exts.discordkit import EPHEMERAL, buttons, make_services
from tests.exts.discordkit import answer_of as _answer
from tests.exts.discordkit import no_pings as _no_pings
from tests.fakediscord import FakeDiscord


async def test_commands_sync_with_names_options_and_descriptions(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    synced = {c["name"]: c for c in fake_discord.commands(fake_discord.guild_id)}
    assert set(REGISTRY.names) | {"Find in Bluebook", "daily", "settings"} == set(synced)
    for command in REGISTRY:
        remote = synced[command.name]
        assert remote["description"] == command.description
        options = {o["name"]: o for o in remote.get("options", [])}
        assert list(options) == [p.name for p in command.params]
        for p in command.params:
            assert options[p.name]["description"] == p.description
            assert options[p.name].get("required", False) == p.required
            assert options[p.name].get("autocomplete", False) == bool(p.autocomplete)
    assert synced["Find in Bluebook"]["type"] == 3
    # Commands only buttons reach stay out of the tree and out of help.
    assert REGISTRY.internal_names and not set(REGISTRY.internal_names) & set(synced)


async def test_quote_shows_the_passage_with_the_matched_words_in_bold(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.slash_command(
        "quote", {"text": "the united states is japans only ally"})
    message = await _answer(handle)
    _no_pings(message)
    embed = message["embeds"][0]
    assert "**The United States (U.S.) is Japan's only ally**" in embed["description"]
    assert "Overview, ¶2" in str(embed)
    buttons = [c for row in message["components"] for c in row["components"]]
    assert any(b["custom_id"].startswith("bb1:highlight") for b in buttons)
    assert not message.get("flags", 0) & EPHEMERAL


async def test_verify_strikes_wrong_words_and_bolds_the_source(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.slash_command(
        "verify",
        {"text": "The strong Japan US alliance is the lynchpin of Japans security policy"})
    embed = (await _answer(handle))["embeds"][0]
    assert "~~lynchpin~~ **linchpin**" in embed["description"]
    assert "Close" in embed["title"] or "Partial" in embed["title"]


async def test_no_match_is_a_private_reply_with_suggestions(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.slash_command(
        "quote", {"text": "Mexico is an important partner for Japanese companies"})
    message = await _answer(handle)
    assert message["flags"] & EPHEMERAL
    _no_pings(message)


async def test_mentions_in_a_query_never_ping(bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.slash_command(
        "verify", {"text": "@everyone the united states is japans only ally <@123>"})
    message = await _answer(handle)
    _no_pings(message)


@pytest.mark.parametrize(("command", "options"), [
    ("fact", {}), ("fact", {"topic": "canada"}), ("fact", {"id": "only-ally"}),
    ("passage", {"id": "dbb2025-na.overview.p4"}), ("search", {"query": "icebreakers Arctic"}),
    ("topics", {}), ("about", {}), ("help", {}),
])
async def test_every_command_answers_with_an_embed(
        bot: BluebookBot, fake_discord: FakeDiscord, command: str, options: dict[str, Any]) -> None:
    message = await _answer(await fake_discord.slash_command(command, options))
    _no_pings(message)
    assert message["embeds"] and message["embeds"][0]["title"]
    if command == "about":
        assert "Ministry of Foreign Affairs of Japan" in str(message["embeds"])
    # Help and about are for the asker; cards and passages are for the channel.
    assert bool(message.get("flags", 0) & EPHEMERAL) == (command in ("about", "help"))


async def test_unknown_ids_get_a_private_did_you_mean(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    message = await _answer(await fake_discord.slash_command(
        "passage", {"id": "dbb2025-na.overveiw.p4"}))
    assert message["flags"] & EPHEMERAL
    assert "dbb2025-na.overview.p4" in str(message["embeds"])


@pytest.mark.parametrize(("options", "cli_args"), [
    ({"id": "ONLY-ALLY"}, ["ONLY-ALLY"]),
    ({"topic": "Canada"}, ["--topic", "Canada"]),
    ({"topic": "Japan and Canada"}, ["--topic", "Japan and Canada"]),
])
async def test_fact_finds_what_the_cli_finds(
        bot: BluebookBot, fake_discord: FakeDiscord, capsys: pytest.CaptureFixture[str],
        options: dict[str, str], cli_args: list[str]) -> None:
    assert main(["fact", *cli_args, "--json", "--no-cache"]) == 0
    cli_card = json.loads(capsys.readouterr().out)
    message = await _answer(await fake_discord.slash_command("fact", options))
    embed = message["embeds"][0]
    assert embed["title"] != "Not found" and not message.get("flags", 0) & EPHEMERAL
    if "id" in options:
        assert embed["footer"]["text"].startswith(f"Fact {cli_card['id']}")
    else:  # a random card, from the same topic as the CLI's
        assert "canada" in cli_card["topics"] and "Japan and Canada" in str(embed["fields"])
        assert "topic=canada" in buttons(message)["Another fact"]


@pytest.mark.parametrize(("command", "option", "typed"), [
    ("quote", "text", "japans only al"), ("verify", "text", "linchpin of japanese"),
    ("passage", "id", "overview.p"), ("fact", "id", "ally"), ("fact", "topic", "can"),
    ("search", "document", "2010"), ("help", "command", "qu"),
])
async def test_autocomplete_answers_at_most_25_short_choices(
        bot: BluebookBot, fake_discord: FakeDiscord, command: str, option: str,
        typed: str) -> None:
    options = {"query": "x"} if command == "search" else {}
    handle = await fake_discord.autocomplete(command, {**options, option: typed}, option)
    choices = await handle.choices()
    assert 1 <= len(choices) <= 25
    assert all(len(c["name"]) <= 100 and len(str(c["value"])) <= 100 for c in choices)


async def test_buttons_run_their_command_even_after_a_restart(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Any) -> None:
    services = make_services(engine, fake_discord.guild_id, tmp_path)
    first = BluebookBot(services, guild_ready_timeout=0.1)
    async with fake_discord.running(first):
        handle = await fake_discord.slash_command("fact", {"id": "only-ally"})
        message = await _answer(handle)
    posted = handle.original
    assert posted is not None
    source = buttons(message)["Source"]
    second = BluebookBot(services, guild_ready_timeout=0.1)  # a new process, nothing in memory
    async with fake_discord.running(second):
        reply = await _answer(await fake_discord.click_button(source, message=int(posted["id"])))
    assert "Overview, ¶2" in str(reply["embeds"])
    assert "**The United States (U.S.) is Japan's only ally.**" in reply["embeds"][0]["description"]
    _no_pings(reply)


async def test_over_long_input_is_refused_clearly(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    message = await _answer(await fake_discord.slash_command("search", {"query": "alliance"}))
    assert message["embeds"]
    # Discord enforces max_length itself; the registry bound is checked for the shell too.
    reply = REGISTRY.run(bot.services, "quote", {"text": "word " * 400})
    assert reply.error and "at most 1,000" in reply.cards[0].description


async def test_reconnect_and_resume_lose_nothing(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    await fake_discord.send_reconnect()
    handle = await fake_discord.slash_command("about", {})
    message = await _answer(handle)
    assert message["embeds"]
    await fake_discord.wait_connected(resumes=1)
