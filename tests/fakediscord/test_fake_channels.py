"""The fake's channel REST routes: messages, history, forums, and injected faults."""

from __future__ import annotations

import aiohttp
import discord
import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.throwaway import ThrowawayBot, text_channel


async def test_channel_message_allowed_mentions(bot: ThrowawayBot,
                                                fake_discord: FakeDiscord) -> None:
    await text_channel(bot, fake_discord).send(
        "@everyone look", allowed_mentions=discord.AllowedMentions.none())
    (req,) = fake_discord.requests_to("POST", rf"/channels/{fake_discord.text_channel_id}/messages")
    assert req.json["allowed_mentions"]["parse"] == []
    assert req.json["content"] == "@everyone look"


async def test_nonce_dedupes_channel_posts(bot: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    channel = text_channel(bot, fake_discord)
    first = await channel.send("once", nonce="card-7")
    second = await channel.send("once", nonce="card-7")
    third = await channel.send("twice")
    fetched = await channel.fetch_message(first.id)
    assert fetched.content == "once" and fetched.nonce == "card-7"
    assert first.id == second.id != third.id
    assert [m["content"] for m in fake_discord.messages_in(channel.id)] == ["once", "twice"]
    posts = fake_discord.requests_to("POST", rf"/channels/{channel.id}/messages")
    assert posts[0].json["enforce_nonce"] is True and posts[0].json["nonce"] == "card-7"


async def test_channel_history_is_newest_first_without_ephemeral_messages(
        synced: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    channel = text_channel(synced, fake_discord)
    sent = [await channel.send(f"m{i}") for i in range(5)]
    await (await fake_discord.slash_command("card")).followup()  # an ephemeral follow-up
    assert [m.content async for m in channel.history(limit=3)] == ["m4", "m3", "m2"]
    assert [m.content async for m in channel.history(limit=10, before=sent[2])] == ["m1", "m0"]
    assert [m.content async for m in channel.history(limit=2, after=sent[0])] == ["m1", "m2"]


async def test_forum_post_creates_thread_and_message(bot: ThrowawayBot,
                                                     fake_discord: FakeDiscord) -> None:
    forum = bot.get_channel(fake_discord.forum_channel_id)
    assert isinstance(forum, discord.ForumChannel)
    created = await forum.create_thread(name="Fact of the day", content="Japan's ODA")
    assert created.thread.parent_id == forum.id
    assert created.message.id == created.thread.id
    assert [m["content"] for m in fake_discord.messages_in(created.thread.id)] == ["Japan's ODA"]
    fetched = await bot.fetch_channel(created.thread.id)
    assert isinstance(fetched, discord.Thread) and fetched.name == "Fact of the day"


async def test_forbidden_and_unknown_channel(bot: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    channel = text_channel(bot, fake_discord)
    fake_discord.forbid_channel(channel.id)
    with pytest.raises(discord.Forbidden) as forbidden:
        await channel.send("nope")
    assert forbidden.value.code == 50001
    fake_discord.clear_faults()
    fake_discord.unknown_channel(channel.id)
    with pytest.raises(discord.NotFound) as missing:
        await bot.fetch_channel(channel.id)
    assert missing.value.code == 10003
    assert fake_discord.messages_in(channel.id) == []


async def test_one_off_rate_limit_is_retried(bot: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    channel = text_channel(bot, fake_discord)
    fake_discord.rate_limit_channel_once(channel.id, retry_after=0.05)
    await channel.send("after a 429")
    posts = fake_discord.requests_to("POST", rf"/channels/{channel.id}/messages")
    statuses = [r.status for r in posts]
    assert statuses == [429, 200]
    assert len(fake_discord.messages_in(channel.id)) == 1


async def test_outage_and_server_error(bot: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    channel = text_channel(bot, fake_discord)
    fake_discord.set_outage()
    with pytest.raises(discord.DiscordServerError):
        await channel.send("down")
    fake_discord.set_outage(False)
    # A 500 is retried by discord.py after a 1 s sleep; check the fake's answer directly.
    fake_discord.server_error(r"/channels/\d+")
    async with aiohttp.ClientSession() as session, \
            session.get(f"{fake_discord.api_base}/channels/{channel.id}") as resp:
        assert resp.status == 500
        assert resp.headers["Content-Type"] == "application/json"
    await channel.send("up again")
    assert [m["content"] for m in fake_discord.messages_in(channel.id)] == ["up again"]


async def test_unknown_route_is_recorded(bot: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    guild = bot.get_guild(fake_discord.guild_id)
    assert guild is not None
    with pytest.raises(discord.NotFound):
        await guild.fetch_emojis()
    assert [(r.method, r.path) for r in fake_discord.unknown_routes] == [
        ("GET", f"/guilds/{fake_discord.guild_id}/emojis")]
