"""Every button of issue #4, clicked through the loopback Discord on the message it
sits on, as a reader would: /fact Source and Another, /quote Next match, Previous,
Full passage and Post, /search paging (the invoker's alone), the "Find in
Bluebook" reply, and the same buttons after a restart."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any

import pytest

from bot.app.commands import REGISTRY
from bot.client import BluebookBot
from bot.core.quotes.matching import QuoteEngine
from bot.exts import buttons as buttons_module
from tests.exts.discordkit import (
    CB_DEFERRED,
    CB_DEFERRED_UPDATE,
    CB_MESSAGE,
    CB_UPDATE,
    answer_of,
    buttons,
    is_ephemeral,
    make_services,
    no_pings,
)
from tests.fakediscord import FakeDiscord

QUERY = "with the us as japan only ally"  # ¶6 first, ¶2 resembles it
# Too long for a custom_id: the buttons read it back from the card.
LONG_QUERY = ("With the U.S. as Japan's only ally, the Japan-U.S. relationship is stronger and "
              "deeper than ever before")


async def _ask(fake: FakeDiscord, command: str, options: dict[str, Any]
               ) -> tuple[int, dict[str, Any]]:
    """The id and content of the bot's answer to a slash command."""
    handle = await fake.slash_command(command, options)
    message = await answer_of(handle)
    assert handle.original is not None
    return int(handle.original["id"]), message


async def _click(fake: FakeDiscord, message_id: int, label: str,
                 user: dict[str, Any] | None = None) -> tuple[int | None, dict[str, Any]]:
    """Click the button *label* on a stored message: the callback type and its message."""
    stored = fake.message(message_id)
    assert stored is not None
    handle = await fake.click_button(buttons(stored)[label], message=message_id, user=user)
    callback = await handle.callback()
    message = await answer_of(handle)
    no_pings(message)
    return callback.type, message


def _description(message: dict[str, Any]) -> str:
    return str(message["embeds"][0].get("description", ""))


def _footer(message: dict[str, Any]) -> str:
    return str(message["embeds"][0].get("footer", {}).get("text", ""))


async def test_fact_source_and_another(bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    mid, fact = await _ask(fake_discord, "fact", {"id": "only-ally"})
    assert {"Another fact", "Source"} <= set(buttons(fact))
    kind, source = await _click(fake_discord, mid, "Source")
    assert kind == CB_MESSAGE and not is_ephemeral(source)
    assert "**The United States (U.S.) is Japan's only ally.**" in _description(source)
    assert "Overview, ¶2" in source["embeds"][0]["title"]
    mid, fact = await _ask(fake_discord, "fact", {"topic": "canada"})
    kind, another = await _click(fake_discord, mid, "Another fact")
    assert kind == CB_MESSAGE and "canada" in buttons(another)["Another fact"]


async def test_next_match_and_previous_edit_the_message_in_place(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    mid, first = await _ask(fake_discord, "quote", {"text": QUERY})
    assert "Match 1 of 4" in _footer(first) and "Post" not in buttons(first)
    kind, _ = await _click(fake_discord, mid, "Next match ▶")
    assert kind == CB_UPDATE
    stored = fake_discord.message(mid)
    assert stored is not None and "Match 2 of 4" in _footer(stored)
    assert "◀ Previous" in buttons(stored)
    kind, back = await _click(fake_discord, mid, "◀ Previous")
    assert kind == CB_UPDATE and _description(back) == _description(first)
    kind, full = await _click(fake_discord, mid, "Full passage")
    assert kind == CB_MESSAGE and "**With the U.S. as Japan's only ally**" in _description(full)
    assert "Overview, ¶6" in full["embeds"][0]["title"]


async def test_a_long_quotation_still_pages(bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    mid, first = await _ask(fake_discord, "quote", {"text": LONG_QUERY})
    custom_id = buttons(first)["Next match ▶"]
    assert "text=&" in custom_id and len(custom_id) <= 100
    kind, second = await _click(fake_discord, mid, "Next match ▶")
    assert kind == CB_UPDATE and "Match 2 of" in _footer(second)


async def test_post_shares_a_private_reply_publicly(
        private_bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    mid, private = await _ask(fake_discord, "quote", {"text": QUERY})
    assert is_ephemeral(private) and "Post" in buttons(private)
    kind, second = await _click(fake_discord, mid, "Next match ▶")  # private: always in place
    assert kind == CB_UPDATE and "Post" in buttons(second)
    kind, posted = await _click(fake_discord, mid, "Post")
    assert kind == CB_MESSAGE and not is_ephemeral(posted)
    assert posted["embeds"][0]["description"] == second["embeds"][0]["description"]
    assert "Post" not in buttons(posted) and "◀ Previous" in buttons(posted)


async def test_search_pages_for_its_invoker_and_privately_for_others(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    mid, first = await _ask(fake_discord, "search", {"query": "Japan"})
    assert "Page 1 of" in _footer(first)
    other = fake_discord.owner_user
    kind, theirs = await _click(fake_discord, mid, "Next page ▶", user=other)
    assert kind == CB_MESSAGE and is_ephemeral(theirs) and "Page 2 of" in _footer(theirs)
    stored = fake_discord.message(mid)
    assert stored is not None and "Page 1 of" in _footer(stored)  # the invoker's list is intact
    kind, mine = await _click(fake_discord, mid, "Next page ▶")
    assert kind == CB_UPDATE and "Page 2 of" in _footer(mine)
    stored = fake_discord.message(mid)
    assert stored is not None and "Page 2 of" in _footer(stored)


async def test_a_private_list_pages_in_place(
        private_bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    mid, first = await _ask(fake_discord, "search", {"query": "Japan"})
    assert is_ephemeral(first)
    kind, second = await _click(fake_discord, mid, "Next page ▶")
    assert kind == CB_UPDATE and "Page 2 of" in _footer(second)


async def test_find_in_bluebook_replies_to_the_message(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    channel = bot.get_channel(fake_discord.text_channel_id)
    sent = await channel.send("I think the alliance is the lynchpin of japanese diplomacy")  # type: ignore[union-attr]
    handle = await fake_discord.message_command("Find in Bluebook", sent.id)
    ack = await answer_of(handle)
    assert is_ephemeral(ack) and "reply" in ack["content"]
    reply = fake_discord.messages_in(fake_discord.text_channel_id, include_ephemeral=False)[-1]
    assert int(reply["message_reference"]["message_id"]) == sent.id
    assert "linchpin of Japanese diplomacy" in str(reply["embeds"])
    request = fake_discord.requests_to("POST", rf"/channels/{sent.channel.id}/messages")[-1]
    assert request.json["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_find_in_bluebook_answers_the_interaction_where_it_may_not_post(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    channel = bot.get_channel(fake_discord.text_channel_id)
    sent = await channel.send("I think the alliance is the lynchpin of japanese diplomacy")  # type: ignore[union-attr]
    fake_discord.forbid_channel(fake_discord.text_channel_id)
    message = await answer_of(await fake_discord.message_command("Find in Bluebook", sent.id))
    assert not is_ephemeral(message)
    assert message["content"] == f"In reply to {sent.jump_url}"
    assert "linchpin of Japanese diplomacy" in str(message["embeds"])
    no_pings(message)


async def test_buttons_page_and_post_after_a_restart(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Any) -> None:
    services = make_services(engine, fake_discord.guild_id, tmp_path, ephemeral=True)
    async with fake_discord.running(BluebookBot(services, guild_ready_timeout=0.1)):
        mid, _ = await _ask(fake_discord, "quote", {"text": LONG_QUERY})
        search_id, _ = await _ask(fake_discord, "search", {"query": "Japan"})
    # A new process: nothing in memory, only what Discord holds.
    async with fake_discord.running(BluebookBot(services, guild_ready_timeout=0.1)):
        kind, second = await _click(fake_discord, mid, "Next match ▶")
        assert kind == CB_UPDATE and "Match 2 of" in _footer(second)
        kind, posted = await _click(fake_discord, mid, "Post")
        assert kind == CB_MESSAGE and not is_ephemeral(posted)
        kind, page = await _click(fake_discord, search_id, "Next page ▶")
        assert kind == CB_UPDATE and "Page 2 of" in _footer(page)


async def test_slow_buttons_are_acknowledged_in_time(
        bot: BluebookBot, fake_discord: FakeDiscord, monkeypatch: Any) -> None:
    monkeypatch.setattr(buttons_module, "DEFER_AFTER", 0.0)  # every click counts as slow
    mid, _ = await _ask(fake_discord, "quote", {"text": QUERY})
    stored = fake_discord.message(mid)
    assert stored is not None
    handle = await fake_discord.click_button(buttons(stored)["Next match ▶"], message=mid)
    assert (await handle.callback()).type == CB_DEFERRED_UPDATE
    edited = (await handle.edit()).data
    assert "Match 2 of 4" in _footer(edited)
    kind, full = await _click(fake_discord, mid, "Full passage")  # now of the second match
    assert kind == CB_DEFERRED and "Overview, ¶2" in full["embeds"][0]["title"]
    assert "**" in _description(full)


async def test_find_in_bluebook_answers_privately_when_configured(
        private_bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    channel = private_bot.get_channel(fake_discord.text_channel_id)
    sent = await channel.send("I think the alliance is the lynchpin of japanese diplomacy")  # type: ignore[union-attr]
    message = await answer_of(await fake_discord.message_command("Find in Bluebook", sent.id))
    assert is_ephemeral(message) and message["content"] == f"In reply to {sent.jump_url}"
    assert "Post" in buttons(message)
    public = fake_discord.messages_in(fake_discord.text_channel_id, include_ephemeral=False)
    assert [m["id"] for m in public] == [str(sent.id)]  # nothing posted for everyone


async def test_find_in_bluebook_looks_up_a_long_message_by_its_opening_words(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    channel = bot.get_channel(fake_discord.text_channel_id)
    passage = bot.services.engine.corpus.get("dbb2025-na.overview.p6")
    assert passage is not None and len(passage.text.split()) > 100
    sent = await channel.send(passage.text)  # type: ignore[union-attr]
    await answer_of(await fake_discord.message_command("Find in Bluebook", sent.id))
    reply = fake_discord.messages_in(fake_discord.text_channel_id, include_ephemeral=False)[-1]
    assert "Overview, ¶6" in str(reply["embeds"])


@pytest.mark.parametrize("slow", [False, True])
async def test_a_failing_button_answers_privately_with_the_logged_error_id(
        bot: BluebookBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, slow: bool) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.2 if slow else 0)
        raise RuntimeError("a bug in /highlight")

    mid, _ = await _ask(fake_discord, "fact", {"id": "only-ally"})
    monkeypatch.setitem(REGISTRY._commands, "highlight",
                        replace(REGISTRY._commands["highlight"], handler=broken))
    if slow:  # deferred publicly ("thinking…") before it failed
        monkeypatch.setattr(buttons_module, "DEFER_AFTER", 0.05)
    kind, reply = await _click(fake_discord, mid, "Source")
    assert kind == (CB_DEFERRED if slow else CB_MESSAGE)
    assert is_ephemeral(reply)
    found = re.search(r"error id `([0-9a-f]{8})`", reply["content"])
    assert found is not None
    logged = [r for r in caplog.records if found.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and "a bug in /highlight" in str(logged[0].exc_info[1])
    public = fake_discord.messages_in(fake_discord.text_channel_id, include_ephemeral=False)
    assert [m["id"] for m in public] == [str(mid)]  # no public "thinking…" left behind


async def test_a_failing_post_button_answers_privately_with_an_error_id(
        private_bot: BluebookBot, fake_discord: FakeDiscord,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(message: Any) -> Any:
        raise RuntimeError("a bug in Post")

    mid, _ = await _ask(fake_discord, "quote", {"text": QUERY})
    monkeypatch.setattr(buttons_module, "copy_view", broken)
    kind, reply = await _click(fake_discord, mid, "Post")
    assert kind == CB_MESSAGE and is_ephemeral(reply)
    assert re.search(r"error id `[0-9a-f]{8}`", reply["content"])
