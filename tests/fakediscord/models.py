"""Payload builders for the fake Discord: snowflakes, users, guilds, channels, messages.

Shapes follow Discord's API v10 documents, trimmed to what discord.py 2.7 reads
(see ``Guild._from_data``, ``TextChannel._update``, ``Thread._from_data``,
``Member.__init__``, ``Message.__init__``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000

# Channel types (Discord API).
GUILD_TEXT = 0
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
GUILD_FORUM = 15

# A broad, realistic permission set for the bot and for members: view channel,
# send messages, embed links, attach files, read history, use app commands,
# send messages in threads, create public threads...
DEFAULT_PERMISSIONS = str(
    (1 << 10)  # VIEW_CHANNEL
    | (1 << 11)  # SEND_MESSAGES
    | (1 << 14)  # EMBED_LINKS
    | (1 << 15)  # ATTACH_FILES
    | (1 << 16)  # READ_MESSAGE_HISTORY
    | (1 << 31)  # USE_APPLICATION_COMMANDS
    | (1 << 35)  # CREATE_PUBLIC_THREADS
    | (1 << 38)  # SEND_MESSAGES_IN_THREADS
)

# DEFAULT_PERMISSIONS plus Manage Server: an admin for commands that require it.
ADMIN_PERMISSIONS = str(int(DEFAULT_PERMISSIONS) | (1 << 5))  # MANAGE_GUILD


class SnowflakeFactory:
    """Strictly increasing snowflakes whose timestamps are *now*.

    Real time matters: discord.py derives ``Interaction.created_at`` (and
    ``is_expired()``) from the interaction id.
    """

    def __init__(self) -> None:
        self._last = 0
        self._counter = itertools.count()

    def __call__(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        candidate = (ms << 22) | (next(self._counter) & 0xFFF)
        self._last = max(self._last + 1, candidate)
        return self._last


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def user_payload(user_id: int, username: str, *, bot: bool = False) -> JSON:
    return {
        "id": str(user_id),
        "username": username,
        "global_name": None if bot else username.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "system": False,
        "public_flags": 0,
        "flags": 0,
        "mfa_enabled": False,
        "verified": True,
    }


def member_payload(user: JSON, role_ids: list[int], *, permissions: str | None = None) -> JSON:
    member: JSON = {
        "user": user,
        "nick": None,
        "avatar": None,
        "roles": [str(r) for r in role_ids],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if permissions is not None:
        member["permissions"] = permissions
    return member


def role_payload(role_id: int, name: str, position: int, *, permissions: str = "0",
                 managed: bool = False) -> JSON:
    return {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": permissions,
        "managed": managed,
        "mentionable": False,
        "flags": 0,
    }


def text_channel_payload(channel_id: int, guild_id: int, name: str, position: int) -> JSON:
    return {
        "id": str(channel_id),
        "type": GUILD_TEXT,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "parent_id": None,
        "topic": None,
        "nsfw": False,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "default_auto_archive_duration": 1440,
        "flags": 0,
    }


def forum_channel_payload(channel_id: int, guild_id: int, name: str, position: int,
                          tags: list[JSON]) -> JSON:
    return {
        "id": str(channel_id),
        "type": GUILD_FORUM,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "parent_id": None,
        "topic": "Bluebook facts",
        "nsfw": False,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "default_auto_archive_duration": 1440,
        "default_thread_rate_limit_per_user": 0,
        "available_tags": tags,
        "default_reaction_emoji": None,
        "default_sort_order": None,
        "default_forum_layout": 0,
        "flags": 0,
    }


def thread_payload(thread_id: int, guild_id: int, parent_id: int, owner_id: int, name: str,
                   *, thread_type: int = PUBLIC_THREAD, applied_tags: list[str] | None = None,
                   auto_archive_duration: int = 1440) -> JSON:
    return {
        "id": str(thread_id),
        "type": thread_type,
        "guild_id": str(guild_id),
        "parent_id": str(parent_id),
        "owner_id": str(owner_id),
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "applied_tags": applied_tags or [],
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": auto_archive_duration,
            "archive_timestamp": iso_now(),
            "locked": False,
            "create_timestamp": iso_now(),
        },
    }
