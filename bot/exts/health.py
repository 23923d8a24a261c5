"""A heartbeat file for Docker's HEALTHCHECK: fresh while the gateway is connected."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from pathlib import Path

from discord.ext import commands

log = logging.getLogger(__name__)
INTERVAL = 30.0


def health_file(state: Path) -> Path:
    return state.with_name("health.json")


class Health(commands.Cog):
    def __init__(self, bot: commands.Bot, path: Path) -> None:
        self.bot, self.path = bot, path
        self.task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self.task = asyncio.create_task(self._beat())

    async def cog_unload(self) -> None:
        if self.task:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def _beat(self) -> None:
        while True:
            if self.bot.is_ready() and not self.bot.is_closed():
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self.path.write_text(json.dumps({"time": time.time(),
                                                     "latency": self.bot.latency}))
                except OSError as exc:
                    log.warning("cannot write %s: %s", self.path, exc)
            await asyncio.sleep(INTERVAL)


async def setup(bot: commands.Bot) -> None:
    state = bot.services.config.paths.state  # type: ignore[attr-defined]
    await bot.add_cog(Health(bot, health_file(state)))
