"""Several ``bluebook-bot run`` processes on one state: exactly one post per slot.

Three real processes share one state (an SQLite file, or a PostgreSQL database)
and talk to one loopback Discord that does NOT deduplicate nonces, so every
duplicate a process sends would show as a second message. One schedule posts
while all three run; then the process that posted is killed (SIGKILL) and the
next schedule's post must come, once, from one of the other two.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.exts.botproc import LEADS, STANDBY, BotProcess, write_config
from tests.exts.dailykit import posts_in
from tests.fakediscord import FakeDiscord


@pytest.fixture
async def processes(fake_discord: FakeDiscord) -> AsyncIterator[list[BotProcess]]:
    started: list[BotProcess] = []
    try:
        yield started
    finally:
        await asyncio.gather(*(p.stop() for p in started))


async def until(fake: FakeDiscord, what: str, check: object, timeout: float) -> None:
    await fake.wait_until(check, timeout=timeout, what=what, poll=0.2)  # type: ignore[arg-type]


async def test_three_processes_post_once_and_once_more_after_the_leader_is_killed(
        fake_discord: FakeDiscord, processes: list[BotProcess], state_location: str,
        tmp_path: Path) -> None:
    fake = fake_discord
    fake.dedupe_nonces = False  # a resent post would be a second message
    fake.concurrent_sessions = True  # three processes, one token, one shard each
    text, thread = fake.text_channel_id, fake.thread_id
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    first, second = start + dt.timedelta(seconds=12), start + dt.timedelta(seconds=32)
    config = write_config(tmp_path / "config.yaml", fake, state_location,
                          [(text, f"{first:%H:%M:%S}"), (thread, f"{second:%H:%M:%S}")])
    for n in range(3):
        proc = BotProcess(fake.api_base, fake.gateway_url, config, tmp_path / f"bot{n}.log")
        processes.append(proc)
        await proc.start()

    def roles() -> tuple[list[BotProcess], list[BotProcess]]:
        return ([p for p in processes if LEADS in p.text()],
                [p for p in processes if STANDBY in p.text()])

    await until(fake, "one leader and two standbys",
                lambda: tuple(map(len, roles())) == (1, 2), timeout=40)
    [leader], standbys = roles()
    # Killed once the post is confirmed: a kill between send and confirm is Discord's
    # nonce check's to absorb (tests/exts/test_daily_e2e_posting.py), and this fake
    # does not deduplicate.
    await until(fake, "the first post", lambda: posts_in(fake, text) and
                "sent: message" in leader.text(), timeout=40)
    await leader.kill()
    killed = time.monotonic()
    await until(fake, "a new leader", lambda: sum(LEADS in p.text() for p in standbys) == 1,
                timeout=30)
    # A figure, not an assertion (no timed assertions): shown with pytest -s.
    backend = "postgresql" if state_location.startswith("postgresql:") else "sqlite"
    print(f"\n{backend}: a standby took the lead "
          f"{time.monotonic() - killed:.1f} s after the leader was killed")
    await until(fake, "the second post", lambda: posts_in(fake, thread), timeout=60)
    await asyncio.sleep(6)  # a standby that wrongly posted would have done so by now
    assert len(posts_in(fake, text)) == 1
    assert len(posts_in(fake, thread)) == 1
    assert all("Traceback" not in p.text() for p in processes)
