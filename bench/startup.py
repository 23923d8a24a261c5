"""Whole-process start-up: ``bluebook-bot --version`` and one ``quote`` on a warm cache.

Each is a fresh interpreter, as a user runs it, timed from outside; the median
of a few runs is reported (the first run of each warms the file cache).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_MAIN = "import sys; from bot.cli import main; sys.exit(main())"


def _time(cmd: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs + 1):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times[1:])


def measure(code: Path, corpus: Path, cache_root: Path, query: str,
            runs: int = 5) -> dict[str, Any]:
    """Seconds for ``--version`` and for ``quote`` (cache at ``cache_root/bluebook-bot``)."""
    env = {**os.environ, "BLUEBOOK_CACHE_DIR": str(cache_root),
           "OMP_NUM_THREADS": "1", "RAPIDFUZZ_NUM_THREADS": "1"}
    base = [sys.executable, "-c", _MAIN]
    return {"version_s": _time([*base, "--version"], code, env, runs),
            "quote_s": _time([*base, "quote", "--corpus", str(corpus), query], code, env,
                             runs)}
