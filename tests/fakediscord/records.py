"""What the fake recorded: REST requests, and interactions with the bot's answers to them
(plus ``InteractionHandle``, the test's view of one interaction)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .models import JSON
from .protocol import CB_AUTOCOMPLETE

if TYPE_CHECKING:  # the handle reads the fake's messages and waits on it
    from .messages import MessageStore


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

    def __init__(self, fake: MessageStore, record: _Interaction, seq: int) -> None:
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
