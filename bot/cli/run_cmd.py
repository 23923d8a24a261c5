"""``bluebook-bot run`` connects to Discord (SIGHUP reloads the corpus and fact cards);
``bluebook-bot health`` checks it is alive."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import discord

from bot.app.services import Services, load_services
from bot.cli.common import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE
from bot.cli.logs import setup_run_logging
from bot.client import make_bot
from bot.core.errors import ContentError, Problem
from bot.exts.health import judge_beat
from bot.exts.worker import off_loop
from bot.storage.config_file import config_path, load_config
from bot.storage.corpus_files import corpus_problems
from bot.storage.facts_files import DeckHolder
from bot.storage.index_cache import load_engine

log = logging.getLogger(__name__)
# Not bad usage: the same command may work once the network is back.
EXIT_UNREACHABLE = 1


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
    setup_run_logging(config.logging.level)
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
    except (aiohttp.ClientError, OSError, TimeoutError, discord.GatewayNotFound,
            discord.DiscordServerError) as exc:
        # One line, not the traceback through aiohttp: what failed, and what to check.
        print(f"bluebook-bot run: cannot reach Discord ({_reason(exc)}): check this machine's "
              "network connection, DNS, any proxy or firewall, and https://discordstatus.com",
              file=sys.stderr)
        return EXIT_UNREACHABLE
    return EXIT_OK


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"
def reload_content(services: Services, holder: DeckHolder) -> list[Problem]:
    """Build the corpus and the deck again (SIGHUP), without serving them yet.

    Blocking (it may index the whole corpus and checks every card against it), so
    the bot runs it off the event loop while the old engine keeps serving. On any
    problem, with the corpus or with a card whose quote is no longer in it, every
    problem is logged and returned, and the last good corpus and deck stay."""
    folder = services.config.corpus_dir
    try:
        engine = load_engine(folder)  # from the index cache when the files are unchanged
    except ContentError as exc:
        for problem in exc.problems:
            log.warning("corpus reload: %s", problem)
        log.warning("corpus reload failed with %d problem(s); keeping the last good corpus "
                    "(%d passages) and deck", len(exc.problems), len(services.engine.corpus))
        return exc.problems
    for problem in corpus_problems(folder).problems:
        log.warning("corpus reload: %s (not loaded; the other documents serve)", problem)
    problems = holder.reload(engine)
    if problems:
        if engine is not services.engine:
            log.warning("keeping the last good corpus too: the cards must match the corpus "
                        "they are served with")
        return problems
    return []


def serve_reloaded(services: Services, holder: DeckHolder) -> None:
    """Serve what :func:`reload_content` built: one step on the event loop, so a
    command sees the old corpus and deck or the new ones, never one of each."""
    services.engine, services.deck, services.facts_problem = holder.engine, holder.deck, ""
    log.info("reloaded %d passages in %d documents and %d fact cards in %d topics",
             len(holder.engine.corpus), len(holder.engine.corpus.documents),
             len(holder.deck), len(holder.deck.topics))


def reload_facts(services: Services, holder: DeckHolder) -> list[Problem]:
    """Reload the corpus and the fact cards and serve them if both are good."""
    problems = reload_content(services, holder)
    if not problems:
        serve_reloaded(services, holder)
    return problems


def _reloader(services: Services) -> Callable[[], None] | None:
    """The SIGHUP handler: starts a reload on the search thread, so reloads run one at
    a time and never block the gateway. None if there is no deck to keep."""
    if services.deck is None:
        return None
    holder = DeckHolder(services.config.facts_dir, services.engine, services.deck)
    running: set[asyncio.Future[list[Problem]]] = set()  # referenced until done

    def done(task: asyncio.Future[list[Problem]]) -> None:
        running.discard(task)
        if not task.cancelled() and task.exception() is None and not task.result():
            serve_reloaded(services, holder)  # a done callback runs on the event loop

    def start() -> None:
        log.info("SIGHUP: reloading the corpus from %s and the fact cards from %s",
                 services.config.corpus_dir, holder.facts_dir)
        task = asyncio.ensure_future(off_loop(reload_content, services, holder))
        running.add(task)
        task.add_done_callback(done)

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
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        print(f"unhealthy: no heartbeat at {path}", file=sys.stderr)
        return EXIT_NOT_FOUND
    ok, message = judge_beat(text, time.time())
    if not ok:
        print(f"unhealthy: {message} ({path})", file=sys.stderr)
        return EXIT_NOT_FOUND
    print(f"healthy: {message}")
    return EXIT_OK
