"""/settings end to end, the app installed by a user elsewhere, and the bot without
the Message Content intent."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.cli.run_cmd import _serve
from bot.client import BluebookBot
from bot.core.quotes.matching import QuoteEngine
from tests.exts.dailykit import as_admin, channel_option
from tests.exts.discordkit import EPHEMERAL, answer_of, is_ephemeral
from tests.exts.inlinekit import QUOTE, SOURCE, inline_services, settle
from tests.fakediscord import FakeDiscord
from tests.fakediscord.messages_events import CONTEXT_BOT_DM, CONTEXT_GUILD


async def test_settings_turn_inline_on_for_a_channel_and_log_who_did_it(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    services = inline_services(engine, fake_discord, tmp_path, channels=[])
    bot = BluebookBot(services, guild_ready_timeout=0.1)
    async with fake_discord.running(bot):
        before = await fake_discord.member_says(QUOTE)
        await settle(fake_discord, bot, 1)
        assert fake_discord.replies_to(int(before["id"])) == []
        shown = await as_admin(fake_discord, "settings inline", {"mode": "brackets"},
                               channel=fake_discord.text_channel_id)
        assert "Changed inline:" in shown["content"]
        assert f"<#{fake_discord.text_channel_id}>: brackets (set here)" in str(shown["embeds"])
        after = await fake_discord.member_says(QUOTE)
        await settle(fake_discord, bot, 2)
        assert SOURCE in str(fake_discord.replies_to(int(after["id"]))[0]["embeds"])
        private = await as_admin(fake_discord, "settings private", {"value": "true"})
        assert "Private answers" in str(private["embeds"])
        quote = await answer_of(await fake_discord.slash_command(
            "quote", {"text": "the united states is japans only ally"}))
        assert is_ephemeral(quote)  # the server's choice applies to /quote
        shown = await as_admin(fake_discord, "settings show")
        assert f"<@{fake_discord.user['id']}>" in str(shown["embeds"])  # who changed it
    rows = sqlite3.connect(tmp_path / "state.sqlite3").execute(
        "SELECT name, new_value, user_id FROM guild_settings_log ORDER BY seq").fetchall()
    uid = int(fake_discord.user["id"])
    assert rows == [(f"inline:{fake_discord.text_channel_id}", "brackets", uid),
                    ("private", "true", uid)]


async def test_settings_need_manage_server(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    bot = BluebookBot(inline_services(engine, fake_discord, tmp_path), guild_ready_timeout=0.1)
    async with fake_discord.running(bot):
        [settings] = [c for c in fake_discord.commands(fake_discord.guild_id)
                      if c["name"] == "settings"]
        assert str(settings["default_member_permissions"]) == str(1 << 5)
        assert settings.get("contexts") == [0]
        cid = fake_discord.text_channel_id
        handle = await fake_discord.slash_command(
            "settings inline", {"channel": str(cid), "mode": "quotes"},
            resolved=channel_option(fake_discord, cid))
        callback = await handle.callback()
        assert callback.data["flags"] & EPHEMERAL and "Manage Server" in callback.data["content"]


async def test_a_user_install_in_a_server_without_the_bot_answers_privately(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    synced = {c["name"]: c for c in fake_discord.commands(fake_discord.guild_id)}
    for name in ("quote", "verify", "passage", "search", "fact", "Find in Bluebook"):
        assert synced[name]["integration_types"] == [0, 1], name
        assert synced[name]["contexts"] == [0, 1, 2], name
    assert synced["daily"]["integration_types"] == [0]
    assert synced["settings"]["integration_types"] == [0]
    handle = await fake_discord.user_install_command(
        "quote", {"text": "the united states is japans only ally"}, context=CONTEXT_GUILD)
    message = await answer_of(handle)
    assert is_ephemeral(message) and SOURCE in str(message["embeds"])
    # In a DM with the bot, the answer may be public: the bot is in that conversation.
    handle = await fake_discord.user_install_command(
        "quote", {"text": "the united states is japans only ally"}, context=CONTEXT_BOT_DM)
    assert not is_ephemeral(await answer_of(handle))


async def test_without_the_intent_every_other_command_works_and_about_says_why(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    services = inline_services(engine, fake_discord, tmp_path, message_content=False)
    bot = BluebookBot(services, guild_ready_timeout=0.1)
    async with fake_discord.running(bot):
        identify = next(p for p in fake_discord.gateway_received if p.get("op") == 2)
        assert not identify["d"]["intents"] & (1 << 15)
        assert bot.get_cog("Inline") is None
        for command, options in (("quote", {"text": "the united states is japans only ally"}),
                                 ("fact", {}), ("search", {"query": "alliance"}),
                                 ("passage", {"id": "dbb2025-na.overview.p2"})):
            message = await answer_of(await fake_discord.slash_command(command, options))
            assert message["embeds"], command
        about = await answer_of(await fake_discord.slash_command("about"))
        assert "Message Content intent" in str(about["embeds"])
        shown = await as_admin(fake_discord, "settings show")
        assert "off: the bot does not request" in str(shown["embeds"])


async def test_an_intent_the_portal_refuses_restarts_the_bot_without_it(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    fake_discord.message_content_allowed = False
    services = inline_services(engine, fake_discord, tmp_path)
    serving = asyncio.create_task(_serve(services, "fake-token"))
    try:
        await fake_discord.wait_connected(identifies=2)
        await fake_discord.wait_until(lambda: bool(fake_discord.commands(fake_discord.guild_id)))
        about = await answer_of(await fake_discord.slash_command("about"))
        assert "Discord refused the Message Content intent" in str(about["embeds"])
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)


async def test_a_category_turns_inline_on_for_its_channels_and_a_channel_can_opt_out(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    services = inline_services(engine, fake_discord, tmp_path,
                               channels=[fake_discord.category_id])
    bot = BluebookBot(services, guild_ready_timeout=0.1)
    async with fake_discord.running(bot):
        inside = fake_discord.category_channel_id
        first = await fake_discord.member_says(QUOTE, channel_id=inside)
        await settle(fake_discord, bot, 1)
        assert len(fake_discord.replies_to(int(first["id"]))) == 1
        await as_admin(fake_discord, "settings inline", {"mode": "off"}, channel=inside)
        second = await fake_discord.member_says(QUOTE, channel_id=inside)
        await settle(fake_discord, bot, 2)
        assert fake_discord.replies_to(int(second["id"])) == []
