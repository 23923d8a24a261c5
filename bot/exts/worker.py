"""Run CPU-bound work (searches, autocomplete, rendering) off the event loop.

One dedicated thread, not a pool: the search code is mostly Python, so more
threads add no throughput under the GIL and only make the event loop wait its
turn behind each of them (measured by ``python -m bench.loop_lag``: with the
default pool of six threads, heartbeats ran hundreds of milliseconds late under
load). With one worker the loop competes with a single thread, and asks for the
GIL back often (see :func:`tune_switch_interval`).
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bluebook-search")
SWITCH_INTERVAL_S = 0.001


async def off_loop(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``await off_loop(f, x)``: run ``f(x)`` on the search thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_EXECUTOR, functools.partial(func, *args, **kwargs))


def tune_switch_interval() -> None:
    """Let a waiting thread (the event loop) take the GIL after 1 ms instead of 5 ms,
    so a long search cannot hold up a heartbeat for a whole switch interval."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
