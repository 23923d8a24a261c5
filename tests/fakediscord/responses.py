"""REST replies: JSON bodies discord.py parses as JSON, and the error handlers raise."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web


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


class HTTPError(Exception):
    """Raised by a route handler; the REST entry point answers it as Discord's error body."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
