"""The fake's member messages follow Discord's Message Content rules (a plain
discord.Client records what it is sent)."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from tests.fakediscord import FakeDiscord


class Recorder(discord.Client):
    def __init__(self, intents: discord.Intents) -> None:
        super().__init__(intents=intents, guild_ready_timeout=0.1)
        self.seen: list[tuple[str, Any]] = []

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(("create", message))

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        self.seen.append(("edit", payload))

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        self.seen.append(("delete", payload))


def _intents(content: bool) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = intents.guild_messages = True
    intents.message_content = content
    return intents


async def _wait(fake: FakeDiscord, client: Recorder, n: int) -> None:
    await fake.wait_until(lambda: len(client.seen) >= n, what=f"{n} events")


async def test_content_arrives_only_with_the_intent(fake_discord: FakeDiscord) -> None:
    for granted in (True, False):
        client = Recorder(_intents(granted))
        async with fake_discord.running(client):
            sent = await fake_discord.member_says("[[hello there friend]]")
            hook = await fake_discord.member_says("hooked", webhook_id=fake_discord.snowflake())
            await _wait(fake_discord, client, 2)
            (_, first), (_, second) = client.seen[:2]
            assert first.content == ("[[hello there friend]]" if granted else "")
            assert first.guild is not None and not first.author.bot
            assert second.webhook_id == int(hook["webhook_id"])
            await fake_discord.member_edits(int(sent["id"]), "edited words")
            await fake_discord.member_deletes(int(sent["id"]))
            await _wait(fake_discord, client, 4)
            kind, edit = client.seen[2]
            assert kind == "edit" and edit.message.content == ("edited words" if granted else "")
            assert client.seen[3][0] == "delete" and client.seen[3][1].message_id == int(sent["id"])


async def test_no_message_events_without_guild_messages(fake_discord: FakeDiscord) -> None:
    client = Recorder(discord.Intents(guilds=True))
    async with fake_discord.running(client):
        await fake_discord.member_says("unseen")
        session = fake_discord._session
        assert session is not None
        assert not [e for e in session.log if e["t"] == "MESSAGE_CREATE"]


async def test_a_disallowed_intent_closes_with_4014(fake_discord: FakeDiscord) -> None:
    fake_discord.message_content_allowed = False
    client = Recorder(_intents(True))
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with fake_discord.running(client):
            pass
    await client.close()
