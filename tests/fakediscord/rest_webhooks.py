"""REST routes the bot answers interactions on: the interaction callback, and the
interaction webhook (original response and follow-ups: get, edit, delete). Every answer
is recorded on its interaction as an ``InteractionResponse``."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from .interactions import Interactions
from .models import JSON
from .protocol import (
    CB_AUTOCOMPLETE,
    CB_DEFERRED_MESSAGE,
    CB_DEFERRED_UPDATE,
    CB_MESSAGE,
    CB_MODAL,
    CB_PONG,
    CB_UPDATE_MESSAGE,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
)
from .records import InteractionResponse, RecordedRequest, _Interaction
from .responses import HTTPError, json_response


class InteractionRoutes(Interactions):
    def _interaction_by_token(self, m: re.Match[str]) -> _Interaction:
        self._check_app(m)
        iid = self._tokens.get(m.group("token"))
        if iid is None:
            raise HTTPError(404, 10015, "Unknown Webhook")
        return self._interactions[iid]

    def _respond(self, inter: _Interaction, kind: str, body: Any, msg: JSON | None
                 ) -> InteractionResponse:
        resp = InteractionResponse(kind=kind, body=body, message=None if msg is None else dict(msg))
        inter.responses.append(resp)
        return resp

    async def _interaction_callback(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        inter = self._interactions.get(int(m.group("iid")))
        if inter is None or inter.token != m.group("token"):
            raise HTTPError(404, 10062, "Unknown interaction")
        if inter.callback is not None:
            raise HTTPError(400, 40060, "Interaction has already been acknowledged.")
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
                raise HTTPError(400, 50035, "Invalid Form Body: no message to update")
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
            raise HTTPError(400, 50035, f"Invalid Form Body: unsupported callback type {ctype}")
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
            raise HTTPError(404, 10008, "Unknown Message")
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
            raise HTTPError(404, 10015, "Unknown Webhook")
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
            raise HTTPError(404, 10008, "Unknown Message")
        msg = self._messages.get(mid)
        if msg is None:
            raise HTTPError(404, 10008, "Unknown Message")
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
