"""Does the Discord event loop ever wait on a search? Measure it under load.

The real bot (:class:`bot.client.BluebookBot`) runs against the loopback fake
Discord from ``tests/fakediscord`` on a corpus of your choice, while many
``/quote`` commands and ``quote`` autocompletes arrive at once. Three figures:

- event-loop lag: a probe task asks to wake every 10 ms and records how late it is;
- heartbeat gaps: discord.py heartbeats from the loop, so the fake's record of
  when they arrived shows any stall a real gateway would see;
- acknowledgement time: from INTERACTION_CREATE to the bot's first callback
  (Discord's deadline is 3 s), and to the final answer.

    python -m bench.loop_lag --corpus bench/data/corpora/full --requests 400 --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import itertools
import json
import multiprocessing
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import discord.gateway
import discord.http
import yarl

from bench.queries import noisy
from bench.report import percentile
from bot.app.services import Services
from bot.client import BluebookBot
from bot.exts import worker
from bot.storage.config_file import parse_config_text
from bot.storage.index_cache import load_engine
from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]
PROBE_S = 0.010
HEARTBEAT_MS = 250


def make_queries(services: Services, count: int, seed: int) -> list[str]:
    """Noisy 8-30 word windows of random corpus paragraphs, as people quote them."""
    rng = random.Random(seed)
    paragraphs = [p.text for p in services.engine.corpus if len(p.text.split()) >= 12]
    out: list[str] = []
    while len(out) < count:
        words = rng.choice(paragraphs).split()
        size = rng.randint(8, min(30, len(words)))
        start = rng.randrange(len(words) - size + 1)
        out.append(" ".join(noisy(words[start:start + size], rng)))
    return out


async def _probe(lags: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        expected = loop.time() + PROBE_S
        await asyncio.sleep(PROBE_S)
        lags.append(max(loop.time() - expected, 0.0) * 1000)


def _stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    return {"n": len(values), "median": round(statistics.median(values), 2),
            "p95": round(percentile(values, 95), 2), "p99": round(percentile(values, 99), 2),
            "max": round(max(values), 2)}


class InlineExecutor(concurrent.futures.Executor):
    """Runs the submitted call at once, on the caller's thread: the control run."""

    def submit(self, fn: Callable[..., Any], /, *args: Any,
               **kwargs: Any) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


class FakeProcess:
    """The fake Discord and the load generator in a child process with its own event
    loop and GIL, so none of their work shows up as lag in the bot's process (as with
    a real, remote Discord). Commands go over a pipe; results come back the same way."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_child_main, args=(child,), daemon=True)
        self.proc.start()
        self.info: dict[str, Any] = self.conn.recv()

    async def ask(self, message: dict[str, Any]) -> Any:
        self.conn.send(message)
        return await asyncio.to_thread(self.conn.recv)  # wait without blocking the loop

    def close(self) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send({"op": "stop"})
        self.proc.join(10)


def _child_main(conn: Connection) -> None:
    asyncio.run(_child(conn))


async def _child(conn: Connection) -> None:
    fake = FakeDiscord(heartbeat_interval_ms=HEARTBEAT_MS)
    await fake.start()
    conn.send({"api": fake.api_base, "gateway": fake.gateway_url, "guild": fake.guild_id})
    while True:
        message = await asyncio.to_thread(conn.recv)
        if message["op"] == "stop":
            break
        if message["op"] == "beats":
            conn.send(list(fake.heartbeats))
        elif message["op"] == "load":
            ack_ms: list[float] = []
            done_ms: list[float] = []
            await _load(fake, message["queries"], message["concurrency"], ack_ms, done_ms)
            conn.send({"ack": ack_ms, "done": done_ms})
    await fake.stop()


async def _load(fake: FakeDiscord, queries: list[str], concurrency: int,
                ack_ms: list[float], done_ms: list[float]) -> None:
    """Half /quote commands, half autocompletes, *concurrency* in flight at once."""
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int, text: str) -> None:
        async with gate:
            t0 = time.perf_counter()
            if i % 2:
                handle = await fake.autocomplete("quote", {"text": text[:60]}, "text")
                await handle.callback(timeout=60)
                ack_ms.append((time.perf_counter() - t0) * 1000)
                return
            handle = await fake.slash_command("quote", {"text": text})
            first = await handle.callback(timeout=60)
            ack_ms.append((time.perf_counter() - t0) * 1000)
            if first.type == 5:
                await handle.followup(timeout=60)
            done_ms.append((time.perf_counter() - t0) * 1000)

    await asyncio.gather(*(one(i, q) for i, q in enumerate(queries)))


async def measure(corpus: Path, requests: int, concurrency: int, seed: int,
                  inline: bool = False) -> dict[str, Any]:
    started = time.perf_counter()
    engine = load_engine(corpus)
    warm_s = time.perf_counter() - started
    side = FakeProcess()
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = side.info["api"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(side.info["gateway"])
    real_executor = worker._EXECUTOR
    if inline:  # the control: what the bot would do if it searched on the event loop
        worker._EXECUTOR = InlineExecutor()
    # The state and heartbeat go to a scratch folder, never into the checkout.
    scratch = Path(tempfile.mkdtemp(prefix="bluebook-lag-"))
    config = parse_config_text(f"discord:\n  guilds: [{side.info['guild']}]\n", base=scratch)
    services = Services(engine, None, random.Random(seed), config)
    queries = make_queries(services, requests, seed)
    idle: list[float] = []
    lags: list[float] = []
    bot = BluebookBot(services, guild_ready_timeout=0.1)
    try:
        async with bot:
            await bot.login("fake-token")
            connect = asyncio.create_task(bot.connect())
            await asyncio.wait_for(bot.wait_until_ready(), 60)
            stop = asyncio.Event()
            probe = asyncio.create_task(_probe(idle, stop))
            await asyncio.sleep(1.0)  # the idle baseline
            stop.set()
            await probe
            beats_before = len(await side.ask({"op": "beats"}))
            stop = asyncio.Event()
            probe = asyncio.create_task(_probe(lags, stop))
            load_started = time.perf_counter()
            timings = await side.ask({"op": "load", "queries": queries,
                                      "concurrency": concurrency})
            load_s = time.perf_counter() - load_started
            stop.set()
            await probe
            beats = (await side.ask({"op": "beats"}))[beats_before:]
            ack_ms, done_ms = timings["ack"], timings["done"]
            await bot.close()
            await asyncio.wait_for(connect, 10)
    finally:
        worker._EXECUTOR = real_executor
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved
        side.close()
        shutil.rmtree(scratch, ignore_errors=True)
    gaps = [(b - a) * 1000 - HEARTBEAT_MS for a, b in itertools.pairwise(beats)]
    return {
        "corpus": str(corpus), "passages": len(engine.corpus), "warm_start_s": round(warm_s, 2),
        "search_on": "event loop (control)" if inline else "worker threads",
        "requests": requests, "concurrency": concurrency, "load_s": round(load_s, 2),
        "throughput_per_s": round(requests / load_s, 1),
        "loop_lag_idle_ms": _stats(idle), "loop_lag_load_ms": _stats(lags),
        "heartbeat_late_ms": _stats(gaps), "ack_ms": _stats(ack_ms), "answer_ms": _stats(done_ms),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.loop_lag", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--inline", action="store_true",
                        help="control run: search on the event loop, to show what a stall "
                             "looks like")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.corpus, args.requests, args.concurrency, args.seed,
                                 inline=args.inline))
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
