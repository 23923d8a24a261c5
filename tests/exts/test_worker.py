"""The search thread yields the CPU to the event loop (bot.exts.worker)."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import pytest

from bot.exts import worker


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice values are Linux's")
def test_search_thread_runs_nicer_than_the_loop() -> None:
    async def main() -> tuple[int, int]:
        return _niceness(), await worker.off_loop(_niceness)

    loop_nice, search_nice = asyncio.run(main())
    assert search_nice == min(loop_nice + worker.SEARCH_NICENESS, 19)
    assert _niceness() == loop_nice  # the caller's own priority is untouched


def test_startup_heap_frozen_once_set_up() -> None:
    import gc

    before = gc.get_freeze_count()
    try:
        worker.freeze_startup_heap()
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()  # the test process keeps collecting everything
