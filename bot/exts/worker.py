"""Run CPU-bound work (searches, autocomplete, rendering) off the event loop.

One dedicated thread, not a pool: the search code is mostly Python, so more
threads add no throughput under the GIL and only make the event loop wait its
turn behind each of them (measured by ``python -m bench.loop_lag``: with the
default pool of six threads, heartbeats ran hundreds of milliseconds late under
load). With one worker the loop competes with a single thread, and asks for the
GIL back often (see :func:`tune_switch_interval`); that thread runs at a lower
priority than the loop (:data:`SEARCH_NICENESS`).
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

SWITCH_INTERVAL_S = 0.001
# How much nicer the search thread is than the event loop (Linux: one per thread).
# When the CPUs are busy, the scheduler then runs the loop as soon as it wakes instead
# of sharing the CPU with a search: heartbeats and acknowledgements come first, a
# search a little later. The lag was CPU time the loop waited for, not its own work
# (its thread used 2-3 ms of CPU in a window 15 ms late), and the switch interval did
# not change it. bench.loop_lag, 1000 requests at concurrency 32 on 2 busy cores:
# loop lag p99 3.4-4.1 ms (nice 10), 5.4-8.3 (5), 2.8-4.3 (19), 6.1-6.5 (0).
SEARCH_NICENESS = 10


def _lower_priority() -> None:
    """Run in the search thread when it starts: lower its scheduling priority only.
    Linux only: elsewhere a thread id is no process id, and setpriority would miss."""
    if sys.platform != "linux":
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid,
                       min(os.getpriority(os.PRIO_PROCESS, tid) + SEARCH_NICENESS, 19))
    except OSError as exc:  # a sandbox may refuse it: searches then run as before
        log.warning("could not lower the search thread's priority: %s", exc)


_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bluebook-search",
                               initializer=_lower_priority)


async def off_loop(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``await off_loop(f, x)``: run ``f(x)`` on the search thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_EXECUTOR, functools.partial(func, *args, **kwargs))


def tune_switch_interval() -> None:
    """Let a waiting thread (the event loop) take the GIL after 1 ms instead of 5 ms,
    so a long search cannot hold up a heartbeat for a whole switch interval."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def freeze_startup_heap() -> None:
    """Move what start-up made (modules, the engine, discord.py's state) out of the
    collector's reach: a full collection then walks only what came after. Without
    it one gen-2 collection walked some 78,000 objects for 53-65 ms, in whichever
    thread triggered it, GIL held: the event loop stalled that long
    (bench.loop_lag, 1000 requests: loop lag max 52 ms, 8 ms with this). Garbage
    is collected first, so none of it is kept for good."""
    gc.collect()
    gc.freeze()
