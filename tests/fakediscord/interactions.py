"""The interaction helpers: build INTERACTION_CREATE payloads (slash commands,
autocomplete, buttons, selects, context-menu commands, modals), dispatch them on the
gateway, and hand the test an ``InteractionHandle`` to await the bot's answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .gateway import Gateway
from .messages import MessageStore
from .models import DEFAULT_PERMISSIONS, GUILD_TEXT, JSON, member_payload
from .records import InteractionHandle, InteractionResponse, _Interaction
from .rest_commands import ApplicationCommands


class Interactions(ApplicationCommands, Gateway, MessageStore):
    def __init__(self) -> None:
        super().__init__()
        self._interactions: dict[int, _Interaction] = {}
        self._tokens: dict[str, int] = {}  # interaction token -> interaction id

    def _member_for(self, user: JSON | None, permissions: str | None = None) -> JSON:
        u = user or self.user
        return member_payload(u, [self.member_role_id],
                              permissions=permissions or DEFAULT_PERMISSIONS)

    async def _dispatch_interaction(self, itype: int, data: JSON | None, *,
                                    channel_id: int | None = None, user: JSON | None = None,
                                    message: JSON | None = None,
                                    permissions: str | None = None,
                                    extra: JSON | None = None) -> InteractionHandle:
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
        if extra:  # a user install elsewhere: another guild, a DM (messages_events)
            payload.update(extra)
            for key in ("guild_id", "guild", "member"):
                if key not in extra and extra.get("context", 0) != 0:
                    payload.pop(key, None)
        if data is not None:
            payload["data"] = data
        if message is not None:
            payload["message"] = message
        record = _Interaction(id=iid, token=token, payload=payload, channel_id=cid)
        self._interactions[iid] = record
        self._tokens[token] = iid
        seq = await self.dispatch("INTERACTION_CREATE", payload)
        return InteractionHandle(self, record, seq)

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
