"""``bluebook-bot run`` connects to Discord; ``bluebook-bot health`` checks it is alive."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import time
from pathlib import Path

import discord

from bot.app.services import Services, load_services
from bot.cli.common import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE
from bot.client import BluebookBot
from bot.exts.health import INTERVAL, health_file
from bot.storage.config_file import config_path, load_config

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="connect to Discord and serve the slash commands")
    run.add_argument("--config", type=Path, default=None, metavar="FILE",
                     help="config file (default: $BLUEBOOK_CONFIG, else built-in defaults)")
    run.set_defaults(handler=run_bot)
    health = sub.add_parser("health", help="exit 0 if a running bot's heartbeat is fresh")
    health.add_argument("--config", type=Path, default=None, metavar="FILE")
    health.set_defaults(handler=check_health)


def run_bot(args: argparse.Namespace) -> int:
    config = load_config(config_path(args.config))
    token = config.token()
    if token is None:
        print(f"bluebook-bot run: no token: set ${config.discord.token_env} "
              "(or discord.token_file in the config)", file=sys.stderr)
        return EXIT_USAGE
    discord.utils.setup_logging(level=getattr(logging, config.logging.level), root=True)
    services = load_services(config)
    if services.deck is None:
        print(f"bluebook-bot run: fact cards unavailable: {services.facts_problem}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        asyncio.run(_serve(services, token.get_secret_value()))
    except discord.LoginFailure:
        print("bluebook-bot run: Discord refused the token", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


async def _serve(services: Services, token: str) -> None:
    bot = BluebookBot(services)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    try:
        async with bot:
            runner = asyncio.create_task(bot.start(token))
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({runner, stopper},
                                         return_when=asyncio.FIRST_COMPLETED)
            if stopper in done:
                log.info("shutting down")
                await bot.close()
            stopper.cancel()
            await runner  # re-raises a login failure or a crash
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)


def check_health(args: argparse.Namespace) -> int:
    config = load_config(config_path(args.config))
    path = health_file(config.paths.state)
    try:
        beat = json.loads(path.read_text())
    except (OSError, ValueError):
        print(f"unhealthy: no heartbeat at {path}", file=sys.stderr)
        return EXIT_NOT_FOUND
    age = time.time() - float(beat.get("time", 0))
    if age > 3 * INTERVAL:
        print(f"unhealthy: last heartbeat {age:.0f} s ago", file=sys.stderr)
        return EXIT_NOT_FOUND
    print(f"healthy: heartbeat {age:.0f} s ago, gateway latency {beat.get('latency', 0):.3f} s")
    return EXIT_OK
