"""Fault injection: rules that make matching REST requests fail (403, 404, 429, 5xx), and
a switch that makes every request fail (an outage)."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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


class FaultInjection:
    """The fault controls; the REST entry point consults ``faults`` and ``outage_status``
    before any route."""

    def __init__(self) -> None:
        super().__init__()
        self.faults: list[Fault] = []
        self.outage_status: int | None = None
        # False: a repeated enforce_nonce send makes a second message, so a test sees
        # every duplicate the bot sends, not only those Discord's nonce check would hide.
        self.dedupe_nonces = True

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
