"""REST plumbing: read and record every request, apply faults, route it to its handler
(unknown routes answer 404), plus the login routes (users/@me, gateway, application)."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, web

from .faults import FaultInjection
from .protocol import API_PREFIX
from .records import RecordedRequest
from .responses import HTTPError, error_response, json_response
from .state import FakeState

Handler = Callable[[RecordedRequest, "re.Match[str]"], Awaitable[web.Response]]


class RestRouting(FaultInjection, FakeState):
    shard_count: int  # the gateway's (GET /gateway/bot answers it)

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[RecordedRequest] = []
        # (method, path regex, route name, handler); filled by FakeDiscord._register_routes.
        self._routes: list[tuple[str, re.Pattern[str], str, Handler]] = []

    def requests_to(self, method: str | None = None, path: str | None = None
                    ) -> list[RecordedRequest]:
        """Recorded requests, filtered by method and a regex fully matching the path."""
        rx = re.compile(path) if path else None
        return [r for r in self.requests
                if (method is None or r.method == method)
                and (rx is None or rx.fullmatch(r.path))]

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
        except HTTPError as exc:
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

    # ------------------------------------------------------------------ login routes

    async def _no_content(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return web.Response(status=204)

    async def _get_me(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return json_response(self.bot_user)

    async def _get_gateway(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def _get_gateway_bot(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return json_response({
            "url": self.gateway_url, "shards": self.shard_count,
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
