"""The /daily admin commands end to end: permissions, set and restart, pause/skip, autocomplete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.core.quotes.matching import QuoteEngine
from tests.exts.dailykit import (
    EPHEMERAL,
    SLOT,
    Clock,
    as_admin,
    channel_option,
    daily_services,
    posts_in,
    running_daily,
)
from tests.fakediscord import FakeDiscord
from tests.fakediscord.models import ADMIN_PERMISSIONS


async def test_members_without_manage_server_are_refused(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    services = daily_services(engine, fake_discord, tmp_path)
    async with running_daily(fake_discord, services, Clock()) as cog:
        [daily] = [c for c in fake_discord.commands(fake_discord.guild_id)
                   if c["name"] == "daily"]
        assert str(daily["default_member_permissions"]) == str(1 << 5)  # Manage Server
        for path, options in (("daily set", {"channel": str(cid), "time": "07:00"}),
                              ("daily status", {})):
            handle = await fake_discord.slash_command(
                path, options, resolved=channel_option(fake_discord, cid))
            callback = await handle.callback()
            assert callback.type == 4 and callback.data["flags"] & EPHEMERAL
            assert "Manage Server" in callback.data["content"]
        assert await cog.poster.db(cog.state.schedules, [], Clock()()) == []


async def test_daily_set_persists_across_a_restart_and_honours_its_topic(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    services = daily_services(engine, fake_discord, tmp_path)
    clock = Clock()
    async with running_daily(fake_discord, services, clock):
        reply = await as_admin(fake_discord, "daily set",
                             {"time": "09:30", "timezone": "asia/tokyo", "topic": "canada",
                              "days": "weekdays"}, channel=cid)
        assert "Daily post set" in str(reply["embeds"])
        assert f"<t:{int(SLOT.timestamp())}:F>" in str(reply["embeds"])
    async with running_daily(fake_discord, services, clock) as cog:
        status = str((await as_admin(fake_discord, "daily status"))["embeds"])
        assert f"cmd-{cid}" in status and "09:30 Asia/Tokyo, weekdays, topic canada" in status
        for day in range(3):  # Wed, Thu, Fri
            clock.set(SLOT + dt.timedelta(days=day, seconds=1))
            await cog.poster.tick()
        posts = posts_in(fake_discord, cid)
        assert len(posts) == 3
        deck = services.require_deck()
        for post in posts:
            card_id = post["embeds"][0]["footer"]["text"].split(" · ")[0].removeprefix("Fact ")
            card = deck.get(card_id)
            assert card is not None and "canada" in card.topics
        clock.set(SLOT + dt.timedelta(days=3, seconds=1))  # Saturday: not a weekday
        await cog.poster.tick()
        assert len(posts_in(fake_discord, cid)) == 3


async def test_admin_commands_pause_skip_preview_post_now_and_remove(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    clock = Clock()
    services = daily_services(engine, fake_discord, tmp_path)
    async with running_daily(fake_discord, services, clock) as cog:
        bad = await as_admin(fake_discord, "daily set", {"time": "9.30"}, channel=cid)
        assert "expected a time like" in bad["content"]
        await as_admin(fake_discord, "daily set", {"time": "09:30"}, channel=cid)
        preview = await as_admin(fake_discord, "daily preview")
        assert preview["content"].startswith(f"Next post in <#{cid}>")
        title = preview["embeds"][0]["title"]
        posted = await as_admin(fake_discord, "daily post-now")
        assert "Posted the 2025-01-15 card" in str(posted["embeds"])
        [post] = posts_in(fake_discord, cid)
        assert post["embeds"][0]["title"] == title  # the preview showed what was posted
        clock.set(SLOT + dt.timedelta(seconds=1))  # today's time passes without a post
        await cog.poster.tick()
        assert len(posts_in(fake_discord, cid)) == 1
        skipped = await as_admin(fake_discord, "daily skip")
        assert "Skipped Thu 2025-01-16 09:30 JST" in str(skipped["embeds"])
        paused = await as_admin(fake_discord, "daily pause", channel=cid)
        assert "Daily post paused" in str(paused["embeds"])
        clock.set(SLOT + dt.timedelta(days=2, seconds=1))
        await cog.poster.tick()
        assert len(posts_in(fake_discord, cid)) == 1
        await as_admin(fake_discord, "daily resume")
        clock.set(SLOT + dt.timedelta(days=3, seconds=1))
        await cog.poster.tick()
        assert len(posts_in(fake_discord, cid)) == 2
        removed = await as_admin(fake_discord, "daily remove", channel=cid)
        assert "No more daily posts" in str(removed["embeds"])
        assert "No daily posts are set up" in str(
            (await as_admin(fake_discord, "daily status"))["embeds"])


async def test_timezone_and_topic_autocomplete(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    async with running_daily(fake_discord, daily_services(engine, fake_discord, tmp_path), Clock()):
        for option, typed, wanted in (("timezone", "tokyo", "Asia/Tokyo"),
                                      ("topic", "can", "canada")):
            handle = await fake_discord.autocomplete(
                "daily set", {option: typed}, option, permissions=ADMIN_PERMISSIONS)
            choices = await handle.choices()
            assert wanted in [c["value"] for c in choices]
            assert len(choices) <= 25 and all(len(c["name"]) <= 100 for c in choices)
