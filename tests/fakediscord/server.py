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

``FakeDiscord`` is composed of mixins over one shared state; each owns its own attributes:

* ``state.FakeState`` — the world (ids, guild, channels), URLs, ``wait_until``;
* ``messages.MessageStore`` — messages the bot created, ``message``, ``messages_in``;
* ``gateway.Gateway`` — connections, sessions, ``dispatch`` and the reconnect controls;
* ``faults.FaultInjection`` — ``add_fault``, ``forbid_channel``, ``set_outage``...;
* ``interactions.Interactions`` — ``slash_command``, ``click_button``... (see ``records``
  for ``InteractionHandle``);
* ``messages_events.MemberMessages`` — members' messages (``member_says``,
  ``member_edits``, ``member_deletes``, ``replies_to``) under the Message Content
  rules (``message_content_allowed``), and ``user_install_command`` from elsewhere;
* ``rest.RestRouting`` — REST recording, faults and routing, login routes;
  ``rest_commands``, ``rest_channels``, ``rest_webhooks`` — the other route handlers.

This module puts them together: the route table, start/stop and ``running``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import TypeVar

import discord
from aiohttp import web

# Re-exported: these were defined here before the fake was split into modules.
from .faults import Fault
from .messages_events import MemberMessages
from .protocol import (
    API_PREFIX,
    CB_AUTOCOMPLETE,
    CB_DEFERRED_MESSAGE,
    CB_DEFERRED_UPDATE,
    CB_MESSAGE,
    CB_MODAL,
    CB_PONG,
    CB_UPDATE_MESSAGE,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILDS,
    OP_DISPATCH,
    OP_HEARTBEAT,
    OP_HEARTBEAT_ACK,
    OP_HELLO,
    OP_IDENTIFY,
    OP_INVALID_SESSION,
    OP_PRESENCE,
    OP_RECONNECT,
    OP_REQUEST_MEMBERS,
    OP_RESUME,
)
from .records import InteractionHandle, InteractionResponse, RecordedRequest
from .responses import error_response, json_response
from .rest import Handler, RestRouting
from .rest_channels import ChannelRoutes
from .rest_webhooks import InteractionRoutes

__all__ = [
    "API_PREFIX",
    "CB_AUTOCOMPLETE",
    "CB_DEFERRED_MESSAGE",
    "CB_DEFERRED_UPDATE",
    "CB_MESSAGE",
    "CB_MODAL",
    "CB_PONG",
    "CB_UPDATE_MESSAGE",
    "FLAG_EPHEMERAL",
    "FLAG_LOADING",
    "INTENT_GUILDS",
    "INTENT_GUILD_MESSAGES",
    "OP_DISPATCH",
    "OP_HEARTBEAT",
    "OP_HEARTBEAT_ACK",
    "OP_HELLO",
    "OP_IDENTIFY",
    "OP_INVALID_SESSION",
    "OP_PRESENCE",
    "OP_RECONNECT",
    "OP_REQUEST_MEMBERS",
    "OP_RESUME",
    "ClientT",
    "FakeDiscord",
    "Fault",
    "Handler",
    "InteractionHandle",
    "InteractionResponse",
    "RecordedRequest",
    "error_response",
    "json_response",
]

ClientT = TypeVar("ClientT", bound="discord.Client")


class FakeDiscord(RestRouting, ChannelRoutes, InteractionRoutes, MemberMessages):
    """The fake. Create, ``await start()``, point discord.py at ``api_base``/``gateway_url``."""

    def __init__(self, *, heartbeat_interval_ms: int = 500, compress: bool = True,
                 nonce_window: float = 300.0, echo_message_create: bool = True,
                 default_timeout: float = 5.0) -> None:
        super().__init__()  # every component sets up its own state
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.compress = compress
        self.nonce_window = nonce_window
        self.echo_message_create = echo_message_create
        self.default_timeout = default_timeout
        self._runner: web.AppRunner | None = None
        self._register_routes()

    def _register_routes(self) -> None:
        # The whole REST surface in one table; the handlers live in rest (login),
        # rest_commands, rest_webhooks (interaction answers) and rest_channels.
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

    # ------------------------------------------------------------------ lifecycle

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
