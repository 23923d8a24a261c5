"""Application commands: the REST routes discord.py syncs them with, and the store that
tests and the interaction helpers read them from."""

from __future__ import annotations

import re

from aiohttp import web

from .models import JSON
from .records import RecordedRequest
from .responses import HTTPError, json_response
from .state import FakeState


class ApplicationCommands(FakeState):
    def __init__(self) -> None:
        super().__init__()
        self._commands: dict[int | None, list[JSON]] = {}  # by guild id, None: global
        # Ids are stable per (scope, name, type), as on Discord, across re-syncs.
        self._command_ids: dict[tuple[int | None, str, int], int] = {}

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """Application commands stored by the last bulk overwrite (global if no guild)."""
        return list(self._commands.get(guild_id, []))

    def command_names(self, guild_id: int | None = None) -> list[str]:
        return [c["name"] for c in self._commands.get(guild_id, [])]

    def _find_command(self, name: str, ctype: int = 1) -> tuple[JSON | None, int | None]:
        for scope in (self.guild_id, None):
            for cmd in self._commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd, scope
        return None, None

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
            raise HTTPError(400, 50035, "Invalid Form Body")
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
