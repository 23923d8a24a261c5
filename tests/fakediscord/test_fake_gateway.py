"""The fake's login, gateway handshake, command sync, and reconnect/resume with a real client."""

from __future__ import annotations

import discord
import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.throwaway import ThrowawayBot


@pytest.mark.parametrize("compress", [True, False], ids=["zlib-stream", "plain-text"])
async def test_login_and_gateway_handshake(fake_discord: FakeDiscord, compress: bool) -> None:
    fake_discord.heartbeat_interval_ms = 20
    fake_discord.compress = compress
    client = ThrowawayBot(fake_discord.guild_id)
    async with fake_discord.running(client, token="sekrit"):
        # HTTP login: user, then application info (discord.py 2.7 uses the oauth2 path).
        assert [r.path for r in fake_discord.requests[:2]] == [
            "/users/@me", "/oauth2/applications/@me"]
        assert fake_discord.requests[0].headers["Authorization"] == "Bot sekrit"
        assert client.user is not None and client.user.id == fake_discord.application_id
        assert client.application_id == fake_discord.application_id
        # discord.py 2.7's Client goes straight to DEFAULT_GATEWAY; AutoShardedClient asks.
        shards, url, _ = await client.http.get_bot_gateway()
        assert (shards, url) == (1, fake_discord.gateway_url)
        # Gateway: IDENTIFY with token and intents, READY, GUILD_CREATE.
        identify = [p for p in fake_discord.gateway_received if p["op"] == 2]
        assert len(identify) == 1
        assert identify[0]["d"]["token"] == "sekrit"
        assert identify[0]["d"]["intents"] == discord.Intents.default().value
        # discord.py always asks for zlib-stream; the fake sends zlib frames only if told to.
        assert "compress=zlib-stream" in fake_discord.gateway_paths[0]
        assert fake_discord.gateway_compressed == [compress]
        guild = client.get_guild(fake_discord.guild_id)
        assert guild is not None and guild.me is not None
        assert isinstance(guild.get_channel(fake_discord.forum_channel_id), discord.ForumChannel)
        assert isinstance(guild.get_thread(fake_discord.thread_id), discord.Thread)
        assert {r.name for r in guild.roles} >= {"@everyone", "Member"}
        # Heartbeats are ACKed (latency is finite only after an ACK).
        await fake_discord.wait_until(lambda: len(fake_discord.heartbeats) >= 3,
                                      what="three heartbeats")
        assert client.latency != float("inf")
    assert client.is_closed()


async def test_sync_stores_commands(bot: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    synced = await bot.sync_to_guild()
    assert {c.name for c in synced} == {"ping", "fact", "card", "lifecycle", "Quote this"}
    assert all(c.id for c in synced)
    stored = {c["name"]: c for c in fake_discord.commands(fake_discord.guild_id)}
    assert fake_discord.commands() == []  # nothing global
    assert stored["ping"]["description"] == "Answer at once"
    assert stored["Quote this"]["type"] == 3
    (show,) = stored["fact"]["options"]
    assert (show["name"], show["type"], show["description"]) == ("show", 1, "Show a fact card")
    opts = {o["name"]: o for o in show["options"]}
    assert opts["topic"]["type"] == 3 and opts["topic"]["required"] is True
    assert opts["topic"]["autocomplete"] is True
    assert opts["topic"]["description"] == "Topic to show"
    assert opts["year"]["type"] == 4 and opts["year"].get("required", False) is False
    # A re-sync keeps ids stable, as Discord does.
    again = await bot.sync_to_guild()
    assert {c.name: c.id for c in again} == {c.name: c.id for c in synced}
    syncs = fake_discord.requests_to(path=r"/applications/\d+/guilds/\d+/commands")
    assert [r.method for r in syncs] == ["PUT", "PUT"]


async def test_reconnect_resume_loses_no_event(synced: ThrowawayBot,
                                               fake_discord: FakeDiscord) -> None:
    resumed = 0

    async def on_resumed() -> None:
        nonlocal resumed
        resumed += 1

    synced.add_listener(on_resumed)
    await fake_discord.send_reconnect()
    # Dispatched while the bot is between sockets: must be replayed on RESUME.
    handle = await fake_discord.slash_command("ping")
    cb = await handle.callback()
    assert cb.data["content"] == "pong"
    assert handle.seq in fake_discord.replayed
    await fake_discord.wait_connected(resumes=1)
    assert fake_discord.identify_count == 1
    assert fake_discord.gateway_paths[-1].startswith("/resume/")
    resume = [p for p in fake_discord.gateway_received if p["op"] == 6]
    assert resume[0]["d"]["session_id"] == fake_discord.session_id
    # A server-side close with a resumable code resumes too.
    await fake_discord.close_socket(4000)
    handle = await fake_discord.slash_command("ping")
    assert (await handle.callback()).data["content"] == "pong"
    assert handle.seq in fake_discord.replayed
    await fake_discord.wait_connected(resumes=2)
    await fake_discord.wait_until(lambda: resumed == 2, what="two on_resumed events")
    assert fake_discord.identify_count == 1


async def test_invalid_session_forces_identify(bot: ThrowawayBot,
                                               fake_discord: FakeDiscord) -> None:
    # running() replaced discord.py's 5 s pause before a non-initial IDENTIFY.
    first_session = fake_discord.session_id
    await fake_discord.send_invalid_session(resumable=False)
    await fake_discord.wait_connected(identifies=2)
    assert fake_discord.session_id != first_session
    assert fake_discord.resume_count == 0
    await bot.sync_to_guild()
    handle = await fake_discord.slash_command("ping")
    assert (await handle.callback()).data["content"] == "pong"
