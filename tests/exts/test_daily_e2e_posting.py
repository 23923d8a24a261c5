"""Daily posts end to end: exactly once at the slot, even across a crash; forum threads; pings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bot.core.quotes.matching import QuoteEngine
from tests.exts.dailykit import (
    SLOT,
    Clock,
    as_admin,
    confirm_never_lands,
    daily_services,
    daily_yaml,
    posts_in,
    running_daily,
    sends_to,
)
from tests.exts.discordkit import answer_of, buttons
from tests.fakediscord import FakeDiscord


async def test_a_post_arrives_exactly_once_at_its_slot(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    clock = Clock()
    services = daily_services(engine, fake_discord, tmp_path, daily_yaml(cid))
    async with running_daily(fake_discord, services, clock) as cog:
        clock.set(SLOT - dt.timedelta(seconds=1))
        await cog.poster.tick()
        assert posts_in(fake_discord, cid) == []
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
        [post] = posts_in(fake_discord, cid)
        footer = post["embeds"][0]["footer"]["text"]
        assert footer.endswith(f"Daily yaml-{cid} 2025-01-15")
        [send] = sends_to(fake_discord, cid)
        assert send.json["nonce"] and send.json["enforce_nonce"] is True
        assert send.json["allowed_mentions"] == {"parse": []} and not post["content"]
        for later in (dt.timedelta(minutes=5), dt.timedelta(hours=13)):
            clock.set(SLOT + later)
            await cog.poster.tick()
            assert len(posts_in(fake_discord, cid)) == 1
        clock.set(SLOT + dt.timedelta(days=1, seconds=1))  # the next day: the next card
        await cog.poster.tick()
        first, second = posts_in(fake_discord, cid)
        assert first["embeds"][0]["title"] != second["embeds"][0]["title"]


@pytest.mark.parametrize("restart_after", [dt.timedelta(seconds=30), dt.timedelta(minutes=10)])
async def test_a_crash_between_send_and_confirm_never_posts_twice(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, restart_after: dt.timedelta) -> None:
    cid = fake_discord.text_channel_id
    services = daily_services(engine, fake_discord, tmp_path, daily_yaml(cid))
    clock = Clock()

    with confirm_never_lands(monkeypatch):
        async with running_daily(fake_discord, services, clock) as cog:
            clock.set(SLOT + dt.timedelta(seconds=1))
            await cog.poster.tick()
            assert len(posts_in(fake_discord, cid)) == 1
    # A new process with the same state file: the ledger row is still "pending".
    clock.set(SLOT + restart_after)
    async with running_daily(fake_discord, services, clock) as cog:
        await cog.poster.tick()
        assert len(posts_in(fake_discord, cid)) == 1
        status = await as_admin(fake_discord, "daily status")
    sends = sends_to(fake_discord, cid)
    if restart_after < dt.timedelta(minutes=2):
        # Within Discord's nonce window: sent again with the same nonce, which
        # Discord answers with the original message.
        assert len(sends) == 2 and sends[0].json["nonce"] == sends[1].json["nonce"]
    else:
        # Too late to trust the nonce: the post was found in the channel instead.
        assert len(sends) == 1
        assert fake_discord.requests_to("GET", rf"/channels/{cid}/messages")
    [post] = posts_in(fake_discord, cid)
    assert f"/channels/{fake_discord.guild_id}/{cid}/{post['id']}" in str(status["embeds"])


async def test_a_forum_schedule_opens_one_thread_per_day_even_after_a_crash(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    forum = fake_discord.forum_channel_id
    services = daily_services(engine, fake_discord, tmp_path, daily_yaml(forum))
    clock = Clock()

    def ours() -> list[dict[str, Any]]:
        return [t for t in fake_discord.threads.values() if t["parent_id"] == str(forum)]

    with confirm_never_lands(monkeypatch):
        async with running_daily(fake_discord, services, clock) as cog:
            clock.set(SLOT + dt.timedelta(seconds=1))
            await cog.poster.tick()
            assert len(ours()) == 1  # posted, never confirmed
    clock.set(SLOT + dt.timedelta(seconds=20))
    async with running_daily(fake_discord, services, clock) as cog:
        await cog.poster.tick()
        [thread] = ours()
        assert thread["name"].startswith("2025-01-15 · ")
        [starter] = posts_in(fake_discord, int(thread["id"]))
        assert starter["id"] == thread["id"]
        status = str((await as_admin(fake_discord, "daily status"))["embeds"])
        assert f"/{thread['id']}/{thread['id']}" in status  # the last post links to it


async def test_the_role_mention_is_the_only_mention(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid, role = fake_discord.text_channel_id, fake_discord.member_role_id
    services = daily_services(engine, fake_discord, tmp_path,
                         daily_yaml(cid, f"    mention_role: {role}\n"))
    clock = Clock()
    async with running_daily(fake_discord, services, clock) as cog:
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
    [post] = posts_in(fake_discord, cid)
    assert post["content"] == f"<@&{role}>"
    [send] = sends_to(fake_discord, cid)
    # No @everyone, no users, no other role: only this one may ping.
    assert send.json["allowed_mentions"] == {"parse": [], "roles": [role]}


async def test_a_daily_posts_source_button_opens_the_passage_with_the_quote_in_bold(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    clock = Clock()
    services = daily_services(engine, fake_discord, tmp_path, daily_yaml(cid))
    async with running_daily(fake_discord, services, clock) as cog:
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
        [post] = posts_in(fake_discord, cid)
        card_id = post["embeds"][0]["footer"]["text"].split(" · ")[0].removeprefix("Fact ")
        shown = await answer_of(await fake_discord.slash_command("fact", {"id": card_id}))
        # The post is /fact's card (plus the daily marker), with the same buttons.
        assert post["embeds"][0]["fields"] == shown["embeds"][0]["fields"]
        assert buttons(post) == buttons(shown)
        opened = await answer_of(await fake_discord.click_button(
            buttons(post)["Source"], message=int(post["id"])))
    quote = services.require_deck().cards[card_id].source.quote
    assert f"**{quote}" in opened["embeds"][0]["description"]
