"""``bluebook-bot run`` connects to Discord (SIGHUP reloads the fact cards);
``bluebook-bot health`` checks it is alive."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import discord

from bot.app.services import Services, load_services
from bot.cli.common import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE
from bot.client import make_bot
from bot.core.errors import Problem
from bot.exts.health import INTERVAL
from bot.exts.worker import off_loop
from bot.storage.config_file import config_path, load_config
from bot.storage.facts_files import DeckHolder

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


def reload_facts(services: Services, holder: DeckHolder) -> list[Problem]:
    """Read the fact cards again and serve them (SIGHUP). With any problem, the last
    good deck stays in service; every problem is logged, and returned. Blocking: it
    validates every quote against the corpus, so the bot runs it off the event loop."""
    problems = holder.reload(services.engine)
    if not problems:
        # One assignment: a command already running keeps the deck it started with.
        services.deck, services.facts_problem = holder.deck, ""
        log.info("reloaded %d fact cards in %d topics", len(holder.deck),
                 len(holder.deck.topics))
    return problems


def _reloader(services: Services) -> Callable[[], None] | None:
    """The SIGHUP handler: starts a reload on the search thread, so reloads run one at
    a time and never block the gateway. None if there is no deck to keep."""
    if services.deck is None:
        return None
    holder = DeckHolder(services.config.facts_dir, services.engine, services.deck)
    running: set[asyncio.Future[list[Problem]]] = set()  # referenced until done

    def start() -> None:
        log.info("SIGHUP: reloading the fact cards from %s", holder.facts_dir)
        task = asyncio.ensure_future(off_loop(reload_facts, services, holder))
        running.add(task)
        task.add_done_callback(running.discard)

    return start


async def _serve(services: Services, token: str) -> None:
    try:
        await _serve_once(services, token, refused=False)
    except discord.PrivilegedIntentsRequired:
        if not services.config.discord.message_content:
            raise
        # Everything but inline lookups still works: start again without the intent.
        log.error("Discord refused the Message Content intent; inline lookups are off. "
                  "Turn it on in the Developer Portal (Bot → Privileged Gateway Intents).")
        await _serve_once(services, token, refused=True)


async def _serve_once(services: Services, token: str, *, refused: bool) -> None:
    bot = make_bot(services, refused=refused)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    handlers: dict[int, Callable[[], None]] = {signal.SIGINT: stop.set, signal.SIGTERM: stop.set}
    reload = _reloader(services)
    if reload is not None and hasattr(signal, "SIGHUP"):  # no SIGHUP on Windows
        handlers[signal.SIGHUP] = reload
    for sig, handler in handlers.items():
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, handler)
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
        for sig in handlers:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)


def check_health(args: argparse.Namespace) -> int:
    config = load_config(config_path(args.config))
    path = config.health_file
    try:
        beat = json.loads(path.read_text())
    except (OSError, ValueError):
        print(f"unhealthy: no heartbeat at {path}", file=sys.stderr)
        return EXIT_NOT_FOUND
    age = time.time() - float(beat.get("time", 0))
    if age > 3 * INTERVAL:
        print(f"unhealthy: last heartbeat {age:.0f} s ago", file=sys.stderr)
        return EXIT_NOT_FOUND
    trouble = beat.get("problems") or []
    if trouble:
        print(f"unhealthy: {'; '.join(map(str, trouble))}", file=sys.stderr)
        return EXIT_NOT_FOUND
    print(f"healthy: heartbeat {age:.0f} s ago, gateway latency {beat.get('latency', 0):.3f} s")
    return EXIT_OK
