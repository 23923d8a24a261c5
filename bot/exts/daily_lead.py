"""Opening the daily-post state, and holding the lead that lets one process post.

Two things that used to be fatal for a whole run are now states the bot comes
out of by itself:

* **the state cannot be opened** (another process holds a write lock for a while,
  the database is not up yet): opening is retried with backoff, 1 s doubling to
  a minute, for as long as the bot runs. Meanwhile ``/daily status`` and the
  health check say daily posts are disabled, and why.
* **another process posts** (two containers on one state file, a rolling deploy,
  several shards): only the process holding the lead posts; the others serve
  every command, say "standby" in their log and in ``/daily status``, and try
  for the lead every :data:`LEAD_POLL` seconds, so one of them takes over within
  that time after the leader dies.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from bot.storage.state import DailyState, StateError, open_state

log = logging.getLogger(__name__)

OPEN_BACKOFF_CAP = 60.0
LEAD_POLL = 5.0  # seconds between tries for the lead (and the leader's check that it holds it)

Opener = Callable[[], DailyState]


def opener(location: Path | str, password: str | None) -> Opener:
    return lambda: open_state(location, password)


class StateKeeper:
    """Owns the state once it opens; :attr:`on_change` is called when it opens and
    whenever this process gains or loses the lead."""

    def __init__(self, open_fn: Opener, where: str, on_change: Callable[[], None]) -> None:
        self._open, self.where, self.on_change = open_fn, where, on_change
        self.state: DailyState | None = None
        self.problem: str | None = None  # why daily posts are disabled, while they are
        self.leader_name: str | None = None  # who leads, as last seen by a standby
        self.opened = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def leading(self) -> bool:
        return self.state is not None and self.state.leading

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="daily-state")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.state is not None:
            await asyncio.to_thread(self.state.close)
            self.state = None

    async def _run(self) -> None:
        state = await self._open_with_backoff()
        log.info("daily posts: state %s (%s) is open", state.where, state.kind)
        self.state, self.problem = state, None
        leading = await self._try_lead(state)  # before anyone plans with it
        self.opened.set()
        was: bool | None = None
        while True:
            if leading != was:
                if leading:
                    log.info("daily posts: this process leads and makes the posts")
                else:
                    who = self.leader_name = await asyncio.to_thread(self._leader)
                    log.warning("daily posts: standby, not posting: another process leads "
                                "(%s); serving commands, and taking over if it stops",
                                who or "unknown")
                was = leading
                self.on_change()
            await asyncio.sleep(LEAD_POLL)
            leading = await self._try_lead(state)

    async def _try_lead(self, state: DailyState) -> bool:
        """Whether this process leads; an unreachable state is a problem the health
        check reports (posts are paused) until it is reachable again."""
        try:
            leading = await asyncio.to_thread(state.try_lead)
        except StateError as exc:
            if self.problem is None:
                log.error("daily posts paused: %s; retrying every %.0f s", exc, LEAD_POLL)
            self.problem = f"daily posts paused: {exc}"
            return False
        if self.problem is not None:
            log.info("daily posts: the state is reachable again")
        self.problem = None
        return leading

    def _leader(self) -> str | None:
        try:
            return None if self.state is None else self.state.leader()
        except StateError:
            return None

    async def _open_with_backoff(self) -> DailyState:
        delay = 1.0
        last: str | None = None
        while True:
            try:
                return await asyncio.to_thread(self._open)
            except (StateError, OSError) as exc:
                text = str(exc) or type(exc).__name__
                self.problem = f"daily posts disabled: {text}"
                if text != last:  # once per distinct problem
                    log.error("%s; retrying (every %.0f s at most)", self.problem,
                              OPEN_BACKOFF_CAP)
                last = text
            await asyncio.sleep(delay)
            delay = min(delay * 2, OPEN_BACKOFF_CAP)

    def role(self) -> str:
        """One line for ``/daily status``: what this process does about daily posts."""
        if self.state is None:
            return (self.problem or "Daily posts are starting.") + " Retrying."
        if self.problem is not None:
            return self.problem + "."
        if self.state.leading:
            return f"This process makes the posts (state: {self.state.kind})."
        who = f" ({self.leader_name})" if self.leader_name else ""
        return (f"Standby: another process makes the posts{who}; this one takes over if "
                "it stops.")
