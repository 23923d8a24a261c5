"""The gateway: websocket connections, sessions, HELLO, IDENTIFY -> READY + GUILD_CREATE,
heartbeats, RESUME with replay, dispatching events, and the controls tests use to drop or
invalidate the bot's connection."""

from __future__ import annotations

import asyncio
import json
import time
import zlib
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from .models import JSON
from .protocol import (
    OP_DISPATCH,
    OP_HEARTBEAT,
    OP_HEARTBEAT_ACK,
    OP_HELLO,
    OP_IDENTIFY,
    OP_INVALID_SESSION,
    OP_RECONNECT,
    OP_REQUEST_MEMBERS,
    OP_RESUME,
)
from .state import FakeState


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
    shard: tuple[int, int] = (0, 1)


class Gateway(FakeState):
    # Set by FakeDiscord.__init__.
    heartbeat_interval_ms: int
    compress: bool  # honour ?compress=zlib-stream from the client

    def __init__(self) -> None:
        super().__init__()
        self.ack_heartbeats = True
        self._connections: set[_Connection] = set()
        self._session: _Session | None = None  # the session of the shard with the guild
        self._sessions: dict[str, _Session] = {}  # every session, for RESUME
        # Sharding (GET /gateway/bot's "shards"; IDENTIFY's "shard": [id, count]).
        self.shard_count = 1
        self.identified_shards: list[tuple[int, int]] = []
        # True: a second IDENTIFY for the same shard leaves the first connected, as
        # Discord does for several processes on one token (each gets the events).
        self.concurrent_sessions = False
        # Recordings.
        self.gateway_received: list[JSON] = []  # every payload the client sent, in order
        self.gateway_paths: list[str] = []  # path+query of every websocket connection
        self.gateway_compressed: list[bool] = []  # per connection: zlib-stream frames sent?
        self.replayed: list[int] = []  # sequence numbers re-sent on RESUME
        self.heartbeats: list[float] = []  # monotonic times of heartbeats received
        self.identify_count = 0
        self.resume_count = 0
        self.invalid_session_count = 0

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
            for session in self._sessions.values():
                if session.conn is conn:
                    session.conn = None
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

    def guild_shard(self, shard_count: int) -> int:
        """The shard that gets the guild's events: (guild_id >> 22) % count, as Discord says."""
        return (self.guild_id >> 22) % shard_count

    def _shard_of(self, data: JSON) -> tuple[int, int] | None:
        shard = data.get("shard") or [0, 1]
        shard_id, count = int(shard[0]), int(shard[1])
        return (shard_id, count) if 0 <= shard_id < count else None

    async def _identify(self, conn: _Connection, data: JSON) -> None:
        self.identify_count += 1
        shard = self._shard_of(data)
        if shard is None:
            await conn.ws.close(code=4010, message=b"Invalid shard")
            return
        self.identified_shards.append(shard)
        session = _Session(session_id=f"fake-session-{self.snowflake()}",
                           token=str(data.get("token")), intents=int(data.get("intents", 0)),
                           shard=shard)
        self._sessions[session.session_id] = session
        session.conn = conn
        has_guild = self.guild_shard(shard[1]) == shard[0]
        if has_guild:
            old, self._session = self._session, session
            if old is not None and old.conn is not None and old.conn is not conn \
                    and not self.concurrent_sessions:
                await old.conn.ws.close(code=4000)
        await self._dispatch(session, "READY", {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": str(self.guild_id), "unavailable": True}] if has_guild else [],
            "session_id": session.session_id,
            "resume_gateway_url": self.resume_gateway_url,
            "shard": list(shard),
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        })
        if has_guild:
            await self._dispatch(session, "GUILD_CREATE", self.guild_payload())

    async def _resume(self, conn: _Connection, data: JSON) -> None:
        session = self._sessions.get(str(data.get("session_id")))
        if session is not None and session is not self._session \
                and not self.concurrent_sessions \
                and self.guild_shard(session.shard[1]) == session.shard[0]:
            session = None  # replaced by a newer IDENTIFY of the guild's shard
        if session is None or session.token != data.get("token"):
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
            self._sessions.pop(session.session_id, None)
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
