"""pytest fixtures for the fake Discord; registered via ``pytest_plugins`` in tests/conftest.py."""

from __future__ import annotations

import asyncio
import gc
import ipaddress
import socket
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

import discord
import discord.gateway
import discord.http
import pytest
import yarl

from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


def running_client(fake: FakeDiscord, client: ClientT, *, token: str = "fake-token",
                   timeout: float | None = None) -> AbstractAsyncContextManager[ClientT]:
    """``async with running_client(fake_discord, bot): ...`` — same as ``fake.running(bot)``:
    login, connect, wait until ready (bounded), then close with no unclosed sessions."""
    return fake.running(client, token=token, timeout=timeout)

__all__ = ["fake_discord", "running_client"]


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py pointed at it (both globals restored after).

    Teardown fails the test if the event loop reported an unclosed aiohttp session or
    connector (i.e. a client was not closed).
    """
    loop = asyncio.get_running_loop()
    problems: list[dict[str, Any]] = []
    previous_handler = loop.get_exception_handler()

    def handler(lp: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        problems.append(context)
        if previous_handler is not None:
            previous_handler(lp, context)
        else:
            lp.default_exception_handler(context)

    loop.set_exception_handler(handler)
    outside = _guard_loopback(loop, monkeypatch)
    fake = FakeDiscord()
    await fake.start()
    # Route.BASE is a plain str; DEFAULT_GATEWAY is a yarl.URL (from_client calls
    # .with_query on it, so a str would break).
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(fake.gateway_url))
    try:
        yield fake
    finally:
        await fake.stop()
        gc.collect()
        await asyncio.sleep(0)
        loop.set_exception_handler(previous_handler)
    unclosed = [p.get("message", "") for p in problems if "Unclosed" in str(p.get("message"))]
    assert not unclosed, f"unclosed aiohttp resources: {unclosed}"
    assert not outside, f"connections attempted outside loopback: {outside}"


def _is_loopback(host: object) -> bool:
    if host in ("localhost", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # a DNS name other than localhost


def _guard_loopback(loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse (and record) any name lookup or socket connect on this loop that is not
    loopback, so a test can never reach the real Discord. aiohttp resolves through
    ``loop.getaddrinfo`` and connects through ``loop.sock_connect`` (happy eyeballs)."""
    outside: list[str] = []
    real_getaddrinfo = loop.getaddrinfo
    real_sock_connect = loop.sock_connect

    async def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            outside.append(f"lookup {host}")
            raise OSError(f"fake_discord: refusing to resolve non-loopback host {host!r}")
        return await real_getaddrinfo(host, *args, **kwargs)

    async def sock_connect(sock: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if not _is_loopback(host):
            outside.append(f"connect {address}")
            raise OSError(f"fake_discord: refusing to connect to non-loopback {address!r}")
        await real_sock_connect(sock, address)

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(loop, "sock_connect", sock_connect)
    return outside
