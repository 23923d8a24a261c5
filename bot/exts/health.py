"""A heartbeat file for Docker's HEALTHCHECK: fresh only while the gateway is connected."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from pathlib import Path

import discord
from discord.ext import commands

from bot.storage.files import write_atomically

log = logging.getLogger(__name__)
INTERVAL = 30.0
RETRY = 1.0


def health_file(state: Path) -> Path:
    return state.with_name("health.json")


def problems(bot: commands.Bot) -> list[str]:
    """What is broken although the gateway is fine: each cog may say, in its
    ``health_problem`` attribute (daily posts disabled, say)."""
    found = (getattr(cog, "health_problem", None) for cog in bot.cogs.values())
    return [p for p in found if isinstance(p, str) and p]


def connected(bot: commands.Bot) -> bool:
    """Whether the gateway socket is open and heartbeats are being acknowledged.

    ``is_ready()`` is not enough: discord.py keeps it set while it reconnects.
    A sharded bot is connected when every shard it runs is.
    """
    if isinstance(bot, discord.AutoShardedClient):
        shards = list(bot.shards.values())
        return bool(shards) and not bot.is_closed() and all(
            not s.is_closed() and math.isfinite(s.latency) for s in shards)
    ws = bot.ws
    return ws is not None and ws.open and math.isfinite(bot.latency) and not bot.is_closed()


# A beat a little ahead of this clock is tolerated (clocks of two processes on one
# host agree; a container's may drift by a second); further ahead means the file
# was not written by a bot running now, so it vouches for nothing.
FUTURE_SLACK = 5.0


def judge_beat(text: str, now: float) -> tuple[bool, str]:
    """Whether the heartbeat file's *text* shows a live bot at *now*, and a one-line
    message saying so or why not. Never raises, whatever the file holds."""
    try:
        beat = json.loads(text)
    except ValueError:
        return False, "the heartbeat file is not JSON"
    if not isinstance(beat, dict):
        return False, "the heartbeat file does not hold a heartbeat (expected a JSON object)"
    when, latency = beat.get("time"), beat.get("latency", 0.0)
    if isinstance(when, bool) or not isinstance(when, int | float) or not math.isfinite(when):
        return False, "the heartbeat file has no valid time"
    if isinstance(latency, bool) or not isinstance(latency, int | float):
        latency = float("nan")
    age = now - when
    if age < -FUTURE_SLACK:
        return False, (f"the last heartbeat is {-age:.0f} s in the future: the file was not "
                       "written by a running bot (or the clock was set back)")
    if age > 3 * INTERVAL:
        return False, f"last heartbeat {age:.0f} s ago"
    trouble = beat.get("problems")
    if isinstance(trouble, list) and trouble:  # e.g. daily posts disabled: alive, not well
        return False, "; ".join(map(str, trouble))
    return True, f"heartbeat {max(age, 0):.0f} s ago, gateway latency {latency:.3f} s"


def write_beat(path: Path, latency: float, trouble: list[str] | None = None) -> None:
    """Replace the file atomically, so a health check never reads half a file."""
    beat = json.dumps({"time": time.time(), "latency": latency,
                       "problems": trouble or []}).encode()
    write_atomically(path, lambda fh: fh.write(beat))


class Health(commands.Cog):
    def __init__(self, bot: commands.Bot, path: Path) -> None:
        self.bot, self.path = bot, path
        self.task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        # A file left by the previous run must not vouch for this one.
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.task = asyncio.create_task(self._beat())

    async def cog_unload(self) -> None:
        if self.task:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def _beat(self) -> None:
        await self.bot.wait_until_ready()
        last: list[str] | None = None
        while True:
            wrote = False
            if connected(self.bot):
                try:
                    last = problems(self.bot)
                    write_beat(self.path, self.bot.latency, last)
                    wrote = True
                except OSError as exc:
                    log.warning("cannot write %s: %s", self.path, exc)
            # Until a beat is written (no heartbeat acknowledged yet, or reconnecting),
            # look again soon rather than a whole interval later; a new problem (or
            # one gone) is written at once, not an interval later.
            waited = 0.0
            while waited < (INTERVAL if wrote else RETRY) and problems(self.bot) == last:
                await asyncio.sleep(RETRY)
                waited += RETRY


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Health(bot, bot.services.config.health_file))  # type: ignore[attr-defined]
