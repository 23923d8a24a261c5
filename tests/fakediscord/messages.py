"""The message store: messages the bot created through any route (channel sends, forum
posts, interaction answers), edits to them, and the lookups tests assert on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .models import JSON, iso_now
from .protocol import FLAG_EPHEMERAL, FLAG_LOADING
from .records import _Interaction
from .state import FakeState


class MessageStore(FakeState):
    def __init__(self) -> None:
        super().__init__()
        self._messages: dict[int, JSON] = {}  # deleted messages are removed
        self._channel_messages: dict[int, list[int]] = {}  # every id ever posted, in order

    def message(self, message_id: int) -> JSON | None:
        return self._messages.get(message_id)

    def messages_in(self, channel_id: int, *, include_ephemeral: bool = True) -> list[JSON]:
        """Messages currently in a channel (not deleted), oldest first."""
        out = [self._messages[m] for m in self._channel_messages.get(channel_id, [])
               if m in self._messages]
        if not include_ephemeral:
            out = [m for m in out if not int(m.get("flags", 0)) & FLAG_EPHEMERAL]
        return out

    def _new_message(self, channel_id: int, body: JSON, *, author: JSON,
                     webhook_id: int | None = None, interaction: _Interaction | None = None,
                     extra_flags: int = 0, message_id: int | None = None,
                     files: Sequence[Mapping[str, Any]] = ()) -> JSON:
        msg_id = message_id or self.snowflake()
        channel = self.channel(channel_id)
        attachments = [
            {"id": str(self.snowflake()), "filename": f.get("filename") or "file",
             "size": f.get("size", 0),
             "url": f"{self.base_url}/attachments/{channel_id}/{msg_id}/{f.get('filename')}",
             "proxy_url": f"{self.base_url}/attachments/{channel_id}/{msg_id}/{f.get('filename')}"}
            for f in files
        ]
        msg: JSON = {
            "id": str(msg_id),
            "channel_id": str(channel_id),
            "author": author,
            "content": body.get("content") or "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": attachments,
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": int(body.get("flags") or 0) | extra_flags,
        }
        if channel is not None:
            msg["guild_id"] = channel["guild_id"]
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        if body.get("message_reference"):
            msg["message_reference"] = body["message_reference"]
            msg["type"] = 19
        if webhook_id is not None:
            msg["webhook_id"] = str(webhook_id)
            msg["application_id"] = str(self.application_id)
        if interaction is not None:
            data = interaction.payload.get("data") or {}
            msg["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.payload["type"],
                # A DM interaction has "user" rather than "member" (messages_events).
                "user": (interaction.payload.get("member") or {}).get("user")
                or interaction.payload["user"],
                "authorizing_integration_owners": interaction.payload.get(
                    "authorizing_integration_owners", {"0": str(self.guild_id)}),
            }
            if data.get("name"):
                msg["interaction_metadata"]["name"] = data["name"]
            msg["type"] = 20 if interaction.payload["type"] == 2 else 0
        self._messages[msg_id] = msg
        self._channel_messages.setdefault(channel_id, []).append(msg_id)
        thread = self.threads.get(channel_id)
        if thread is not None:
            thread["message_count"] = int(thread.get("message_count", 0)) + 1
            thread["last_message_id"] = str(msg_id)
        elif channel is not None:
            channel["last_message_id"] = str(msg_id)
        return msg

    def _edit(self, msg: JSON, body: Mapping[str, Any] | None,
              files: Sequence[Mapping[str, Any]] = ()) -> JSON:
        body = body or {}
        for key in ("content", "embeds", "components"):
            if key in body:
                msg[key] = body[key] if body[key] is not None else ("" if key == "content" else [])
        if "flags" in body and body["flags"] is not None:
            # Ephemeral cannot be toggled by an edit; keep it.
            keep = int(msg["flags"]) & FLAG_EPHEMERAL
            msg["flags"] = (int(body["flags"]) & ~FLAG_EPHEMERAL) | keep
        if "attachments" in body or files:
            kept = {str(a.get("id")) for a in body.get("attachments", []) if "filename" not in a}
            msg["attachments"] = [a for a in msg["attachments"] if a["id"] in kept] + [
                {"id": str(self.snowflake()), "filename": f.get("filename") or "file",
                 "size": f.get("size", 0),
                 "url": f"{self.base_url}/attachments/{f.get('filename')}",
                 "proxy_url": f"{self.base_url}/attachments/{f.get('filename')}"}
                for f in files
            ]
        msg["flags"] = int(msg["flags"]) & ~FLAG_LOADING
        msg["edited_timestamp"] = iso_now()
        return msg
