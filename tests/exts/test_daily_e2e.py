"""Daily fact posts end to end: the real bot, the loopback Discord, a clock the test moves.

Each test moves the bot's clock and then calls ``tick()``, which wakes the loop
and waits for one whole pass, so nothing here sleeps for real.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import pytest

from bot.app.services import Services, load_deck
from bot.client import BluebookBot
from bot.core.matching import QuoteEngine
from bot.exts.daily import Daily
from bot.storage.config_file import parse_config_text
from bot.storage.state import DailyState
from tests.conftest import ROOT
from tests.fakediscord import FakeDiscord, InteractionHandle
from tests.fakediscord.models import ADMIN_PERMISSIONS, DEFAULT_PERMISSIONS

EPHEMERAL = 64
START = dt.datetime(2025, 1, 15, 0, 0, tzinfo=dt.UTC)  # 09:00 in Tokyo, a Wednesday
SLOT = dt.datetime(2025, 1, 15, 0, 30, tzinfo=dt.UTC)  # 09:30 in Tokyo


class Clock:
    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, now: dt.datetime) -> None:
        self.now = now


def _services(engine: QuoteEngine, fake: FakeDiscord, tmp: Path, daily: str = "") -> Services:
    config = parse_config_text(
        f"discord:\n  guilds: [{fake.guild_id}]\npaths:\n  state: {tmp}/state.sqlite3\n{daily}",
        base=ROOT)
    deck, problem = load_deck(config.facts_dir, engine)
    assert deck is not None, problem
    return Services(engine, deck, random.Random(7), config)


def _daily(channel: int, extra: str = "") -> str:
    return f'daily:\n  - channel: {channel}\n    time: "09:30"\n{extra}'


@asynccontextmanager
async def _bot(fake: FakeDiscord, services: Services, clock: Clock) -> AsyncIterator[Daily]:
    client = BluebookBot(services, clock=clock, guild_ready_timeout=0.1)
    async with fake.running(client):
        # Not isinstance: load_extension imports its own copy of bot.exts.daily.
        cog = cast(Daily, client.get_cog("Daily"))
        assert type(cog).__name__ == "Daily"
        await cog.poster.tick()  # the first pass, at the clock's start
        yield cog


def _posts(fake: FakeDiscord, channel_id: int) -> list[dict[str, Any]]:
    """The daily posts in a channel: bot messages whose embed carries the marker."""
    return [m for m in fake.messages_in(channel_id, include_ephemeral=False)
            if any("Daily " in (e.get("footer") or {}).get("text", "") for e in m["embeds"])]


def _sends(fake: FakeDiscord, channel_id: int) -> list[Any]:
    return fake.requests_to("POST", rf"/channels/{channel_id}/messages")


def _channel_option(fake: FakeDiscord, channel_id: int) -> dict[str, Any]:
    channel = fake.channel(channel_id)
    assert channel is not None
    return {"channels": {str(channel_id): {**channel, "permissions": DEFAULT_PERMISSIONS}}}


async def _answer(handle: InteractionHandle) -> dict[str, Any]:
    callback = await handle.callback()
    if callback.type == 5:
        return (await handle.followup()).data
    assert callback.type == 4
    return callback.data


async def _admin(fake: FakeDiscord, path: str, options: dict[str, Any] | None = None,
                 channel: int | None = None) -> dict[str, Any]:
    resolved = _channel_option(fake, channel) if channel else None
    opts = {**(options or {}), **({"channel": str(channel)} if channel else {})}
    message = await _answer(await fake.slash_command(
        path, opts, resolved=resolved, permissions=ADMIN_PERMISSIONS))
    assert message["flags"] & EPHEMERAL
    assert message["allowed_mentions"] == {"parse": []}
    return message


async def test_a_post_arrives_exactly_once_at_its_slot(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    clock = Clock()
    async with _bot(fake_discord, _services(engine, fake_discord, tmp_path, _daily(cid)),
                    clock) as cog:
        clock.set(SLOT - dt.timedelta(seconds=1))
        await cog.poster.tick()
        assert _posts(fake_discord, cid) == []
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
        [post] = _posts(fake_discord, cid)
        footer = post["embeds"][0]["footer"]["text"]
        assert footer.endswith(f"Daily yaml-{cid} 2025-01-15")
        [send] = _sends(fake_discord, cid)
        assert send.json["nonce"] and send.json["enforce_nonce"] is True
        assert send.json["allowed_mentions"] == {"parse": []} and not post["content"]
        for later in (dt.timedelta(minutes=5), dt.timedelta(hours=13)):
            clock.set(SLOT + later)
            await cog.poster.tick()
            assert len(_posts(fake_discord, cid)) == 1
        clock.set(SLOT + dt.timedelta(days=1, seconds=1))  # the next day: the next card
        await cog.poster.tick()
        first, second = _posts(fake_discord, cid)
        assert first["embeds"][0]["title"] != second["embeds"][0]["title"]


@contextlib.contextmanager
def confirm_never_lands(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process dies between the send and the ledger's confirm."""
    def killed(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("killed before confirm")

    with monkeypatch.context() as patch:
        patch.setattr(DailyState, "confirm", killed)
        yield


@pytest.mark.parametrize("restart_after", [dt.timedelta(seconds=30), dt.timedelta(minutes=10)])
async def test_a_crash_between_send_and_confirm_never_posts_twice(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, restart_after: dt.timedelta) -> None:
    cid = fake_discord.text_channel_id
    services = _services(engine, fake_discord, tmp_path, _daily(cid))
    clock = Clock()

    with confirm_never_lands(monkeypatch):
        async with _bot(fake_discord, services, clock) as cog:
            clock.set(SLOT + dt.timedelta(seconds=1))
            await cog.poster.tick()
            assert len(_posts(fake_discord, cid)) == 1
    # A new process with the same state file: the ledger row is still "pending".
    clock.set(SLOT + restart_after)
    async with _bot(fake_discord, services, clock) as cog:
        await cog.poster.tick()
        assert len(_posts(fake_discord, cid)) == 1
        status = await _admin(fake_discord, "daily status")
    sends = _sends(fake_discord, cid)
    if restart_after < dt.timedelta(minutes=2):
        # Within Discord's nonce window: sent again with the same nonce, which
        # Discord answers with the original message.
        assert len(sends) == 2 and sends[0].json["nonce"] == sends[1].json["nonce"]
    else:
        # Too late to trust the nonce: the post was found in the channel instead.
        assert len(sends) == 1
        assert fake_discord.requests_to("GET", rf"/channels/{cid}/messages")
    [post] = _posts(fake_discord, cid)
    assert f"/channels/{fake_discord.guild_id}/{cid}/{post['id']}" in str(status["embeds"])


async def test_a_forbidden_channel_shows_in_status_and_the_bot_keeps_serving(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    clock = Clock()
    async with _bot(fake_discord, _services(engine, fake_discord, tmp_path, _daily(cid)),
                    clock) as cog:
        fake_discord.forbid_channel(cid)
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
        status = str((await _admin(fake_discord, "daily status"))["embeds"])
        assert "Missing Access" in status and "permissions" in status
        about = await _answer(await fake_discord.slash_command("about", {}))
        assert about["embeds"]
        # Fixed: the retry (after its backoff) posts, once.
        fake_discord.clear_faults()
        clock.set(SLOT + dt.timedelta(hours=1))
        await cog.poster.tick()
        assert len(_posts(fake_discord, cid)) == 1


async def test_members_without_manage_server_are_refused(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    async with _bot(fake_discord, _services(engine, fake_discord, tmp_path), Clock()) as cog:
        [daily] = [c for c in fake_discord.commands(fake_discord.guild_id)
                   if c["name"] == "daily"]
        assert str(daily["default_member_permissions"]) == str(1 << 5)  # Manage Server
        for path, options in (("daily set", {"channel": str(cid), "time": "07:00"}),
                              ("daily status", {})):
            handle = await fake_discord.slash_command(
                path, options, resolved=_channel_option(fake_discord, cid))
            callback = await handle.callback()
            assert callback.type == 4 and callback.data["flags"] & EPHEMERAL
            assert "Manage Server" in callback.data["content"]
        assert await cog.poster.db(cog.state.schedules, [], Clock()()) == []


async def test_daily_set_persists_across_a_restart_and_honours_its_topic(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    services = _services(engine, fake_discord, tmp_path)
    clock = Clock()
    async with _bot(fake_discord, services, clock):
        reply = await _admin(fake_discord, "daily set",
                             {"time": "09:30", "timezone": "asia/tokyo", "topic": "canada",
                              "days": "weekdays"}, channel=cid)
        assert "Daily post set" in str(reply["embeds"])
        assert f"<t:{int(SLOT.timestamp())}:F>" in str(reply["embeds"])
    async with _bot(fake_discord, services, clock) as cog:
        status = str((await _admin(fake_discord, "daily status"))["embeds"])
        assert f"cmd-{cid}" in status and "09:30 Asia/Tokyo, weekdays, topic canada" in status
        for day in range(3):  # Wed, Thu, Fri
            clock.set(SLOT + dt.timedelta(days=day, seconds=1))
            await cog.poster.tick()
        posts = _posts(fake_discord, cid)
        assert len(posts) == 3
        deck = services.require_deck()
        for post in posts:
            card_id = post["embeds"][0]["footer"]["text"].split(" · ")[0].removeprefix("Fact ")
            card = deck.get(card_id)
            assert card is not None and "canada" in card.topics
        clock.set(SLOT + dt.timedelta(days=3, seconds=1))  # Saturday: not a weekday
        await cog.poster.tick()
        assert len(_posts(fake_discord, cid)) == 3


async def test_a_forum_schedule_opens_one_thread_per_day_even_after_a_crash(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    forum = fake_discord.forum_channel_id
    services = _services(engine, fake_discord, tmp_path, _daily(forum))
    clock = Clock()

    def ours() -> list[dict[str, Any]]:
        return [t for t in fake_discord.threads.values() if t["parent_id"] == str(forum)]

    with confirm_never_lands(monkeypatch):
        async with _bot(fake_discord, services, clock) as cog:
            clock.set(SLOT + dt.timedelta(seconds=1))
            await cog.poster.tick()
            assert len(ours()) == 1  # posted, never confirmed
    clock.set(SLOT + dt.timedelta(seconds=20))
    async with _bot(fake_discord, services, clock) as cog:
        await cog.poster.tick()
        [thread] = ours()
        assert thread["name"].startswith("2025-01-15 · ")
        [starter] = _posts(fake_discord, int(thread["id"]))
        assert starter["id"] == thread["id"]
        status = str((await _admin(fake_discord, "daily status"))["embeds"])
        assert f"/{thread['id']}/{thread['id']}" in status  # the last post links to it


async def test_the_role_mention_is_the_only_mention(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid, role = fake_discord.text_channel_id, fake_discord.member_role_id
    services = _services(engine, fake_discord, tmp_path,
                         _daily(cid, f"    mention_role: {role}\n"))
    clock = Clock()
    async with _bot(fake_discord, services, clock) as cog:
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
    [post] = _posts(fake_discord, cid)
    assert post["content"] == f"<@&{role}>"
    [send] = _sends(fake_discord, cid)
    # No @everyone, no users, no other role: only this one may ping.
    assert send.json["allowed_mentions"] == {"parse": [], "roles": [role]}


async def test_admin_commands_pause_skip_preview_post_now_and_remove(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    clock = Clock()
    async with _bot(fake_discord, _services(engine, fake_discord, tmp_path), clock) as cog:
        bad = await _admin(fake_discord, "daily set", {"time": "9.30"}, channel=cid)
        assert "expected a time like" in bad["content"]
        await _admin(fake_discord, "daily set", {"time": "09:30"}, channel=cid)
        preview = await _admin(fake_discord, "daily preview")
        assert preview["content"].startswith(f"Next post in <#{cid}>")
        title = preview["embeds"][0]["title"]
        posted = await _admin(fake_discord, "daily post-now")
        assert "Posted the 2025-01-15 card" in str(posted["embeds"])
        [post] = _posts(fake_discord, cid)
        assert post["embeds"][0]["title"] == title  # the preview showed what was posted
        clock.set(SLOT + dt.timedelta(seconds=1))  # today's time passes without a post
        await cog.poster.tick()
        assert len(_posts(fake_discord, cid)) == 1
        skipped = await _admin(fake_discord, "daily skip")
        assert "Skipped Thu 2025-01-16 09:30 JST" in str(skipped["embeds"])
        paused = await _admin(fake_discord, "daily pause", channel=cid)
        assert "Daily post paused" in str(paused["embeds"])
        clock.set(SLOT + dt.timedelta(days=2, seconds=1))
        await cog.poster.tick()
        assert len(_posts(fake_discord, cid)) == 1
        await _admin(fake_discord, "daily resume")
        clock.set(SLOT + dt.timedelta(days=3, seconds=1))
        await cog.poster.tick()
        assert len(_posts(fake_discord, cid)) == 2
        removed = await _admin(fake_discord, "daily remove", channel=cid)
        assert "No more daily posts" in str(removed["embeds"])
        assert "No daily posts are set up" in str(
            (await _admin(fake_discord, "daily status"))["embeds"])


async def test_timezone_and_topic_autocomplete(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    async with _bot(fake_discord, _services(engine, fake_discord, tmp_path), Clock()):
        for option, typed, wanted in (("timezone", "tokyo", "Asia/Tokyo"),
                                      ("topic", "can", "canada")):
            handle = await fake_discord.autocomplete(
                "daily set", {option: typed}, option, permissions=ADMIN_PERMISSIONS)
            choices = await handle.choices()
            assert wanted in [c["value"] for c in choices]
            assert len(choices) <= 25 and all(len(c["name"]) <= 100 for c in choices)


async def test_an_unusable_state_file_disables_daily_posts_only(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    (tmp_path / "state.sqlite3").write_bytes(b"not a database" * 100)
    client = BluebookBot(_services(engine, fake_discord, tmp_path), clock=Clock(),
                         guild_ready_timeout=0.1)
    async with fake_discord.running(client):
        assert client.get_cog("Daily") is None
        about = await _answer(await fake_discord.slash_command("about", {}))
        assert about["embeds"]


async def test_an_outage_is_retried_with_backoff_and_posts_once(
        fake_discord: FakeDiscord, engine: QuoteEngine, tmp_path: Path) -> None:
    cid = fake_discord.text_channel_id
    clock = Clock()
    async with _bot(fake_discord, _services(engine, fake_discord, tmp_path, _daily(cid)),
                    clock) as cog:
        fake_discord.set_outage()
        clock.set(SLOT + dt.timedelta(seconds=1))
        await cog.poster.tick()
        fake_discord.set_outage(False)
        clock.set(SLOT + dt.timedelta(seconds=30))  # before the first retry (1 min)
        await cog.poster.tick()
        assert _posts(fake_discord, cid) == []
        clock.set(SLOT + dt.timedelta(minutes=1, seconds=2))
        await cog.poster.tick()
        assert len(_posts(fake_discord, cid)) == 1
        status = str((await _admin(fake_discord, "daily status"))["embeds"])
        assert "503" in status and "jump to it" in status
        sends = _sends(fake_discord, cid)
        assert len(sends) == 2 and sends[0].json["nonce"] == sends[1].json["nonce"]
