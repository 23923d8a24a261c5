"""Daily fact posts: the background poster and the ``/daily`` admin commands.

The loop itself lives in :mod:`bot.exts.daily_poster`, and opening the state and
holding the lead in :mod:`bot.exts.daily_lead`; this cog starts and stops them
with the extension, and lets server admins (Manage Server) see and change the
schedules. Every change wakes the loop.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.autocomplete import topic as topic_choices
from bot.app.daily_posts import check_topic, preview_post, timezone_choices
from bot.app.services import Services
from bot.core.daily.admin import (
    ScheduleLine,
    due_for,
    local_time,
    notice,
    pick_schedule,
    schedule_notice,
    status_reply,
)
from bot.core.daily.schedule import DEFAULT_TIMEZONE, Schedule, next_slot
from bot.core.daily.schedule_config import (
    check_timezone,
    command_schedule_id,
    parse_days,
    parse_time,
    schedules_from_config,
)
from bot.core.errors import UserError
from bot.core.rendering.cards import Reply
from bot.exts.buttons import send_kwargs
from bot.exts.daily_lead import StateKeeper, opener
from bot.exts.daily_poster import Clock, DailyPoster
from bot.storage.state import DailyState

log = logging.getLogger(__name__)

PostChannel = discord.TextChannel | discord.Thread | discord.ForumChannel
# Discord hides the group from members without Manage Server by default; the check
# below still refuses them if a server's integration settings open it up.
admin_only = app_commands.checks.has_permissions(manage_guild=True)
_CHANNEL = "the channel the posts go to (default: this one, or the only schedule)"


async def _reply(interaction: discord.Interaction[Any], reply: Reply, content: str = "") -> None:
    kwargs = send_kwargs(reply)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=True, **kwargs)


class Daily(commands.Cog):
    daily = app_commands.Group(
        name="daily", description="Daily fact posts: see and change the schedules (admins).",
        guild_only=True, default_permissions=discord.Permissions(manage_guild=True),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
        allowed_contexts=app_commands.AppCommandContext(guild=True))

    def __init__(self, bot: commands.Bot, services: Services, clock: Clock) -> None:
        self.bot, self.services, self.clock = bot, services, clock
        config = services.config
        self.grace = dt.timedelta(hours=config.daily_grace_hours)
        where = str(config.paths.state)
        self.keeper = StateKeeper(opener(config.paths.state, config.state_password()), where,
                                  lambda: self.poster.wake())
        self.poster = DailyPoster(bot, services, self.keeper, clock,
                                  schedules_from_config(config.daily), self.grace)

    @property
    def state(self) -> DailyState:
        return self.poster.state

    @property
    def health_problem(self) -> str | None:
        """Read by the heartbeat (bot.exts.health): set while posts cannot be made."""
        return self.keeper.problem

    async def cog_load(self) -> None:
        self.keeper.start()
        self.poster.start()

    async def cog_unload(self) -> None:
        await self.poster.stop()
        await self.keeper.stop()

    async def _schedules(self) -> list[Schedule]:
        return await self.poster.db(self.state.schedules, self.poster.config_schedules,
                                    self.clock())

    async def _pick(self, interaction: discord.Interaction[Any],
                    channel: PostChannel | None) -> Schedule:
        return pick_schedule(await self._schedules(), channel.id if channel else None,
                             interaction.channel_id)

    async def _notice(self, title: str, schedule_id: str, extra: str = "") -> Reply:
        now = self.clock()
        schedule = next(s for s in await self._schedules() if s.id == schedule_id)
        entry = (await self.poster.db(self.state.snapshot)).get(schedule_id)
        return schedule_notice(title, schedule, next_slot(now, schedule, entry, self.grace),
                               extra)

    @daily.command(name="status")
    @admin_only
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        """Every daily post: where, when next, the last post and the last error."""
        if self.keeper.state is None:
            await _reply(interaction, notice("Daily posts disabled", self.keeper.role(),
                                             error=True))
            return
        now = self.clock()
        schedules = await self._schedules()
        ledger = await self.poster.db(self.state.snapshot)
        rows = await self.poster.db(self.state.status)
        lines = [ScheduleLine(s, next_slot(now, s, ledger.get(s.id), self.grace), rows.get(s.id))
                 for s in schedules]
        await _reply(interaction, status_reply(lines, now, self.keeper.role()))

    @daily.command(name="set")
    @admin_only
    @app_commands.describe(
        channel="the text channel, thread or forum to post in",
        time="local time of day, e.g. 07:30",
        timezone=f"an IANA time zone (default {DEFAULT_TIMEZONE}, or the current one)",
        topic="only cards on this topic (default: any)",
        days="e.g. daily, weekdays, weekends, mon-fri, mon,wed,fri (default: daily)",
        mention="a role to mention in each post (the only mention the bot makes)")
    async def set_(self, interaction: discord.Interaction[Any], channel: PostChannel,
                   time: app_commands.Range[str, 1, 8],
                   timezone: app_commands.Range[str, 1, 100] | None = None,
                   topic: app_commands.Range[str, 1, 100] | None = None,
                   days: app_commands.Range[str, 1, 100] | None = None,
                   mention: discord.Role | None = None) -> None:
        """Post a fact card in a channel every day (options left out keep their value)."""
        now = self.clock()
        schedules = await self._schedules()
        if any(s.channel_id == channel.id and s.source == "yaml" for s in schedules):
            raise UserError(f"<#{channel.id}> has a daily post from config.yaml: change it "
                            "there, or /daily pause it.")
        sid = command_schedule_id(channel.id)
        old = next((s for s in schedules if s.id == sid), None)
        schedule = Schedule(sid, "command", channel.id, parse_time(time))
        if old is not None:
            schedule = replace(old, time=schedule.time)
        schedule = replace(
            schedule,
            timezone=check_timezone(timezone) if timezone else schedule.timezone,
            topic=check_topic(self.services, topic) if topic else schedule.topic,
            days=parse_days(days) if days else schedule.days,
            mention_role=mention.id if mention else schedule.mention_role)
        await self.poster.db(self.state.save_schedule, schedule, now)
        self.poster.wake()
        extra = ""
        if mention is not None and not mention.mentionable:
            extra = (f"<@&{mention.id}> is not mentionable: turn on “Allow anyone to @mention "
                     "this role” or its members are not notified.")
        title = "Daily post updated" if old else "Daily post set"
        await _reply(interaction, await self._notice(title, sid, extra))

    @set_.autocomplete("timezone")
    async def _timezones(self, interaction: discord.Interaction[Any],
                         current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=c.name, value=c.value)
                for c in timezone_choices(current[:100])]

    @set_.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction[Any],
                      current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=c.name, value=c.value)
                for c in topic_choices(self.services, current[:100])]

    async def _pause(self, interaction: discord.Interaction[Any], channel: PostChannel | None,
                     paused: bool) -> None:
        schedule = await self._pick(interaction, channel)
        changed = await self.poster.db(self.state.set_paused, schedule.id, paused, self.clock())
        self.poster.wake()
        word = "paused" if paused else "resumed"
        title = f"Daily post {word}" if changed else f"Already {word}"
        extra = "Slots that passed while paused are not caught up." if not paused else ""
        await _reply(interaction, await self._notice(title, schedule.id, extra))

    @daily.command(name="pause")
    @admin_only
    @app_commands.describe(channel=_CHANNEL)
    async def pause(self, interaction: discord.Interaction[Any],
                    channel: PostChannel | None = None) -> None:
        """Stop a daily post until /daily resume."""
        await self._pause(interaction, channel, True)

    @daily.command(name="resume")
    @admin_only
    @app_commands.describe(channel=_CHANNEL)
    async def resume(self, interaction: discord.Interaction[Any],
                     channel: PostChannel | None = None) -> None:
        """Start a paused daily post again, from its next time."""
        await self._pause(interaction, channel, False)

    @daily.command(name="remove")
    @admin_only
    @app_commands.describe(channel="the channel whose /daily set post to delete")
    async def remove(self, interaction: discord.Interaction[Any], channel: PostChannel) -> None:
        """Delete a daily post made with /daily set."""
        if not await self.poster.db(self.state.remove_schedule, command_schedule_id(channel.id)):
            schedules = await self._schedules()
            if any(s.channel_id == channel.id for s in schedules):
                raise UserError(f"The daily post in <#{channel.id}> comes from config.yaml: "
                                "remove it there, or /daily pause it.")
            raise UserError(f"<#{channel.id}> has no daily post made with /daily set.")
        self.poster.wake()
        await _reply(interaction, notice("Daily post removed",
                                         f"No more daily posts in <#{channel.id}>."))

    @daily.command(name="preview")
    @admin_only
    @app_commands.describe(channel=_CHANNEL)
    async def preview(self, interaction: discord.Interaction[Any],
                      channel: PostChannel | None = None) -> None:
        """Show (only to you) the card a daily post will show next."""
        schedule = await self._pick(interaction, channel)
        now = self.clock()
        entry = (await self.poster.db(self.state.snapshot)).get(schedule.id)
        slot = next_slot(now, schedule, entry, self.grace)
        day = slot.local_date if slot else now.astimezone(schedule.zone).date()
        rotation = await self.poster.db(self.state.rotation, schedule.id)
        reply = preview_post(self.services, schedule, day, rotation)
        when = f"on {local_time(slot.at, schedule)}" if slot else "when resumed"
        await _reply(interaction, reply, f"Next post in <#{schedule.channel_id}> {when}:")

    @daily.command(name="post-now")
    @admin_only
    @app_commands.describe(channel=_CHANNEL)
    async def post_now(self, interaction: discord.Interaction[Any],
                       channel: PostChannel | None = None) -> None:
        """Make the next daily post now; its scheduled time then passes without one."""
        schedule = await self._pick(interaction, channel)
        if not self.keeper.leading:
            raise UserError(f"{self.keeper.role()} Only that process can post now; it posts "
                            "at the scheduled time.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.poster.lock:  # never alongside the loop posting the same date
            now = self.clock()
            entry = (await self.poster.db(self.state.snapshot)).get(schedule.id)
            slot = next_slot(now, schedule, entry, self.grace)
            if slot is None:
                raise UserError("This daily post is paused: /daily resume it first.")
            ok, outcome = await self.poster.post(schedule, due_for(slot, entry))
        self.poster.wake()
        text = (f"Posted the {slot.local_date.isoformat()} card: {outcome}" if ok
                else f"Could not post the {slot.local_date.isoformat()} card: {outcome}")
        await _reply(interaction, notice("Posted" if ok else "Not posted", text, error=not ok))

    @daily.command(name="skip")
    @admin_only
    @app_commands.describe(channel=_CHANNEL)
    async def skip(self, interaction: discord.Interaction[Any],
                   channel: PostChannel | None = None) -> None:
        """Skip the next daily post (the one after it is made as usual)."""
        schedule = await self._pick(interaction, channel)
        async with self.poster.lock:
            now = self.clock()
            entry = (await self.poster.db(self.state.snapshot)).get(schedule.id)
            slot = next_slot(now, schedule, entry, self.grace)
            if slot is None:
                raise UserError("This daily post is paused: nothing to skip.")
            skipped = await self.poster.db(self.state.skip, slot, now)
        if not skipped:
            raise UserError(f"The {slot.local_date.isoformat()} post is already sent or "
                            "being sent.")
        self.poster.wake()
        await _reply(interaction, await self._notice(
            "Daily post skipped", schedule.id,
            f"Skipped {local_time(slot.at, schedule)}."))


async def setup(bot: commands.Bot) -> None:
    services: Services = bot.services  # type: ignore[attr-defined]
    clock: Clock = getattr(bot, "clock", None) or (lambda: dt.datetime.now(dt.UTC))
    # The state opens in the background (retried until it can): commands never wait for it.
    await bot.add_cog(Daily(bot, services, clock))
