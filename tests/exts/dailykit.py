"""Helpers shared by the daily-post end-to-end tests: a clock the test moves, the bot, its posts.

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
from bot.core.quotes.matching import QuoteEngine
from bot.exts.daily import Daily
from bot.storage.config_file import parse_config_text
from bot.storage.state import DailyState
from tests.conftest import ROOT
from tests.exts.discordkit import answer_of
from tests.fakediscord import FakeDiscord
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


def daily_services(engine: QuoteEngine, fake: FakeDiscord, tmp: Path, daily: str = "") -> Services:
    config = parse_config_text(
        f"discord:\n  guilds: [{fake.guild_id}]\npaths:\n  state: {tmp}/state.sqlite3\n{daily}",
        base=ROOT)
    deck, problem = load_deck(config.facts_dir, engine)
    assert deck is not None, problem
    return Services(engine, deck, random.Random(7), config)


def daily_yaml(channel: int, extra: str = "") -> str:
    return f'daily:\n  - channel: {channel}\n    time: "09:30"\n{extra}'


@asynccontextmanager
async def running_daily(fake: FakeDiscord, services: Services,
                        clock: Clock) -> AsyncIterator[Daily]:
    client = BluebookBot(services, clock=clock, guild_ready_timeout=0.1)
    async with fake.running(client):
        # Not isinstance: load_extension imports its own copy of bot.exts.daily.
        cog = cast(Daily, client.get_cog("Daily"))
        assert type(cog).__name__ == "Daily"
        await cog.poster.tick()  # the first pass, at the clock's start
        yield cog


def posts_in(fake: FakeDiscord, channel_id: int) -> list[dict[str, Any]]:
    """The daily posts in a channel: bot messages whose embed carries the marker."""
    return [m for m in fake.messages_in(channel_id, include_ephemeral=False)
            if any("Daily " in (e.get("footer") or {}).get("text", "") for e in m["embeds"])]


def sends_to(fake: FakeDiscord, channel_id: int) -> list[Any]:
    return fake.requests_to("POST", rf"/channels/{channel_id}/messages")


def channel_option(fake: FakeDiscord, channel_id: int) -> dict[str, Any]:
    channel = fake.channel(channel_id)
    assert channel is not None
    return {"channels": {str(channel_id): {**channel, "permissions": DEFAULT_PERMISSIONS}}}


async def as_admin(fake: FakeDiscord, path: str, options: dict[str, Any] | None = None,
                 channel: int | None = None) -> dict[str, Any]:
    resolved = channel_option(fake, channel) if channel else None
    opts = {**(options or {}), **({"channel": str(channel)} if channel else {})}
    message = await answer_of(await fake.slash_command(
        path, opts, resolved=resolved, permissions=ADMIN_PERMISSIONS))
    assert message["flags"] & EPHEMERAL
    assert message["allowed_mentions"] == {"parse": []}
    return message


@contextlib.contextmanager
def confirm_never_lands(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process dies between the send and the ledger's confirm."""
    def killed(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("killed before confirm")

    with monkeypatch.context() as patch:
        patch.setattr(DailyState, "confirm", killed)
        yield
