"""The daily-post loop: plan, post, record, sleep; one instance per bot.

How the guarantees of :mod:`bot.core.daily.schedule` are kept here:

* **at most once**: every post is ``begin`` (a durable ``pending`` row) →
  send with the slot's nonce → ``confirm``. A send that reached Discord but was
  never confirmed (a crash, a timeout) is retried with the same nonce, which
  Discord turns into the original message; past the nonce window, or for forum
  posts (which take no nonce), the channel is searched for the post's footer
  marker first and a post found there is confirmed instead of sent again.
* **never crashing**: a failed post is recorded with ``fail`` (the error shows
  in ``/daily status``) and retried with backoff; anything else a pass raises
  is logged once per distinct error and the loop sleeps and tries again.
* **one poster at a time**: passes and ``/daily post-now`` share a lock, so
  one date is never sent twice concurrently; across processes, only the one
  holding the lead (:mod:`bot.exts.daily_lead`) posts, and the state refuses to
  claim a ledger row for any other (:meth:`DailyState.begin`).

State calls go through ``asyncio.to_thread``: each is a short SQLite
transaction, but ``synchronous=FULL`` means an fsync per write, which on a slow
disk can stall the event loop (and with it the gateway heartbeat).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any, ParamSpec, TypeVar

import aiohttp
import discord

from bot.app.daily_posts import next_post
from bot.app.services import Services
from bot.core.daily.admin import has_marker, thread_name
from bot.core.daily.backoff import retry_at
from bot.core.daily.schedule import MAX_SLEEP, Due, Schedule, plan
from bot.core.errors import UserError
from bot.core.rendering.cards import Reply
from bot.exts.buttons import embed, view
from bot.exts.daily_lead import StateKeeper
from bot.storage.state import Attempt, DailyState

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
P = ParamSpec("P")
T = TypeVar("T")
Postable = discord.TextChannel | discord.Thread | discord.VoiceChannel | discord.ForumChannel

HISTORY_LIMIT = 100  # one page: a post is looked for among the channel's latest messages
MAX_ROUNDS = 10  # plans in a row without sleeping, should due posts keep coming
LOOP_BACKOFF_CAP = 300.0  # seconds between passes while passes themselves keep failing
# Another process sharing the state may change a schedule without waking this one.
REPLAN = 60.0
NO_PINGS = discord.AllowedMentions.none()


class ChannelProblem(Exception):
    """The schedule's channel cannot take a post (wrong type)."""


def mentions(schedule: Schedule) -> tuple[str | None, discord.AllowedMentions]:
    """The message content and allowed mentions: the schedule's role, and nothing else."""
    if schedule.mention_role is None:
        return None, NO_PINGS
    role = discord.Object(schedule.mention_role)
    return f"<@&{schedule.mention_role}>", discord.AllowedMentions(
        everyone=False, users=False, roles=[role], replied_user=False)


def classify(exc: BaseException, sending: bool) -> tuple[bool, bool, dt.timedelta | None]:
    """(permanent, uncertain, server-given wait) for a failed post.

    *sending*: the error came from the send itself, so unless Discord clearly
    refused it the message may exist (a timeout, a 5xx after it was created).
    """
    if isinstance(exc, discord.Forbidden | discord.NotFound | ChannelProblem | UserError):
        return True, False, None
    if isinstance(exc, discord.RateLimited):
        return False, False, dt.timedelta(seconds=exc.retry_after)
    if isinstance(exc, discord.DiscordServerError):
        return False, sending, None
    if isinstance(exc, discord.HTTPException):
        # Other 4xx: Discord refused the request as made; retrying soon will not help.
        return exc.status != 429 and exc.status < 500, False, None
    if isinstance(exc, TimeoutError | aiohttp.ClientError | OSError):
        return False, sending, None
    return True, sending, None  # a bug: recorded so it shows, retried rarely


class DailyPoster:
    """Runs :func:`bot.core.daily.schedule.plan` against Discord and the state file."""

    def __init__(self, bot: discord.Client, services: Services, keeper: StateKeeper,
                 clock: Clock, config_schedules: Sequence[Schedule],
                 grace: dt.timedelta) -> None:
        self.bot, self.services, self.keeper, self.clock = bot, services, keeper, clock
        self.config_schedules = list(config_schedules)
        self.grace = grace
        self.lock = asyncio.Lock()  # one poster at a time: passes and /daily post-now
        self.passes = 0  # completed passes, for tests and logs
        self._wake = asyncio.Event()
        self._done = asyncio.Condition()
        self._in_pass = False
        self._last_error: str | None = None
        self._reported: dict[str, str] = {}  # schedule id -> its last unexpected error
        self._task: asyncio.Task[None] | None = None

    @property
    def state(self) -> DailyState:
        """The open state; a clear error for the admin while it is not open yet."""
        state = self.keeper.state
        if state is None:
            raise UserError(f"{self.keeper.role()} Try again in a minute.")
        return state

    async def db(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.to_thread(fn, *args, **kwargs)

    # --- lifecycle -----------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="daily-posts")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """Plan again now (the clock moved, or an admin changed a schedule)."""
        self._wake.set()

    async def tick(self, timeout: float = 5.0) -> None:
        """Wake the loop and wait until a pass that started after this call is done."""
        async with self._done:
            target = self.passes + (2 if self._in_pass else 1)
            self.wake()
            await asyncio.wait_for(self._done.wait_for(lambda: self.passes >= target), timeout)

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        await self.keeper.opened.wait()
        failures = 0
        while True:
            self._in_pass = True
            self._wake.clear()  # a wake from here on means "plan again after this pass"
            try:
                delay = await self.run_pass()
                failures, self._last_error = 0, None
            except Exception as exc:
                failures += 1
                delay = min(LOOP_BACKOFF_CAP, 2.0 ** min(failures, 10))
                text = f"{type(exc).__name__}: {exc}"
                if text != self._last_error:  # once per distinct problem, not once per pass
                    log.exception("daily posts: pass failed; retrying in %.0f s", delay)
                self._last_error = text
            async with self._done:
                self._in_pass = False
                self.passes += 1
                self._done.notify_all()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    # --- one pass ------------------------------------------------------------------

    async def run_pass(self) -> float:
        """Post what is due; return the seconds to sleep before the next pass."""
        if not self.keeper.leading:
            return MAX_SLEEP.total_seconds()  # the keeper wakes us if we take the lead
        for _ in range(MAX_ROUNDS):
            async with self.lock:
                now = self.clock()
                schedules = await self.db(self.state.schedules, self.config_schedules, now)
                ledger = await self.db(self.state.snapshot)
                p = plan(now, schedules, ledger, self.grace)
                for slot in p.missed:
                    log.info("daily post %s %s missed (bot down past the grace window)",
                             slot.schedule_id, slot.local_date)
                    await self.db(self.state.mark_missed, slot, now)
                by_id = {s.id: s for s in schedules}
                for due in p.due:
                    await self.post(by_id[due.schedule_id], due)
            if not (p.due or p.missed):
                wait = (p.wake_at - self.clock()).total_seconds()
                return min(max(wait, 0.0), REPLAN)
        return 1.0

    async def post(self, schedule: Schedule, due: Due) -> tuple[bool, str]:
        """Make one post (the caller holds :attr:`lock`): whether it is in the
        channel, and the message link or what went wrong."""
        attempt = await self.db(self.state.begin, due, schedule.channel_id, self.clock())
        if attempt is None:
            return False, "that date is already posted, skipped or missed"
        sending = False
        try:
            channel = await self._channel(schedule.channel_id)
            rotation = await self.db(self.state.rotation, schedule.id)
            reply, new_state = next_post(self.services, schedule, due.local_date, rotation)
            forum = isinstance(channel, discord.ForumChannel)
            found = None
            if due.check_history or (forum and due.retry):
                found = await self._find_earlier(channel, schedule, due)
            if found is None:
                sending = True
                found = await self._send(channel, schedule, attempt, due, reply)
        except Exception as exc:
            await self._fail(due, attempt, exc, sending)
            return False, str(exc) or type(exc).__name__
        message, where = found
        # Not inside the try: a crash here leaves the row pending, and the next pass
        # resends with the same nonce (or finds the marker) instead of posting twice.
        await self.db(self.state.confirm, due.schedule_id, due.local_date,
                      message_id=message.id, channel_id=where.id,
                      guild_id=where.guild.id if where.guild else None,
                      rotation=new_state, now=self.clock())
        log.info("daily post %s %s sent: message %d", due.schedule_id, due.local_date, message.id)
        return True, message.jump_url

    async def _fail(self, due: Due, attempt: Attempt, exc: Exception, sending: bool) -> None:
        permanent, uncertain, wait = classify(exc, sending)
        error = str(exc) or type(exc).__name__
        expected = isinstance(exc, discord.DiscordException | UserError | ChannelProblem
                              | TimeoutError | aiohttp.ClientError | OSError)
        if not expected and self._reported.get(due.schedule_id) != error:
            # A bug, not Discord: the traceback once; state.fail logs each new error anyway.
            self._reported[due.schedule_id] = error
            log.exception("daily post %s %s: unexpected error", due.schedule_id, due.local_date)
        now = self.clock()
        await self.db(self.state.fail, due.schedule_id, due.local_date, error=error[:500],
                      next_retry_at=retry_at(now, attempt.attempt, permanent, at_least=wait),
                      permanent=permanent, now=now, uncertain=uncertain)

    async def _channel(self, channel_id: int) -> Postable:
        channel: Any = self.bot.get_channel(channel_id)
        if channel is None:
            channel = await self.bot.fetch_channel(channel_id)
        if not isinstance(channel, Postable):
            raise ChannelProblem(f"<#{channel_id}> is not a text channel, thread or forum")
        return channel

    async def _send(self, channel: Postable, schedule: Schedule, attempt: Attempt, due: Due,
                    reply: Reply) -> tuple[discord.Message, Postable]:
        content, allowed = mentions(schedule)
        embeds = [embed(c) for c in reply.cards]
        extra: dict[str, Any] = {}
        buttons = view(reply)
        if buttons is not None:
            extra["view"] = buttons
        if isinstance(channel, discord.ForumChannel):
            # Forum posts take no nonce: the history check above is their protection.
            name = thread_name(reply.cards[0].title, due.local_date)
            made = await channel.create_thread(name=name, content=content, embeds=embeds,
                                               allowed_mentions=allowed, **extra)
            return made.message, made.thread
        # With a nonce, discord.py also sends enforce_nonce: a repeat returns the original.
        message = await channel.send(content=content, embeds=embeds, nonce=attempt.nonce,
                                     allowed_mentions=allowed, **extra)
        return message, channel

    async def _find_earlier(self, channel: Postable, schedule: Schedule,
                            due: Due) -> tuple[discord.Message, Postable] | None:
        """A post for this date that an earlier attempt made, by its footer marker.

        Not filtered by time: the marker names the schedule and date, and the
        bot's clock need not agree with Discord's.
        """
        me = self.bot.user
        if me is None:
            return None

        def ours(message: discord.Message) -> bool:
            return message.author.id == me.id and any(
                has_marker(e.footer.text, schedule.id, due.local_date) for e in message.embeds)

        if isinstance(channel, discord.ForumChannel):
            # Active threads are in the cache (GUILD_CREATE lists them); a forum post
            # does not archive within a day, which is longer than any retry window.
            day = due.local_date.isoformat()
            for thread in channel.threads:
                if thread.owner_id != me.id or not thread.name.startswith(day):
                    continue
                with suppress(discord.NotFound):
                    starter = await thread.fetch_message(thread.id)
                    if ours(starter):
                        return starter, thread
            return None
        async for message in channel.history(limit=HISTORY_LIMIT):
            if ours(message):
                log.info("daily post %s %s was already in the channel", schedule.id,
                         due.local_date)
                return message, channel
        return None
