"""``bluebook-bot run`` in a child process, pointed at a loopback fake Discord.

    python -m tests.exts.botproc API_BASE GATEWAY_URL -- run --config FILE

The child is the real CLI path (config, services, the client, the extensions,
signals); the only change is where discord.py connects, which is why this lives
in tests/. :class:`BotProcess` starts and stops one from a test.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# What a process logs about the lead (bot.exts.daily_lead).
LEADS = "this process leads"
STANDBY = "standby, not posting"


def write_config(path: Path, fake: Any, state: str, schedules: list[tuple[int, str]],
                 discord_extra: str = "") -> Path:
    """A config for a child bot: *fake*'s guild, *state*, daily posts at UTC times."""
    daily = "".join(f'  - channel: {cid}\n    time: "{time}"\n    timezone: UTC\n'
                    for cid, time in schedules)
    path.write_text(f"discord:\n  guilds: [{fake.guild_id}]\n{discord_extra}"
                    f"paths:\n  state: '{state}'\n  health: {path.parent}/health-{path.stem}.json\n"
                    f"daily:\n{daily or '  []'}\n")
    return path


def _child(argv: list[str]) -> int:
    import discord.gateway
    import discord.http
    import yarl

    from bot.cli import main

    api, gateway, rest = argv[0], argv[1], argv[3:]
    discord.http.Route.BASE = api
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    return main(rest)


class BotProcess:
    """One bot process; its log (stderr) goes to *log*."""

    def __init__(self, api: str, gateway: str, config: Path, log: Path) -> None:
        self.args = [sys.executable, "-m", "tests.exts.botproc", api, gateway, "--",
                     "run", "--config", str(config)]
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, env: dict[str, str] | None = None) -> None:
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                *self.args, cwd=ROOT, stdin=asyncio.subprocess.DEVNULL, stdout=out,
                stderr=out, env={**os.environ, "DISCORD_TOKEN": "fake-token", **(env or {})})

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def kill(self) -> None:
        """SIGKILL: no clean shutdown, as when a container is killed."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    async def stop(self, timeout: float = 10.0) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            await self.proc.wait()


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
