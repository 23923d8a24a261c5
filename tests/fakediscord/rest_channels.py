"""REST routes on channels: get a channel, list the guild's, send (with nonce
de-duplication), read history, get/edit/delete messages, start threads and forum posts;
sends and new threads are echoed on the gateway like Discord does."""

from __future__ import annotations

import re
import time

from aiohttp import web

from .gateway import Gateway
from .messages import MessageStore
from .models import GUILD_FORUM, JSON, PUBLIC_THREAD, thread_payload
from .protocol import FLAG_EPHEMERAL, INTENT_GUILD_MESSAGES, INTENT_GUILDS
from .records import RecordedRequest
from .responses import HTTPError, json_response


class ChannelRoutes(Gateway, MessageStore):
    # Set by FakeDiscord.__init__.
    nonce_window: float
    echo_message_create: bool

    def __init__(self) -> None:
        super().__init__()
        # (application id, nonce) -> (monotonic time sent, message id)
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}

    def _require_channel(self, m: re.Match[str]) -> tuple[int, JSON]:
        cid = int(m.group("channel"))
        channel = self.channel(cid)
        if channel is None:
            raise HTTPError(404, 10003, "Unknown Channel")
        return cid, channel

    def _require_message(self, channel_id: int, m: re.Match[str]) -> JSON:
        msg = self._messages.get(int(m.group("message")))
        if msg is None or int(msg["channel_id"]) != channel_id:
            raise HTTPError(404, 10008, "Unknown Message")
        return msg

    async def _get_channel(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        _, channel = self._require_channel(m)
        return json_response(channel)

    async def _guild_channels(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        self._scope(m)
        return json_response(list(self.channels.values()))

    async def _send_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        cid, channel = self._require_channel(m)
        if channel["type"] == GUILD_FORUM:
            raise HTTPError(400, 50008, "Cannot send messages in a non-text channel")
        body: JSON = rec.json if isinstance(rec.json, dict) else {}
        if not (body.get("content") or body.get("embeds") or body.get("components")
                or rec.files or body.get("sticker_ids") or body.get("poll")):
            raise HTTPError(400, 50006, "Cannot send an empty message")
        nonce = body.get("nonce")
        now = time.monotonic()
        key = (self.application_id, str(nonce))
        if nonce is not None and body.get("enforce_nonce") and self.dedupe_nonces:
            seen = self._nonces.get(key)
            if seen is not None and now - seen[0] <= self.nonce_window:
                existing = self._messages.get(seen[1])
                if existing is not None:
                    return json_response(existing)
        msg = self._new_message(cid, body, author=self.bot_user, files=rec.files)
        if nonce is not None:
            self._nonces[key] = (now, int(msg["id"]))
        await self._echo("MESSAGE_CREATE", msg, INTENT_GUILD_MESSAGES)
        return json_response(msg)

    async def _channel_history(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        """Newest first, like Discord; ``limit`` (max 100), ``before`` or ``after``.
        Ephemeral messages are not part of a channel's history."""
        cid, _ = self._require_channel(m)
        limit = max(1, min(int(rec.query.get("limit", "50")), 100))
        ids = [i for i in self._channel_messages.get(cid, []) if i in self._messages
               and not int(self._messages[i].get("flags", 0)) & FLAG_EPHEMERAL]
        if "before" in rec.query:
            ids = [i for i in ids if i < int(rec.query["before"])]
        if "after" in rec.query:
            # The *limit* messages right after ``after``, still sent newest first.
            ids = [i for i in ids if i > int(rec.query["after"])][:limit]
        picked = sorted(ids, reverse=True)[:limit]
        return json_response([self._messages[i] for i in picked])

    async def _echo(self, event: str, data: JSON, intent: int) -> None:
        session = self._session
        if self.echo_message_create and session is not None and session.intents & intent:
            await self._dispatch(session, event, data)

    async def _get_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        cid, _ = self._require_channel(m)
        return json_response(self._require_message(cid, m))

    async def _edit_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        cid, _ = self._require_channel(m)
        msg = self._require_message(cid, m)
        if msg["author"]["id"] != self.bot_user["id"]:
            raise HTTPError(403, 50005, "Cannot edit a message authored by another user")
        return json_response(self._edit(msg, rec.json, rec.files))

    async def _delete_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        cid, _ = self._require_channel(m)
        msg = self._require_message(cid, m)
        del self._messages[int(msg["id"])]
        return web.Response(status=204)

    async def _start_thread(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        cid, channel = self._require_channel(m)
        body: JSON = rec.json if isinstance(rec.json, dict) else {}
        if not body.get("name"):
            raise HTTPError(400, 50035, "Invalid Form Body: name is required")
        tid = self.snowflake()
        thread = thread_payload(
            tid, self.guild_id, cid, self.application_id, body["name"],
            thread_type=int(body.get("type", PUBLIC_THREAD)),
            applied_tags=[str(t) for t in body.get("applied_tags") or []],
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        self.threads[tid] = thread
        response: JSON = dict(thread)
        if channel["type"] == GUILD_FORUM:
            first = body.get("message")
            if not isinstance(first, dict):
                raise HTTPError(400, 50035, "Invalid Form Body: message is required")
            # A forum post's starter message has the thread's id.
            msg = self._new_message(tid, first, author=self.bot_user, message_id=tid,
                                    files=rec.files)
            response = {**thread, "message": msg}
        thread_event = {**thread, "newly_created": True}
        await self._echo("THREAD_CREATE", thread_event, INTENT_GUILDS)
        return json_response(response, status=201)
