"""The fake's interactions: slash commands, follow-ups, autocomplete, buttons, menus, files."""

from __future__ import annotations

import io

import discord

from tests.fakediscord import FakeDiscord
from tests.fakediscord.models import ADMIN_PERMISSIONS
from tests.fakediscord.throwaway import FlipButton, PersistentView, ThrowawayBot, text_channel


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


async def test_interactions_carry_the_member_permissions_asked_for(
        synced: ThrowawayBot, fake_discord: FakeDiscord) -> None:
    plain = await fake_discord.slash_command("ping")
    admin = await fake_discord.slash_command("ping", permissions=ADMIN_PERMISSIONS)
    assert not discord.Permissions(int(plain.payload["member"]["permissions"])).manage_guild
    assert discord.Permissions(int(admin.payload["member"]["permissions"])).manage_guild
