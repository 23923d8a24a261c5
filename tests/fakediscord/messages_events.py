"""Messages posted by simulated members: MESSAGE_CREATE, MESSAGE_UPDATE and
MESSAGE_DELETE gateway dispatches, the privileged Message Content intent, and
interactions from a user install in a server the bot is not in.

Discord's rules, as documented (Gateway → Message Content intent; Gateway events):

* guild message events reach a session only with the GUILD_MESSAGES intent (1 << 9);
* ``content`` (and embeds, attachments, components) is empty unless the session
  asked for MESSAGE_CONTENT (1 << 15) *and* the app is allowed it in the Developer
  Portal; messages that mention the bot and the bot's own messages keep it;
* asking for a privileged intent the app is not allowed closes the socket with
  4014 ("Disallowed intent(s)"), and discord.py raises ``PrivilegedIntentsRequired``;
* MESSAGE_CREATE for a guild message carries ``guild_id`` and a partial ``member``;
  a webhook's message has ``webhook_id`` and a webhook author; MESSAGE_UPDATE
  carries the whole message (API v10); MESSAGE_DELETE only ``id``, ``channel_id``
  and ``guild_id``.
"""

from __future__ import annotations

from typing import Any

from .gateway import Gateway
from .interactions import Interactions
from .models import (
    GUILD_TEXT,
    JSON,
    iso_now,
    member_payload,
    text_channel_payload,
    user_payload,
)
from .protocol import INTENT_GUILD_MESSAGES
from .records import InteractionHandle

INTENT_MESSAGE_CONTENT = 1 << 15
GUILD_CATEGORY = 4
CLOSE_DISALLOWED_INTENTS = 4014
CONTEXT_GUILD, CONTEXT_BOT_DM, CONTEXT_PRIVATE_CHANNEL = 0, 1, 2
INSTALL_GUILD, INSTALL_USER = "0", "1"


class MemberMessages(Interactions, Gateway):
    def __init__(self) -> None:
        super().__init__()
        # Whether the app may have Message Content (the Developer Portal switch).
        self.message_content_allowed = True
        self.member: JSON = user_payload(self.snowflake(), "member")  # a second human
        self.members.append(member_payload(self.member, [self.member_role_id]))
        self.other_bot: JSON = user_payload(self.snowflake(), "another-bot", bot=True)
        self.foreign_guild_id = self.snowflake()  # a server the bot was never added to
        # A category (type 4) holding one text channel, for settings made per category.
        self.category_id, self.category_channel_id = self.snowflake(), self.snowflake()
        self.channels[self.category_id] = {
            **text_channel_payload(self.category_id, self.guild_id, "discussion", 2),
            "type": GUILD_CATEGORY}
        self.channels[self.category_channel_id] = {
            **text_channel_payload(self.category_channel_id, self.guild_id, "policy", 3),
            "parent_id": str(self.category_id)}

    async def _identify(self, conn: Any, data: JSON) -> None:
        if int(data.get("intents", 0)) & INTENT_MESSAGE_CONTENT \
                and not self.message_content_allowed:
            self.identify_count += 1
            await conn.ws.close(code=CLOSE_DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return
        await super()._identify(conn, data)  # type: ignore[misc]

    # ------------------------------------------------------------------ messages

    def _visible(self, msg: JSON) -> JSON:
        """*msg* as this session may see it (the Message Content rules above)."""
        session = self._session
        intents = session.intents if session is not None else 0
        mentioned = any(u.get("id") == self.bot_user["id"] for u in msg.get("mentions", []))
        own = msg["author"]["id"] == self.bot_user["id"]
        if intents & INTENT_MESSAGE_CONTENT or mentioned or own:
            return dict(msg)
        return {**msg, "content": "", "embeds": [], "attachments": [], "components": []}

    async def _message_event(self, event: str, data: JSON) -> None:
        session = self._session
        if session is not None and session.intents & INTENT_GUILD_MESSAGES:
            await self._dispatch(session, event, data)

    def _with_member(self, msg: JSON) -> JSON:
        author = msg["author"]
        if msg.get("webhook_id") is None and msg.get("guild_id"):
            member = member_payload(author, [self.member_role_id])
            member.pop("user")
            return {**msg, "member": member}
        return msg

    async def member_says(self, content: str, *, channel_id: int | None = None,
                          user: JSON | None = None, bot: bool = False,
                          webhook_id: int | None = None) -> JSON:
        """A message posted by a member (default :attr:`member`), another bot
        (*bot*), or a webhook (*webhook_id*); dispatched as MESSAGE_CREATE."""
        cid = channel_id or self.text_channel_id
        if webhook_id is not None:
            author = user_payload(webhook_id, "captain-hook")
        else:
            author = self.other_bot if bot else (user or self.member)
        msg = self._new_message(cid, {"content": content}, author=author)
        if webhook_id is not None:
            msg["webhook_id"] = str(webhook_id)
        await self._message_event("MESSAGE_CREATE", self._with_member(self._visible(msg)))
        await self._notify()
        return msg

    async def member_edits(self, message_id: int, content: str) -> JSON:
        """The author edits their message: MESSAGE_UPDATE with the whole message."""
        msg = self._messages[message_id]
        msg["content"] = content
        msg["edited_timestamp"] = iso_now()
        await self._message_event("MESSAGE_UPDATE", self._with_member(self._visible(msg)))
        await self._notify()
        return msg

    async def member_deletes(self, message_id: int) -> None:
        """The author deletes their message: MESSAGE_DELETE."""
        msg = self._messages.pop(message_id)
        data: JSON = {"id": msg["id"], "channel_id": msg["channel_id"]}
        if msg.get("guild_id"):
            data["guild_id"] = msg["guild_id"]
        await self._message_event("MESSAGE_DELETE", data)
        await self._notify()

    def replies_to(self, message_id: int) -> list[JSON]:
        """The bot's messages (not deleted) that reply to *message_id*."""
        return [m for ids in self._channel_messages.values() for i in ids
                if (m := self._messages.get(i)) is not None
                and m["author"]["id"] == self.bot_user["id"]
                and str((m.get("message_reference") or {}).get("message_id")) == str(message_id)]

    # ------------------------------------------------------------------ user installs

    async def user_install_command(self, path: str, options: dict[str, Any] | None = None, *,
                                   context: int = CONTEXT_GUILD) -> InteractionHandle:
        """A chat-input command from a member who installed the app themselves, in
        :attr:`foreign_guild_id` (a server without the bot), or in a DM or group DM
        (*context*). Only the user install authorises it."""
        data = self._command_data(path, options, None)
        data.pop("guild_id", None)
        uid = str(self.user["id"])
        cid = self.snowflake()
        extra: JSON = {"authorizing_integration_owners": {INSTALL_USER: uid},
                       "context": context,
                       "app_permissions": str((1 << 14) | (1 << 15) | (1 << 11))}
        if context == CONTEXT_GUILD:
            g = self.foreign_guild_id
            extra.update({
                "guild_id": str(g),
                "guild": {"id": str(g), "locale": "en-US", "features": []},
                "channel_id": str(cid),
                "channel": {"id": str(cid), "type": GUILD_TEXT, "guild_id": str(g),
                            "name": "elsewhere", "position": 0, "permission_overwrites": [],
                            "parent_id": None, "nsfw": False, "flags": 0},
            })
        else:
            extra.update({"channel_id": str(cid),
                          "channel": {"id": str(cid), "type": 1 if context == 1 else 3,
                                      "recipients": [self.user], "flags": 0},
                          "user": self.user})
        return await self._dispatch_interaction(2, data, channel_id=cid, extra=extra)
