"""The state every part of the fake shares: the Discord world (application, users, guild,
roles, channels), the server's URLs, waiting for recorded changes, and the checks that a
route's ids name this world."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from contextlib import suppress

from .models import (
    DEFAULT_PERMISSIONS,
    JSON,
    SnowflakeFactory,
    forum_channel_payload,
    member_payload,
    role_payload,
    text_channel_payload,
    thread_payload,
    user_payload,
)
from .protocol import API_PREFIX
from .responses import HTTPError


class FakeState:
    """The base of every component of ``FakeDiscord``."""

    default_timeout: float  # set by FakeDiscord.__init__

    def __init__(self) -> None:
        super().__init__()
        self.snowflake = SnowflakeFactory()
        self.port = 0
        self._changed = asyncio.Condition()
        self._build_world()

    # ------------------------------------------------------------------ world

    def _build_world(self) -> None:
        sf = self.snowflake
        self.application_id = sf()
        self.bot_user: JSON = user_payload(self.application_id, "bluebook-test-bot", bot=True)
        self.owner_user: JSON = user_payload(sf(), "owner")
        self.user: JSON = user_payload(sf(), "tester")  # default interaction author
        self.guild_id = sf()
        self.member_role_id = sf()
        self.bot_role_id = sf()
        self.text_channel_id = sf()
        self.forum_channel_id = sf()
        self.thread_id = sf()
        self.forum_tag_id = sf()
        g = self.guild_id
        self.roles: list[JSON] = [
            role_payload(g, "@everyone", 0, permissions=DEFAULT_PERMISSIONS),
            role_payload(self.member_role_id, "Member", 1, permissions=DEFAULT_PERMISSIONS),
            role_payload(self.bot_role_id, "Bluebook", 2, permissions=DEFAULT_PERMISSIONS,
                         managed=True),
        ]
        self.channels: dict[int, JSON] = {
            self.text_channel_id: text_channel_payload(self.text_channel_id, g, "general", 0),
            self.forum_channel_id: forum_channel_payload(
                self.forum_channel_id, g, "bluebook-facts", 1,
                tags=[{"id": str(self.forum_tag_id), "name": "fact", "moderated": False,
                       "emoji_id": None, "emoji_name": None}],
            ),
        }
        self.threads: dict[int, JSON] = {
            self.thread_id: thread_payload(self.thread_id, g, self.text_channel_id,
                                           int(self.owner_user["id"]), "existing-thread"),
        }
        self.members: list[JSON] = [
            member_payload(self.bot_user, [self.bot_role_id]),
            member_payload(self.owner_user, [self.member_role_id]),
            member_payload(self.user, [self.member_role_id]),
        ]

    def guild_payload(self) -> JSON:
        return {
            "id": str(self.guild_id),
            "name": "Bluebook Test Guild",
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": self.owner_user["id"],
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": self.roles,
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": self.members,
            "channels": list(self.channels.values()),
            "threads": list(self.threads.values()),
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def channel(self, channel_id: int) -> JSON | None:
        return self.channels.get(channel_id) or self.threads.get(channel_id)

    # ------------------------------------------------------------------ URLs

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE`` (a str)."""
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY`` (wrap it in ``yarl.URL``)."""
        return f"ws://127.0.0.1:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/resume/"

    # ------------------------------------------------------------------ waiting

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Callable[[], bool], *, timeout: float | None = None,
                         what: str = "condition", poll: float = 0.05) -> None:
        """Wait (bounded) until ``predicate()`` holds.

        It is re-checked at once whenever the fake records something (a request, a gateway
        payload, a connection), and every ``poll`` seconds for state the fake cannot see
        (e.g. a counter bumped by the bot's own event listener).
        """
        limit = self.default_timeout if timeout is None else timeout
        try:
            async with asyncio.timeout(limit), self._changed:
                while not predicate():
                    with suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), poll)
        except TimeoutError:
            raise TimeoutError(
                f"fake discord: timed out after {limit}s waiting for {what}") from None

    # ------------------------------------------------------------------ route ids

    def _check_app(self, m: re.Match[str]) -> None:
        app = m.group("app")
        if app != "@me" and int(app) != self.application_id:
            raise HTTPError(403, 50001, "Missing Access")

    def _scope(self, m: re.Match[str]) -> int | None:
        gid = m.groupdict().get("guild")
        if gid is None:
            return None
        if int(gid) != self.guild_id:
            raise HTTPError(403, 50001, "Missing Access")
        return int(gid)
