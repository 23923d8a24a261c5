"""Inline lookups end to end: members' messages in channels, through the real client
and the loopback Discord's MESSAGE_CREATE / UPDATE / DELETE events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.client import BluebookBot
from bot.core.quotes.matching import QuoteEngine
from tests.exts.inlinekit import QUOTE, SOURCE, inline_services, settle
from tests.fakediscord import FakeDiscord


@pytest.fixture
async def inline_bot(fake_discord: FakeDiscord, engine: QuoteEngine,
                     tmp_path: Path) -> AsyncIterator[BluebookBot]:
    client = BluebookBot(inline_services(engine, fake_discord, tmp_path),
                         guild_ready_timeout=0.1)
    async with fake_discord.running(client):
        yield client


async def test_a_bracketed_quotation_gets_exactly_one_reply_with_the_source(
        inline_bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    msg = await fake_discord.member_says(
        f"As the Bluebook puts it, {QUOTE}, and [[Japan and Canada share values]].")
    await settle(fake_discord, inline_bot, 1)
    replies = fake_discord.replies_to(int(msg["id"]))
    assert len(replies) == 1
    reply = replies[0]
    text = str(reply["embeds"])
    assert SOURCE in text and "Overview, ¶2" in text
    assert len(reply["embeds"]) == 2  # one reply for both quotations
    body = fake_discord.requests_to("POST", f"/channels/{fake_discord.text_channel_id}/messages")
    mentions = body[-1].json["allowed_mentions"]
    assert mentions["parse"] == [] and mentions.get("replied_user") is False


async def test_no_reply_to_bots_or_webhooks_and_threads_follow_their_channel(
        inline_bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    from_bot = await fake_discord.member_says(QUOTE, bot=True)
    hook = await fake_discord.member_says(QUOTE, webhook_id=fake_discord.snowflake())
    plain = await fake_discord.member_says("no brackets here, the united states is japans ally")
    in_thread = await fake_discord.member_says(QUOTE, channel_id=fake_discord.thread_id)
    await settle(fake_discord, inline_bot, 4)
    for m in (from_bot, hook, plain):
        assert fake_discord.replies_to(int(m["id"])) == []
    assert len(fake_discord.replies_to(int(in_thread["id"]))) == 1


async def test_no_reply_in_a_channel_that_is_not_enabled(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    services = inline_services(engine, fake_discord, tmp_path, channels=[fake_discord.thread_id])
    bot = BluebookBot(services, guild_ready_timeout=0.1)
    async with fake_discord.running(bot):
        msg = await fake_discord.member_says(QUOTE)  # the thread's parent: not enabled
        await settle(fake_discord, bot, 1)
        assert fake_discord.replies_to(int(msg["id"])) == []


async def test_an_edit_edits_the_reply_and_removing_the_quotation_deletes_it(
        inline_bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    msg = await fake_discord.member_says(QUOTE)
    await settle(fake_discord, inline_bot, 1)
    (reply,) = fake_discord.replies_to(int(msg["id"]))
    await fake_discord.member_edits(
        int(msg["id"]), "[[the strong Japan US alliance is the lynchpin of Japans security]]")
    await settle(fake_discord, inline_bot, 2)
    (edited,) = fake_discord.replies_to(int(msg["id"]))
    assert edited["id"] == reply["id"]
    assert "linchpin" in str(edited["embeds"]) and "~~lynchpin~~" in str(edited["embeds"])
    await fake_discord.member_edits(int(msg["id"]), "never mind")
    await settle(fake_discord, inline_bot, 3)
    assert fake_discord.replies_to(int(msg["id"])) == []


async def test_deleting_the_message_deletes_the_reply(
        inline_bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    msg = await fake_discord.member_says(QUOTE)
    await settle(fake_discord, inline_bot, 1)
    (reply,) = fake_discord.replies_to(int(msg["id"]))
    await fake_discord.member_deletes(int(msg["id"]))
    await settle(fake_discord, inline_bot, 2)
    assert fake_discord.message(int(reply["id"])) is None


async def test_a_burst_within_the_cooldown_gets_one_reply(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    bot = BluebookBot(inline_services(engine, fake_discord, tmp_path, cooldown=3600),
                      guild_ready_timeout=0.1)
    async with fake_discord.running(bot):
        sent = [await fake_discord.member_says(QUOTE) for _ in range(20)]
        await settle(fake_discord, bot, 20)
        answered = [m for m in sent if fake_discord.replies_to(int(m["id"]))]
        assert len(answered) == 1
        # Another member in the same channel is still within the channel's cooldown.
        other = await fake_discord.member_says(QUOTE, user=fake_discord.user)
        await settle(fake_discord, bot, 21)
        assert fake_discord.replies_to(int(other["id"])) == []


async def test_quotes_mode_answers_found_quotations_and_says_nothing_otherwise(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    bot = BluebookBot(inline_services(engine, fake_discord, tmp_path, mode="quotes"),
                      guild_ready_timeout=0.1)
    async with fake_discord.running(bot):
        found = await fake_discord.member_says(
            "He said “the strong Japan US alliance is the linchpin of Japans security policy”.")
        missing = await fake_discord.member_says(
            "She said “Mexico is an important partner for Japanese companies in the region”.")
        await settle(fake_discord, bot, 2)
        assert len(fake_discord.replies_to(int(found["id"]))) == 1
        assert fake_discord.replies_to(int(missing["id"])) == []


async def test_the_reply_is_still_edited_after_a_restart(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    services = inline_services(engine, fake_discord, tmp_path)
    first = BluebookBot(services, guild_ready_timeout=0.1)
    async with fake_discord.running(first):
        msg = await fake_discord.member_says(QUOTE)
        await settle(fake_discord, first, 1)
    second = BluebookBot(inline_services(engine, fake_discord, tmp_path),
                         guild_ready_timeout=0.1)
    async with fake_discord.running(second):
        await fake_discord.member_deletes(int(msg["id"]))
        await settle(fake_discord, second, 1)
    assert fake_discord.replies_to(int(msg["id"])) == []
