"""End-to-end tests of the fake Discord with a real discord.py client.

The bot here is a throwaway defined in this file; it only exercises the fake.
"""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import FakeDiscord
from tests.fakediscord.models import ADMIN_PERMISSIONS

# --------------------------------------------------------------------------- the test bot


class PersistentView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Next", custom_id="persistent:next")
    async def next_card(self, interaction: discord.Interaction,
                        button: discord.ui.Button[PersistentView]) -> None:
        await interaction.response.edit_message(content="next card")


class FlipButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
                 template=r"card:(?P<card_id>[0-9]+)"):
    def __init__(self, card_id: int) -> None:
        super().__init__(discord.ui.Button(label="Flip", custom_id=f"card:{card_id}"))
        self.card_id = card_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction,
                             item: discord.ui.Item[Any],
                             match: re.Match[str]) -> FlipButton:
        return cls(int(match["card_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(content=f"card {self.card_id} flipped")


TOPICS = ["ODA", "Official Development Assistance", "Oceans", "Peacekeeping"]


class ThrowawayBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=discord.Intents.default(),
                         help_command=None, guild_ready_timeout=0.1)
        self.guild_id = guild_id
        self._install_commands()

    async def setup_hook(self) -> None:
        self.add_view(PersistentView())
        self.add_dynamic_items(FlipButton)

    def _install_commands(self) -> None:
        tree = self.tree

        @tree.command(description="Answer at once")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong")

        fact = app_commands.Group(name="fact", description="Fact cards")

        @fact.command(name="show", description="Show a fact card")
        @app_commands.describe(topic="Topic to show", year="Bluebook year")
        async def show(interaction: discord.Interaction, topic: str, year: int = 2024) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(f"{topic} ({year})")

        @show.autocomplete("topic")
        async def topic_ac(interaction: discord.Interaction, current: str
                           ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=t, value=t) for t in TOPICS
                    if t.lower().startswith(current.lower())]

        tree.add_command(fact)

        @tree.command(description="Send a card as a file")
        async def card(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True)
            await interaction.followup.send(
                "card attached", file=discord.File(io.BytesIO(b"ODA facts"), "card.txt"),
                ephemeral=True)

        @tree.command(description="Exercise every webhook route of an interaction")
        async def lifecycle(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("v1")
            await interaction.edit_original_response(content="v2")
            original = await interaction.original_response()
            extra = await interaction.followup.send(f"saw {original.content}", wait=True)
            await extra.edit(content="extra edited")
            fetched = await interaction.followup.fetch_message(extra.id)
            await interaction.followup.send(f"fetched {fetched.content}")
            await extra.delete()
            await interaction.delete_original_response()

        @tree.context_menu(name="Quote this")
        async def quote_this(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(f"> {message.content}", ephemeral=True)

    async def sync_to_guild(self) -> list[app_commands.AppCommand]:
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        return await self.tree.sync(guild=guild)


@pytest.fixture
async def bot(fake_discord: FakeDiscord) -> AsyncIterator[ThrowawayBot]:
    client = ThrowawayBot(fake_discord.guild_id)
    async with fake_discord.running(client):
        yield client


@pytest.fixture
async def synced(bot: ThrowawayBot) -> ThrowawayBot:
    await bot.sync_to_guild()
    return bot


def text_channel(bot: discord.Client, fake: FakeDiscord) -> discord.TextChannel:
    channel = bot.get_channel(fake.text_channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


# --------------------------------------------------------------------------- connection


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


# --------------------------------------------------------------------------- interactions


async def test_slash_command_direct_response(synced: ThrowawayBot,
                                             fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.slash_command("ping")
    cb = await handle.callback()
    assert cb.type == 4
    assert cb.data["content"] == "pong"
    assert handle.original is not None and handle.original["content"] == "pong"
    posted = fake_discord.messages_in(fake_discord.text_channel_id)
    assert [m["content"] for m in posted] == ["pong"]
    assert fake_discord.requests_to("POST", r"/interactions/.*")[0].query == {"with_response": "1"}


async def test_slash_subcommand_defer_then_followup(synced: ThrowawayBot,
                                                   fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.slash_command("fact show", {"topic": "ODA", "year": 2023})
    assert handle.payload["data"]["options"] == [
        {"name": "show", "type": 1,
         "options": [{"name": "topic", "type": 3, "value": "ODA"},
                     {"name": "year", "type": 4, "value": 2023}]}]
    cb = await handle.callback()
    assert cb.type == 5  # deferred, "thinking"
    followup = await handle.followup()
    assert followup.data["content"] == "ODA (2023)"
    # The first follow-up after a thinking defer replaces the loading message.
    assert handle.original is not None
    assert handle.original["content"] == "ODA (2023)"
    assert not handle.original["flags"] & 128
    kinds = [r.kind for r in fake_discord.interaction_responses(handle.id)]
    assert kinds == ["callback", "followup"]


async def test_interaction_webhook_routes(synced: ThrowawayBot,
                                         fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.slash_command("lifecycle")
    await handle.wait(1, kind="delete_original")  # the command's last step
    assert [r.kind for r in handle.responses] == [
        "callback", "edit_original", "get_original", "followup", "edit_followup",
        "get_followup", "followup", "delete_followup", "delete_original"]
    assert handle.original is None  # deleted
    remaining = fake_discord.messages_in(fake_discord.text_channel_id)
    assert [m["content"] for m in remaining] == ["fetched extra edited"]
    assert handle.responses[3].data["content"] == "saw v2"


async def test_autocomplete_choices(synced: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.autocomplete("fact show", {"topic": "o"}, focused="topic")
    choices = await handle.choices()
    assert [c["value"] for c in choices] == ["ODA", "Official Development Assistance", "Oceans"]


async def test_persistent_view_button_edits_message(bot: ThrowawayBot,
                                                    fake_discord: FakeDiscord) -> None:
    sent = await text_channel(bot, fake_discord).send("card 1", view=PersistentView())
    stored = fake_discord.message(sent.id)
    assert stored is not None
    assert stored["components"][0]["components"][0]["custom_id"] == "persistent:next"
    handle = await fake_discord.click_button("persistent:next", message=sent.id)
    cb = await handle.callback()
    assert cb.type == 7
    assert fake_discord.message(sent.id)["content"] == "next card"  # type: ignore[index]


async def test_dynamic_item_button(bot: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    view = discord.ui.View(timeout=None)
    view.add_item(FlipButton(42))
    sent = await text_channel(bot, fake_discord).send("card 42", view=view)
    handle = await fake_discord.click_button("card:42", message=sent.id)
    cb = await handle.callback()
    assert (cb.type, cb.data["content"]) == (7, "card 42 flipped")
    assert fake_discord.message(sent.id)["content"] == "card 42 flipped"  # type: ignore[index]


async def test_message_context_menu(synced: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    sent = await text_channel(synced, fake_discord).send("Japan values the rule of law.")
    handle = await fake_discord.message_command("Quote this", sent.id)
    cb = await handle.callback()
    assert cb.type == 4
    assert cb.data["content"] == "> Japan values the rule of law."
    assert cb.data["flags"] & 64  # ephemeral
    public = fake_discord.messages_in(fake_discord.text_channel_id, include_ephemeral=False)
    assert [m["content"] for m in public] == ["Japan values the rule of law."]


async def test_multipart_bodies_are_parsed(synced: ThrowawayBot,
                                           fake_discord: FakeDiscord) -> None:
    # An interaction follow-up with a file (multipart: payload_json + files[0]).
    handle = await fake_discord.slash_command("card")
    assert (await handle.callback()).data["flags"] & 64
    followup = await handle.followup()
    assert followup.data["content"] == "card attached"
    assert followup.message is not None
    assert [a["filename"] for a in followup.message["attachments"]] == ["card.txt"]
    # A channel message with a file.
    channel = text_channel(synced, fake_discord)
    sent = await channel.send("file!", file=discord.File(io.BytesIO(b"12345"), "fact.txt"))
    assert [a.filename for a in sent.attachments] == ["fact.txt"]
    req = fake_discord.requests_to("POST", rf"/channels/{channel.id}/messages")[-1]
    assert req.json["content"] == "file!"
    assert req.files == [{"name": "files[0]", "filename": "fact.txt", "size": 5}]


# --------------------------------------------------------------------------- channels


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


async def test_interactions_carry_the_member_permissions_asked_for(
        synced: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    plain = await fake_discord.slash_command("ping")
    admin = await fake_discord.slash_command("ping", permissions=ADMIN_PERMISSIONS)
    assert not discord.Permissions(int(plain.payload["member"]["permissions"])).manage_guild
    assert discord.Permissions(int(admin.payload["member"]["permissions"])).manage_guild


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


# --------------------------------------------------------------------------- resilience


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
