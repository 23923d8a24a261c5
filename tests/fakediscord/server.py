"""A loopback fake of Discord's REST API (v10) and gateway, for driving a real discord.py client.

One ``FakeDiscord`` is one aiohttp server on 127.0.0.1 serving:

* REST under ``/api/v10/...`` — the routes a bot needs to log in, sync app commands,
  answer interactions (callback, follow-ups, edits) and post to channels and forums;
  everything else is recorded and answered 404 JSON (see ``unknown_routes``);
* the gateway websocket on ``/`` (and ``/resume/`` for ``resume_gateway_url``):
  HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RECONNECT/RESUME with replay.

Tests drive it through the control API (``dispatch``, ``send_reconnect``,
``close_socket``, the interaction helpers) and assert on what it recorded
(``requests``, ``messages_in``, ``commands``, ``interaction_responses``).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

import discord
from aiohttp import BodyPartReader, WSMsgType, web

from .models import (
    DEFAULT_PERMISSIONS,
    GUILD_FORUM,
    GUILD_TEXT,
    JSON,
    PUBLIC_THREAD,
    SnowflakeFactory,
    forum_channel_payload,
    iso_now,
    member_payload,
    role_payload,
    text_channel_payload,
    thread_payload,
    user_payload,
)

ClientT = TypeVar("ClientT", bound="discord.Client")

API_PREFIX = "/api/v10"

# Gateway opcodes.
OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE = 3
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

# Interaction callback types.
CB_PONG = 1
CB_MESSAGE = 4
CB_DEFERRED_MESSAGE = 5
CB_DEFERRED_UPDATE = 6
CB_UPDATE_MESSAGE = 7
CB_AUTOCOMPLETE = 8
CB_MODAL = 9

FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MESSAGES = 1 << 9


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None
                  ) -> web.Response:
    """A JSON reply whose Content-Type is exactly ``application/json``.

    discord.py's ``json_or_text`` compares the header with ``==``;
    ``aiohttp.web.json_response`` sends ``application/json; charset=utf-8``,
    which discord.py would treat as plain text.
    """
    return web.Response(
        body=json.dumps(data).encode(), status=status, content_type="application/json",
        headers=headers,
    )


def error_response(status: int, code: int, message: str,
                   headers: Mapping[str, str] | None = None) -> web.Response:
    return json_response({"code": code, "message": message}, status=status, headers=headers)


# --------------------------------------------------------------------------- records


@dataclass
class RecordedRequest:
    """One REST request as the fake saw it."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any  # parsed JSON body, or payload_json of a multipart body, or None
    files: list[dict[str, Any]]  # multipart file parts: name, filename, size
    headers: dict[str, str]
    status: int = 0  # what the fake answered
    route: str | None = None  # the matched route name, None for unknown routes


@dataclass
class InteractionResponse:
    """Something the bot did to answer an interaction."""

    kind: str  # callback | followup | edit_original | delete_original | get_original
    #            edit_followup | delete_followup | get_followup
    body: Any  # the JSON the bot sent (None for GET/DELETE)
    message: JSON | None  # the message created or edited, if any
    at: float = field(default_factory=time.monotonic)

    @property
    def type(self) -> int | None:
        """Callback type (4 message, 5 defer, 7 update, 8 autocomplete...), for callbacks."""
        if self.kind == "callback" and isinstance(self.body, dict):
            return int(self.body["type"])
        return None

    @property
    def data(self) -> JSON:
        """The message/choices data the bot sent (callback ``data`` or webhook body)."""
        if not isinstance(self.body, dict):
            return {}
        if self.kind == "callback":
            return dict(self.body.get("data") or {})
        return self.body


@dataclass
class _Interaction:
    id: int
    token: str
    payload: JSON
    channel_id: int
    callback: InteractionResponse | None = None
    original_message_id: int | None = None
    responses: list[InteractionResponse] = field(default_factory=list)
    followup_ids: list[int] = field(default_factory=list)


class InteractionHandle:
    """Returned by the interaction helpers: await the bot's answers to one interaction."""

    def __init__(self, fake: FakeDiscord, record: _Interaction, seq: int) -> None:
        self._fake = fake
        self._record = record
        self.seq = seq  # gateway sequence number of the INTERACTION_CREATE

    @property
    def id(self) -> int:
        return self._record.id

    @property
    def token(self) -> str:
        return self._record.token

    @property
    def payload(self) -> JSON:
        """The INTERACTION_CREATE payload that was dispatched."""
        return self._record.payload

    @property
    def responses(self) -> list[InteractionResponse]:
        return list(self._record.responses)

    @property
    def original(self) -> JSON | None:
        """The current state of the interaction's original response message."""
        mid = self._record.original_message_id
        return None if mid is None else self._fake.message(mid)

    def followup_messages(self) -> list[JSON]:
        return [m for mid in self._record.followup_ids if (m := self._fake.message(mid))]

    async def wait(self, count: int = 1, *, kind: str | None = None,
                   timeout: float | None = None) -> list[InteractionResponse]:
        """Wait until at least ``count`` responses (of ``kind``, if given) were recorded."""

        def matching() -> list[InteractionResponse]:
            return [r for r in self._record.responses if kind is None or r.kind == kind]

        await self._fake.wait_until(lambda: len(matching()) >= count, timeout=timeout,
                                    what=f"{count} {kind or 'any'} response(s) to {self.id}")
        return matching()

    async def callback(self, timeout: float | None = None) -> InteractionResponse:
        """Wait for the initial interaction callback (defer, message, update, choices...)."""
        return (await self.wait(1, kind="callback", timeout=timeout))[0]

    async def followup(self, index: int = 0, timeout: float | None = None) -> InteractionResponse:
        return (await self.wait(index + 1, kind="followup", timeout=timeout))[index]

    async def edit(self, index: int = 0, timeout: float | None = None) -> InteractionResponse:
        """Wait for an edit of the original response (e.g. after a defer)."""
        return (await self.wait(index + 1, kind="edit_original", timeout=timeout))[index]

    async def choices(self, timeout: float | None = None) -> list[JSON]:
        """Wait for an autocomplete callback and return its choices."""
        cb = await self.callback(timeout)
        if cb.type != CB_AUTOCOMPLETE:
            raise AssertionError(f"expected an autocomplete callback, got type {cb.type}")
        return list(cb.data.get("choices", []))


@dataclass
class Fault:
    """A fault rule: requests whose path matches answer ``status`` with ``body``."""

    pattern: re.Pattern[str]
    status: int
    body: Any
    method: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # None: forever
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method is not None and self.method != method:
            return False
        return self.pattern.fullmatch(path) is not None


# --------------------------------------------------------------------------- gateway


class _Connection:
    """One gateway websocket; sends are serialised so zlib state and order hold."""

    def __init__(self, ws: web.WebSocketResponse, path: str, compress: bool) -> None:
        self.ws = ws
        self.path = path
        self._zlib = zlib.compressobj() if compress else None
        self._lock = asyncio.Lock()

    async def send(self, *payloads: JSON) -> bool:
        async with self._lock:
            for payload in payloads:
                if self.ws.closed:
                    return False
                text = json.dumps(payload)
                try:
                    if self._zlib is None:
                        await self.ws.send_str(text)
                    else:
                        # zlib-stream: one shared context, each message ends in a sync flush.
                        data = self._zlib.compress(text.encode())
                        data += self._zlib.flush(zlib.Z_SYNC_FLUSH)
                        await self.ws.send_bytes(data)
                except (ConnectionError, RuntimeError):
                    return False
        return True


@dataclass
class _Session:
    session_id: str
    token: str
    intents: int
    seq: int = 0
    log: list[JSON] = field(default_factory=list)
    conn: _Connection | None = None


Handler = Callable[[RecordedRequest, "re.Match[str]"], Awaitable[web.Response]]


class FakeDiscord:
    """The fake. Create, ``await start()``, point discord.py at ``api_base``/``gateway_url``."""

    def __init__(self, *, heartbeat_interval_ms: int = 500, compress: bool = True,
                 nonce_window: float = 300.0, echo_message_create: bool = True,
                 default_timeout: float = 5.0) -> None:
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.compress = compress  # honour ?compress=zlib-stream from the client
        self.nonce_window = nonce_window
        self.echo_message_create = echo_message_create
        self.default_timeout = default_timeout
        self.ack_heartbeats = True

        self.snowflake = SnowflakeFactory()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()
        self._connections: set[_Connection] = set()
        self._session: _Session | None = None

        # Recordings.
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[RecordedRequest] = []
        self.gateway_received: list[JSON] = []  # every payload the client sent, in order
        self.gateway_paths: list[str] = []  # path+query of every websocket connection
        self.gateway_compressed: list[bool] = []  # per connection: zlib-stream frames sent?
        self.replayed: list[int] = []  # sequence numbers re-sent on RESUME
        self.heartbeats: list[float] = []  # monotonic times of heartbeats received
        self.identify_count = 0
        self.resume_count = 0
        self.invalid_session_count = 0

        # Faults.
        self.faults: list[Fault] = []
        self.outage_status: int | None = None

        # World state.
        self._build_world()
        self._messages: dict[int, JSON] = {}
        self._channel_messages: dict[int, list[int]] = {}
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}
        self._commands: dict[int | None, list[JSON]] = {}
        self._command_ids: dict[tuple[int | None, str, int], int] = {}
        self._interactions: dict[int, _Interaction] = {}
        self._tokens: dict[str, int] = {}
        self._routes: list[tuple[str, re.Pattern[str], str, Handler]] = []
        self._register_routes()

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

    # ------------------------------------------------------------------ lifecycle

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

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_get("/resume/", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        for conn in list(self._connections):
            await conn.ws.close(code=1001, message=b"fake shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @asynccontextmanager
    async def running(self, client: ClientT, *, token: str = "fake-token",
                      timeout: float | None = None, fast_reidentify: bool = True
                      ) -> AsyncIterator[ClientT]:
        """Log ``client`` in, connect it, wait until ready; close it cleanly on exit.

        Construct the client with ``guild_ready_timeout=0.1`` (or similar) so that
        discord.py does not wait its default 2 s for more GUILD_CREATEs.

        ``fast_reidentify``: discord.py's default ``Client.before_identify_hook`` sleeps
        5 s before every IDENTIFY but the first (after an invalid session, say); unless the
        client's class overrides the hook, it is replaced on this instance by a no-op.
        """
        limit = self.default_timeout if timeout is None else timeout
        if fast_reidentify and \
                type(client).before_identify_hook is discord.Client.before_identify_hook:
            async def no_wait(shard_id: int | None, *, initial: bool = False) -> None:
                return None

            client.before_identify_hook = no_wait  # type: ignore[method-assign]
        async with client:  # runs Client._async_setup_hook on the current loop
            await asyncio.wait_for(client.login(token), limit)
            connect = asyncio.create_task(client.connect(reconnect=True),
                                          name="fake-discord-connect")
            ready = asyncio.create_task(client.wait_until_ready())
            try:
                done, _ = await asyncio.wait({connect, ready}, timeout=limit,
                                             return_when=asyncio.FIRST_COMPLETED)
                if ready not in done:
                    if connect in done:
                        connect.result()  # re-raise the connection error
                        raise RuntimeError("client.connect() returned before the client was ready")
                    raise TimeoutError(f"client not ready within {limit}s")
                yield client
            finally:
                ready.cancel()
                await client.close()
                with suppress(asyncio.CancelledError):
                    await asyncio.wait_for(connect, limit)

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

    # ------------------------------------------------------------------ gateway

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        compress = self.compress and request.query.get("compress") == "zlib-stream"
        conn = _Connection(ws, request.path_qs, compress)
        self._connections.add(conn)
        self.gateway_paths.append(request.path_qs)
        self.gateway_compressed.append(compress)
        try:
            await conn.send({"op": OP_HELLO, "s": None, "t": None,
                             "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            await self._notify()
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_gateway_payload(conn, json.loads(msg.data))
                elif msg.type is WSMsgType.BINARY:  # the client never compresses what it sends
                    await self._on_gateway_payload(conn, json.loads(msg.data.decode()))
                else:
                    break
        finally:
            self._connections.discard(conn)
            if self._session is not None and self._session.conn is conn:
                self._session.conn = None
            await self._notify()
        return ws

    async def _on_gateway_payload(self, conn: _Connection, payload: JSON) -> None:
        self.gateway_received.append(payload)
        op = payload.get("op")
        data: JSON = payload.get("d") or {}
        if op == OP_HEARTBEAT:
            self.heartbeats.append(time.monotonic())
            if self.ack_heartbeats:
                await conn.send({"op": OP_HEARTBEAT_ACK, "s": None, "t": None, "d": None})
        elif op == OP_IDENTIFY:
            await self._identify(conn, data)
        elif op == OP_RESUME:
            await self._resume(conn, data)
        elif op == OP_REQUEST_MEMBERS:
            await self._request_members(data)
        await self._notify()

    async def _identify(self, conn: _Connection, data: JSON) -> None:
        self.identify_count += 1
        session = _Session(session_id=f"fake-session-{self.snowflake()}",
                           token=str(data.get("token")), intents=int(data.get("intents", 0)))
        old, self._session = self._session, session
        session.conn = conn
        if old is not None and old.conn is not None and old.conn is not conn:
            await old.conn.ws.close(code=4000)
        await self._dispatch(session, "READY", {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": session.session_id,
            "resume_gateway_url": self.resume_gateway_url,
            "shard": [0, 1],
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        })
        await self._dispatch(session, "GUILD_CREATE", self.guild_payload())

    async def _resume(self, conn: _Connection, data: JSON) -> None:
        session = self._session
        if session is None or session.session_id != data.get("session_id") \
                or session.token != data.get("token"):
            self.invalid_session_count += 1
            await conn.send({"op": OP_INVALID_SESSION, "s": None, "t": None, "d": False})
            return
        self.resume_count += 1
        seq = data.get("seq") or 0
        missed = [e for e in session.log if e["s"] > seq]
        session.conn = conn
        self.replayed.extend(e["s"] for e in missed)
        await conn.send(*missed)
        await self._dispatch(session, "RESUMED", {})

    async def _request_members(self, data: JSON) -> None:
        if self._session is None:
            return
        chunk: JSON = {"guild_id": str(self.guild_id), "members": self.members,
                       "chunk_index": 0, "chunk_count": 1, "not_found": []}
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self._dispatch(self._session, "GUILD_MEMBERS_CHUNK", chunk)

    async def _dispatch(self, session: _Session, event: str, data: JSON) -> int:
        session.seq += 1
        payload = {"op": OP_DISPATCH, "s": session.seq, "t": event, "d": data}
        session.log.append(payload)
        if session.conn is not None:
            await session.conn.send(payload)
        return session.seq

    @property
    def session_id(self) -> str | None:
        return None if self._session is None else self._session.session_id

    @property
    def connected(self) -> bool:
        """True while the current session has a live websocket."""
        return self._session is not None and self._session.conn is not None

    async def dispatch(self, event: str, data: JSON) -> int:
        """Dispatch a gateway event (op 0) to the bot; returns its sequence number.

        While the bot is disconnected the event is kept and replayed on RESUME.
        """
        if self._session is None:
            raise RuntimeError("no gateway session: the client has not identified")
        return await self._dispatch(self._session, event, data)

    async def send_reconnect(self) -> None:
        """Send op 7 RECONNECT; the client closes and RESUMEs on ``resume_gateway_url``."""
        session = self._require_live_session()
        conn = session.conn
        session.conn = None  # later dispatches wait in the log for the RESUME
        assert conn is not None
        await conn.send({"op": OP_RECONNECT, "s": None, "t": None, "d": None})

    async def send_invalid_session(self, resumable: bool = False) -> None:
        """Send op 9. With ``resumable=False`` the session is dropped: discord.py then
        IDENTIFYs afresh and events since its last sequence are lost (as on Discord)."""
        session = self._require_live_session()
        conn = session.conn
        assert conn is not None
        if not resumable:
            self._session = None
        await conn.send({"op": OP_INVALID_SESSION, "s": None, "t": None, "d": resumable})

    async def close_socket(self, code: int = 4000) -> None:
        """Close the bot's websocket from the server side with ``code``."""
        session = self._require_live_session()
        conn = session.conn
        session.conn = None
        assert conn is not None
        await conn.ws.close(code=code)

    def _require_live_session(self) -> _Session:
        if self._session is None or self._session.conn is None:
            raise RuntimeError("no live gateway connection")
        return self._session

    async def wait_connected(self, *, resumes: int | None = None, identifies: int | None = None,
                             timeout: float | None = None) -> None:
        """Wait until the bot has a live socket (after at least ``resumes`` RESUMEs or
        ``identifies`` IDENTIFYs, when given)."""

        def ok() -> bool:
            if resumes is not None and self.resume_count < resumes:
                return False
            if identifies is not None and self.identify_count < identifies:
                return False
            return self.connected

        await self.wait_until(ok, timeout=timeout, what="a live gateway connection")

    # ------------------------------------------------------------------ interactions

    def _member_for(self, user: JSON | None, permissions: str | None = None) -> JSON:
        u = user or self.user
        return member_payload(u, [self.member_role_id],
                              permissions=permissions or DEFAULT_PERMISSIONS)

    async def _dispatch_interaction(self, itype: int, data: JSON | None, *,
                                    channel_id: int | None = None, user: JSON | None = None,
                                    message: JSON | None = None,
                                    permissions: str | None = None) -> InteractionHandle:
        iid = self.snowflake()
        token = f"fake-interaction-token-{iid}"
        cid = channel_id or self.text_channel_id
        channel = self.channel(cid)
        payload: JSON = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "token": token,
            "version": 1,
            "guild_id": str(self.guild_id),
            "guild": {"id": str(self.guild_id), "locale": "en-US", "features": []},
            "guild_locale": "en-US",
            "channel_id": str(cid),
            "channel": channel or {"id": str(cid), "type": GUILD_TEXT},
            "member": self._member_for(user, permissions),
            "app_permissions": DEFAULT_PERMISSIONS,
            "locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if data is not None:
            payload["data"] = data
        if message is not None:
            payload["message"] = message
        record = _Interaction(id=iid, token=token, payload=payload, channel_id=cid)
        self._interactions[iid] = record
        self._tokens[token] = iid
        seq = await self.dispatch("INTERACTION_CREATE", payload)
        return InteractionHandle(self, record, seq)

    def _find_command(self, name: str, ctype: int = 1) -> tuple[JSON | None, int | None]:
        for scope in (self.guild_id, None):
            for cmd in self._commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd, scope
        return None, None

    @staticmethod
    def _infer_type(value: Any) -> int:
        if isinstance(value, bool):
            return 5
        if isinstance(value, int):
            return 4
        if isinstance(value, float):
            return 10
        return 3

    def _build_options(self, schema: Sequence[JSON] | None, values: Mapping[str, Any],
                       focused: str | None) -> list[JSON]:
        by_name = {o["name"]: o for o in (schema or [])}
        out: list[JSON] = []
        for name, value in values.items():
            spec = by_name.get(name)
            otype = int(spec["type"]) if spec else self._infer_type(value)
            opt: JSON = {"name": name, "type": otype, "value": value}
            if name == focused:
                opt["focused"] = True
                opt["value"] = str(value)  # Discord sends the raw partial text
            out.append(opt)
        return out

    def _command_data(self, path: str, options: Mapping[str, Any] | None, focused: str | None
                      ) -> JSON:
        parts = path.split()
        cmd, scope = self._find_command(parts[0])
        if cmd is None:
            raise LookupError(f"no synced chat input command named {parts[0]!r}: "
                              f"sync the tree first (stored: {self.command_names()})")
        schema: list[JSON] = list(cmd.get("options") or [])
        # Walk group/subcommand names; build the nesting inside out.
        chain: list[tuple[str, int]] = []
        for sub in parts[1:]:
            spec = next((o for o in schema if o["name"] == sub and o["type"] in (1, 2)), None)
            if spec is None:
                raise LookupError(f"{path!r}: no subcommand or group {sub!r}")
            chain.append((sub, int(spec["type"])))
            schema = list(spec.get("options") or [])
        leaf = self._build_options(schema, options or {}, focused)
        for sub, stype in reversed(chain):
            leaf = [{"name": sub, "type": stype, "options": leaf}]
        data: JSON = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": leaf}
        if scope is not None:
            data["guild_id"] = str(scope)
        return data

    async def slash_command(self, path: str, options: Mapping[str, Any] | None = None, *,
                            channel_id: int | None = None, user: JSON | None = None,
                            resolved: JSON | None = None, permissions: str | None = None
                            ) -> InteractionHandle:
        """Dispatch a chat-input command (interaction type 2).

        ``path`` is ``"name"`` or ``"name sub"`` or ``"name group sub"``; option types are
        taken from the synced command's schema (so sync first). ``permissions`` is the
        member's resolved permission bitfield (``interaction.permissions``); default
        :data:`DEFAULT_PERMISSIONS`, which lacks Manage Server (see ``ADMIN_PERMISSIONS``).
        """
        data = self._command_data(path, options, None)
        if resolved:
            data["resolved"] = resolved
        return await self._dispatch_interaction(2, data, channel_id=channel_id, user=user,
                                                permissions=permissions)

    async def autocomplete(self, path: str, options: Mapping[str, Any], focused: str, *,
                           channel_id: int | None = None, user: JSON | None = None,
                           permissions: str | None = None) -> InteractionHandle:
        """Dispatch an autocomplete interaction (type 4) with ``focused`` as the focused option."""
        if focused not in options:
            raise ValueError("the focused option must be among the options")
        data = self._command_data(path, options, focused)
        return await self._dispatch_interaction(4, data, channel_id=channel_id, user=user,
                                                permissions=permissions)

    def _message_for_component(self, message: int | JSON | None, channel_id: int) -> JSON:
        if isinstance(message, dict):
            return message
        if isinstance(message, int):
            stored = self.message(message)
            if stored is None:
                raise LookupError(f"no recorded message {message}")
            return stored
        return self._new_message(channel_id, {"content": ""}, author=self.bot_user)

    async def click_button(self, custom_id: str, *, message: int | JSON | None = None,
                           channel_id: int | None = None, user: JSON | None = None
                           ) -> InteractionHandle:
        """Dispatch a button click (type 3, component_type 2) on ``message`` (an id of a
        recorded message, a message payload, or None for a synthetic bot message)."""
        msg = self._message_for_component(message, channel_id or self.text_channel_id)
        cid = int(msg["channel_id"])
        return await self._dispatch_interaction(
            3, {"custom_id": custom_id, "component_type": 2}, channel_id=cid, user=user,
            message=msg)

    async def select(self, custom_id: str, values: Sequence[str], *,
                     message: int | JSON | None = None, component_type: int = 3,
                     user: JSON | None = None) -> InteractionHandle:
        """Dispatch a select menu choice (type 3, component_type 3 = string select)."""
        msg = self._message_for_component(message, self.text_channel_id)
        return await self._dispatch_interaction(
            3, {"custom_id": custom_id, "component_type": component_type, "values": list(values)},
            channel_id=int(msg["channel_id"]), user=user, message=msg)

    async def message_command(self, name: str, message: int | JSON, *,
                              user: JSON | None = None) -> InteractionHandle:
        """Dispatch a message context-menu command (type 2, command type 3)."""
        msg = self._message_for_component(message, self.text_channel_id)
        cmd, scope = self._find_command(name, 3)
        if cmd is None:
            raise LookupError(f"no synced message command named {name!r}")
        data: JSON = {"id": cmd["id"], "name": name, "type": 3, "target_id": msg["id"],
                      "resolved": {"messages": {msg["id"]: msg}}}
        if scope is not None:
            data["guild_id"] = str(scope)
        return await self._dispatch_interaction(2, data, channel_id=int(msg["channel_id"]),
                                                user=user)

    async def user_command(self, name: str, target: JSON | None = None, *,
                           user: JSON | None = None) -> InteractionHandle:
        """Dispatch a user context-menu command (type 2, command type 2)."""
        tgt = target or self.user
        cmd, scope = self._find_command(name, 2)
        if cmd is None:
            raise LookupError(f"no synced user command named {name!r}")
        member = self._member_for(tgt)
        member.pop("user")
        data: JSON = {"id": cmd["id"], "name": name, "type": 2, "target_id": tgt["id"],
                      "resolved": {"users": {tgt["id"]: tgt}, "members": {tgt["id"]: member}}}
        if scope is not None:
            data["guild_id"] = str(scope)
        return await self._dispatch_interaction(2, data, user=user)

    async def submit_modal(self, custom_id: str, values: Mapping[str, str], *,
                           user: JSON | None = None) -> InteractionHandle:
        """Dispatch a modal submit (type 5) with text inputs ``custom_id -> value``."""
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                for k, v in values.items()]
        return await self._dispatch_interaction(5, {"custom_id": custom_id, "components": rows},
                                                user=user)

    def interaction_responses(self, interaction_id: int) -> list[InteractionResponse]:
        return list(self._interactions[interaction_id].responses)

    # ------------------------------------------------------------------ recorded state

    def message(self, message_id: int) -> JSON | None:
        return self._messages.get(message_id)

    def messages_in(self, channel_id: int, *, include_ephemeral: bool = True) -> list[JSON]:
        """Messages currently in a channel (not deleted), oldest first."""
        out = [self._messages[m] for m in self._channel_messages.get(channel_id, [])
               if m in self._messages]
        if not include_ephemeral:
            out = [m for m in out if not int(m.get("flags", 0)) & FLAG_EPHEMERAL]
        return out

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """Application commands stored by the last bulk overwrite (global if no guild)."""
        return list(self._commands.get(guild_id, []))

    def command_names(self, guild_id: int | None = None) -> list[str]:
        return [c["name"] for c in self._commands.get(guild_id, [])]

    def requests_to(self, method: str | None = None, path: str | None = None
                    ) -> list[RecordedRequest]:
        """Recorded requests, filtered by method and a regex fully matching the path."""
        rx = re.compile(path) if path else None
        return [r for r in self.requests
                if (method is None or r.method == method)
                and (rx is None or rx.fullmatch(r.path))]

    # ------------------------------------------------------------------ faults

    def add_fault(self, path_regex: str, status: int, body: Any, *, method: str | None = None,
                  headers: Mapping[str, str] | None = None, times: int | None = None) -> Fault:
        fault = Fault(re.compile(path_regex), status, body, method, dict(headers or {}), times)
        self.faults.append(fault)
        return fault

    def _channel_rx(self, channel_id: int) -> str:
        return rf"/channels/{channel_id}(/.*)?"

    def forbid_channel(self, channel_id: int, *, times: int | None = None) -> Fault:
        """Every request on the channel answers 403 Missing Access (50001)."""
        return self.add_fault(self._channel_rx(channel_id), 403,
                              {"code": 50001, "message": "Missing Access"}, times=times)

    def unknown_channel(self, channel_id: int, *, times: int | None = None) -> Fault:
        """Every request on the channel answers 404 Unknown Channel (10003)."""
        return self.add_fault(self._channel_rx(channel_id), 404,
                              {"code": 10003, "message": "Unknown Channel"}, times=times)

    def rate_limit_once(self, path_regex: str, *, retry_after: float = 0.05,
                        is_global: bool = False, method: str | None = None) -> Fault:
        """The next matching request answers 429 with Discord's body and headers."""
        headers = {
            "Retry-After": str(max(1, int(retry_after + 0.999))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Bucket": "fakebucket",
            "X-RateLimit-Scope": "global" if is_global else "user",
            # discord.py treats a 429 without Via as a Cloudflare ban (HTTPException).
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": retry_after,
                "global": is_global, "code": 0}
        return self.add_fault(path_regex, 429, body, method=method, headers=headers, times=1)

    def rate_limit_channel_once(self, channel_id: int, *, retry_after: float = 0.05) -> Fault:
        return self.rate_limit_once(self._channel_rx(channel_id), retry_after=retry_after)

    def server_error(self, path_regex: str, *, status: int = 500, times: int | None = 1) -> Fault:
        """Answer 5xx. NB discord.py retries 500/502/504/524 (REST) and every 5xx (webhooks)
        up to 5 times, sleeping 1 + 2*attempt seconds between tries."""
        body = {"code": 0, "message": f"{status}: Internal Server Error"}
        return self.add_fault(path_regex, status, body, times=times)

    def set_outage(self, on: bool = True, *, status: int = 503) -> None:
        """Make every REST request fail with ``status`` (503 by default: not retried by
        discord.py's HTTPClient, so it fails fast with DiscordServerError)."""
        self.outage_status = status if on else None

    def clear_faults(self) -> None:
        self.faults.clear()
        self.outage_status = None

    # ------------------------------------------------------------------ REST plumbing

    async def _read_body(self, request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
        files: list[dict[str, Any]] = []
        ctype = request.content_type
        if ctype.startswith("multipart/"):
            payload: Any = None
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):
                    continue  # nested multipart: Discord does not use it
                raw = await part.read()
                name = part.name
                if name == "payload_json":
                    payload = json.loads(raw.decode())
                else:
                    files.append({"name": name, "filename": part.filename, "size": len(raw)})
            return payload, files
        raw = await request.read()
        if not raw:
            return None, files
        try:
            return json.loads(raw.decode()), files
        except ValueError:
            return raw.decode(errors="replace"), files

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX):]
        body, files = await self._read_body(request)
        rec = RecordedRequest(
            method=request.method, path=path, query=dict(request.query), json=body, files=files,
            headers={k: v for k, v in request.headers.items()
                     if k.lower() in ("authorization", "x-audit-log-reason", "user-agent",
                                      "content-type")},
        )
        self.requests.append(rec)
        try:
            response = await self._answer(rec)
        except _HTTPError as exc:
            response = error_response(exc.status, exc.code, exc.message)
        rec.status = response.status
        await self._notify()
        return response

    async def _answer(self, rec: RecordedRequest) -> web.Response:
        if self.outage_status is not None:
            return error_response(self.outage_status, 0, "Service Unavailable")
        for fault in self.faults:
            if fault.matches(rec.method, rec.path):
                fault.hits += 1
                return json_response(fault.body, status=fault.status, headers=fault.headers)
        for method, rx, name, handler in self._routes:
            if method != rec.method:
                continue
            m = rx.fullmatch(rec.path)
            if m is not None:
                rec.route = name
                return await handler(rec, m)
        self.unknown_routes.append(rec)
        return error_response(404, 0, f"404: Not Found (fake discord has no route "
                                      f"{rec.method} {rec.path})")

    def _register_routes(self) -> None:
        app = r"(?P<app>\d+|@me)"
        snow = r"(?P<{}>\d+)"
        tok = r"(?P<token>[^/]+)"
        cid = snow.format("channel")
        mid = snow.format("message")
        gid = snow.format("guild")
        table: list[tuple[str, str, str, Handler]] = [
            ("GET", "/users/@me", "get_me", self._get_me),
            ("GET", "/gateway", "get_gateway", self._get_gateway),
            ("GET", "/gateway/bot", "get_gateway_bot", self._get_gateway_bot),
            ("GET", "/applications/@me", "application_info", self._application_info),
            ("GET", "/oauth2/applications/@me", "application_info", self._application_info),
            ("PUT", f"/applications/{app}/commands", "bulk_overwrite_global", self._put_commands),
            ("GET", f"/applications/{app}/commands", "get_global_commands", self._get_commands),
            ("POST", f"/applications/{app}/commands", "upsert_global", self._post_command),
            ("PUT", f"/applications/{app}/guilds/{gid}/commands", "bulk_overwrite_guild",
             self._put_commands),
            ("GET", f"/applications/{app}/guilds/{gid}/commands", "get_guild_commands",
             self._get_commands),
            ("POST", f"/applications/{app}/guilds/{gid}/commands", "upsert_guild",
             self._post_command),
            ("POST", f"/interactions/(?P<iid>\\d+)/{tok}/callback", "interaction_callback",
             self._interaction_callback),
            ("GET", f"/webhooks/{app}/{tok}/messages/@original", "get_original",
             self._get_original),
            ("PATCH", f"/webhooks/{app}/{tok}/messages/@original", "edit_original",
             self._edit_original),
            ("DELETE", f"/webhooks/{app}/{tok}/messages/@original", "delete_original",
             self._delete_original),
            ("POST", f"/webhooks/{app}/{tok}", "followup", self._followup),
            ("GET", f"/webhooks/{app}/{tok}/messages/{mid}", "get_followup", self._get_followup),
            ("PATCH", f"/webhooks/{app}/{tok}/messages/{mid}", "edit_followup",
             self._edit_followup),
            ("DELETE", f"/webhooks/{app}/{tok}/messages/{mid}", "delete_followup",
             self._delete_followup),
            ("GET", f"/channels/{cid}", "get_channel", self._get_channel),
            ("POST", f"/channels/{cid}/messages", "send_message", self._send_message),
            ("GET", f"/channels/{cid}/messages", "channel_history", self._channel_history),
            ("GET", f"/channels/{cid}/messages/{mid}", "get_message", self._get_message),
            ("PATCH", f"/channels/{cid}/messages/{mid}", "edit_message", self._edit_message),
            ("DELETE", f"/channels/{cid}/messages/{mid}", "delete_message", self._delete_message),
            ("POST", f"/channels/{cid}/threads", "start_thread", self._start_thread),
            ("POST", f"/channels/{cid}/typing", "typing", self._no_content),
            ("GET", f"/guilds/{gid}/channels", "guild_channels", self._guild_channels),
        ]
        self._routes = [(m, re.compile(p), n, h) for m, p, n, h in table]

    # ------------------------------------------------------------------ REST: misc

    async def _no_content(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return web.Response(status=204)

    async def _get_me(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return json_response(self.bot_user)

    async def _get_gateway(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def _get_gateway_bot(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return json_response({
            "url": self.gateway_url, "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0,
                                    "max_concurrency": 1},
        })

    async def _application_info(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return json_response({
            "id": str(self.application_id),
            "name": "Bluebook Test App",
            "icon": None,
            "description": "fake application",
            "rpc_origins": [],
            "bot_public": False,
            "bot_require_code_grant": False,
            "bot": self.bot_user,
            "owner": self.owner_user,
            "team": None,
            "summary": "",
            "verify_key": "0" * 64,
            "flags": 0,
            "tags": [],
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "approximate_guild_count": 1,
        })

    # ------------------------------------------------------------------ REST: commands

    def _check_app(self, m: re.Match[str]) -> None:
        app = m.group("app")
        if app != "@me" and int(app) != self.application_id:
            raise _HTTPError(403, 50001, "Missing Access")

    def _scope(self, m: re.Match[str]) -> int | None:
        gid = m.groupdict().get("guild")
        if gid is None:
            return None
        if int(gid) != self.guild_id:
            raise _HTTPError(403, 50001, "Missing Access")
        return int(gid)

    def _store_command(self, scope: int | None, body: JSON) -> JSON:
        ctype = int(body.get("type", 1))
        key = (scope, body["name"], ctype)
        cmd_id = self._command_ids.setdefault(key, self.snowflake())
        cmd: JSON = {
            "id": str(cmd_id),
            "application_id": str(self.application_id),
            "version": str(self.snowflake()),
            "type": ctype,
            "name": body["name"],
            "description": body.get("description", ""),
            "options": body.get("options", []),
            "default_member_permissions": body.get("default_member_permissions"),
            "nsfw": body.get("nsfw", False),
            "name_localizations": body.get("name_localizations"),
            "description_localizations": body.get("description_localizations"),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types", [0]),
        }
        if "dm_permission" in body:
            cmd["dm_permission"] = body["dm_permission"]
        if scope is not None:
            cmd["guild_id"] = str(scope)
        return cmd

    async def _put_commands(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        self._check_app(m)
        scope = self._scope(m)
        if not isinstance(rec.json, list):
            raise _HTTPError(400, 50035, "Invalid Form Body")
        self._commands[scope] = [self._store_command(scope, c) for c in rec.json]
        return json_response(self._commands[scope])

    async def _post_command(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        self._check_app(m)
        scope = self._scope(m)
        cmd = self._store_command(scope, rec.json)
        existing = [c for c in self._commands.get(scope, []) if c["id"] != cmd["id"]]
        self._commands[scope] = [*existing, cmd]
        return json_response(cmd, status=201)

    async def _get_commands(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        self._check_app(m)
        return json_response(self._commands.get(self._scope(m), []))

    # ------------------------------------------------------------------ REST: messages

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
                "user": interaction.payload["member"]["user"],
                "authorizing_integration_owners": {"0": str(self.guild_id)},
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

    def _require_channel(self, m: re.Match[str]) -> tuple[int, JSON]:
        cid = int(m.group("channel"))
        channel = self.channel(cid)
        if channel is None:
            raise _HTTPError(404, 10003, "Unknown Channel")
        return cid, channel

    def _require_message(self, channel_id: int, m: re.Match[str]) -> JSON:
        msg = self._messages.get(int(m.group("message")))
        if msg is None or int(msg["channel_id"]) != channel_id:
            raise _HTTPError(404, 10008, "Unknown Message")
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
            raise _HTTPError(400, 50008, "Cannot send messages in a non-text channel")
        body: JSON = rec.json if isinstance(rec.json, dict) else {}
        if not (body.get("content") or body.get("embeds") or body.get("components")
                or rec.files or body.get("sticker_ids") or body.get("poll")):
            raise _HTTPError(400, 50006, "Cannot send an empty message")
        nonce = body.get("nonce")
        now = time.monotonic()
        key = (self.application_id, str(nonce))
        if nonce is not None and body.get("enforce_nonce"):
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
            raise _HTTPError(403, 50005, "Cannot edit a message authored by another user")
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
            raise _HTTPError(400, 50035, "Invalid Form Body: name is required")
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
                raise _HTTPError(400, 50035, "Invalid Form Body: message is required")
            # A forum post's starter message has the thread's id.
            msg = self._new_message(tid, first, author=self.bot_user, message_id=tid,
                                    files=rec.files)
            response = {**thread, "message": msg}
        thread_event = {**thread, "newly_created": True}
        await self._echo("THREAD_CREATE", thread_event, INTENT_GUILDS)
        return json_response(response, status=201)

    # ------------------------------------------------------------------ REST: interactions

    def _interaction_by_token(self, m: re.Match[str]) -> _Interaction:
        self._check_app(m)
        iid = self._tokens.get(m.group("token"))
        if iid is None:
            raise _HTTPError(404, 10015, "Unknown Webhook")
        return self._interactions[iid]

    def _respond(self, inter: _Interaction, kind: str, body: Any, msg: JSON | None
                 ) -> InteractionResponse:
        resp = InteractionResponse(kind=kind, body=body, message=None if msg is None else dict(msg))
        inter.responses.append(resp)
        return resp

    async def _interaction_callback(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        inter = self._interactions.get(int(m.group("iid")))
        if inter is None or inter.token != m.group("token"):
            raise _HTTPError(404, 10062, "Unknown interaction")
        if inter.callback is not None:
            raise _HTTPError(400, 40060, "Interaction has already been acknowledged.")
        body: JSON = rec.json if isinstance(rec.json, dict) else {}
        ctype = int(body.get("type", 0))
        data: JSON = body.get("data") or {}
        msg: JSON | None = None
        ephemeral = bool(int(data.get("flags") or 0) & FLAG_EPHEMERAL)
        if ctype == CB_MESSAGE:
            msg = self._new_message(inter.channel_id, data, author=self.bot_user,
                                    webhook_id=self.application_id, interaction=inter,
                                    files=rec.files)
            inter.original_message_id = int(msg["id"])
        elif ctype == CB_DEFERRED_MESSAGE:
            msg = self._new_message(inter.channel_id, {"content": "", "flags": data.get("flags")},
                                    author=self.bot_user, webhook_id=self.application_id,
                                    interaction=inter, extra_flags=FLAG_LOADING)
            inter.original_message_id = int(msg["id"])
        elif ctype in (CB_UPDATE_MESSAGE, CB_DEFERRED_UPDATE):
            target = inter.payload.get("message")
            if target is None:
                raise _HTTPError(400, 50035, "Invalid Form Body: no message to update")
            stored = self._messages.get(int(target["id"]))
            if stored is None:  # a synthetic message the fake never stored
                stored = dict(target)
                self._messages[int(stored["id"])] = stored
            msg = self._edit(stored, data, rec.files) if ctype == CB_UPDATE_MESSAGE else stored
            inter.original_message_id = int(msg["id"])
            ephemeral = bool(int(msg.get("flags", 0)) & FLAG_EPHEMERAL)
        elif ctype in (CB_PONG, CB_AUTOCOMPLETE, CB_MODAL):
            pass
        else:
            raise _HTTPError(400, 50035, f"Invalid Form Body: unsupported callback type {ctype}")
        inter.callback = self._respond(inter, "callback", body, msg)
        reply: JSON = {
            "interaction": {
                "id": str(inter.id),
                "type": inter.payload["type"],
                "response_message_id": None if msg is None else msg["id"],
                "response_message_loading": ctype == CB_DEFERRED_MESSAGE,
                "response_message_ephemeral": ephemeral,
            },
            "resource": {"type": ctype},
        }
        if msg is not None:
            reply["resource"]["message"] = msg
        if rec.query.get("with_response") in ("1", "true", "True"):
            return json_response(reply)
        return web.Response(status=204)

    def _original(self, inter: _Interaction) -> JSON:
        if inter.original_message_id is None or inter.original_message_id not in self._messages:
            raise _HTTPError(404, 10008, "Unknown Message")
        return self._messages[inter.original_message_id]

    async def _get_original(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        inter = self._interaction_by_token(m)
        msg = self._original(inter)
        self._respond(inter, "get_original", None, msg)
        return json_response(msg)

    async def _edit_original(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        inter = self._interaction_by_token(m)
        msg = self._edit(self._original(inter), rec.json, rec.files)
        self._respond(inter, "edit_original", rec.json, msg)
        return json_response(msg)

    async def _delete_original(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        inter = self._interaction_by_token(m)
        msg = self._original(inter)
        del self._messages[int(msg["id"])]
        self._respond(inter, "delete_original", None, msg)
        return web.Response(status=204)

    async def _followup(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        inter = self._interaction_by_token(m)
        if inter.callback is None:
            # Discord rejects follow-ups before the interaction is acknowledged.
            raise _HTTPError(404, 10015, "Unknown Webhook")
        body: JSON = rec.json if isinstance(rec.json, dict) else {}
        cb = inter.callback
        original = self._messages.get(inter.original_message_id or 0)
        if cb.type == CB_DEFERRED_MESSAGE and original is not None \
                and int(original["flags"]) & FLAG_LOADING:
            # The first follow-up after a "thinking" defer edits the loading message.
            msg = self._edit(original, body, rec.files)
        else:
            msg = self._new_message(inter.channel_id, body, author=self.bot_user,
                                    webhook_id=self.application_id, interaction=inter,
                                    files=rec.files)
        inter.followup_ids.append(int(msg["id"]))
        self._respond(inter, "followup", rec.json, msg)
        if rec.query.get("wait") in ("1", "true", "True"):
            return json_response(msg)
        return web.Response(status=204)

    def _followup_message(self, inter: _Interaction, m: re.Match[str]) -> JSON:
        mid = int(m.group("message"))
        if mid not in inter.followup_ids and mid != inter.original_message_id:
            raise _HTTPError(404, 10008, "Unknown Message")
        msg = self._messages.get(mid)
        if msg is None:
            raise _HTTPError(404, 10008, "Unknown Message")
        return msg

    async def _get_followup(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        inter = self._interaction_by_token(m)
        msg = self._followup_message(inter, m)
        self._respond(inter, "get_followup", None, msg)
        return json_response(msg)

    async def _edit_followup(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        inter = self._interaction_by_token(m)
        msg = self._edit(self._followup_message(inter, m), rec.json, rec.files)
        self._respond(inter, "edit_followup", rec.json, msg)
        return json_response(msg)

    async def _delete_followup(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        inter = self._interaction_by_token(m)
        msg = self._followup_message(inter, m)
        del self._messages[int(msg["id"])]
        self._respond(inter, "delete_followup", None, msg)
        return web.Response(status=204)


class _HTTPError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
