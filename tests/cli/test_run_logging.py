"""``bluebook-bot run``'s output: each log line once, colour only on a terminal, and
a one-line error when Discord cannot be reached."""

from __future__ import annotations

import io
import logging
import socket
from collections.abc import Iterator

import discord.http
import pytest

from bot.cli import main
from bot.cli.logs import setup_run_logging


@pytest.fixture(autouse=True)
def _restore_root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:], root.level = handlers, level


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _closed_port() -> int:
    with socket.socket() as sock:  # bound then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_discord_is_one_line_saying_what_to_check(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi")
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{_closed_port()}/api/v10")
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("bluebook-bot run: cannot reach Discord (")
    assert "network connection" in last and "discordstatus.com" in last
    assert err.count("logging in using static token") == 1  # one handler, not two
    assert "\x1b[" not in err  # stderr is not a terminal here


def test_one_handler_and_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("container", "docker")  # discord.py would colour here
    logging.basicConfig()  # what the CLI's main() sets up first
    for stream, coloured in ((io.StringIO(), False), (_Tty(), True)):
        setup_run_logging("INFO", stream)
        logging.getLogger("bot.test").info("hello")
        assert len(logging.getLogger().handlers) == 1
        assert stream.getvalue().count("hello") == 1
        assert ("\x1b[" in stream.getvalue()) is coloured
    monkeypatch.setenv("NO_COLOR", "1")
    tty = _Tty()
    setup_run_logging("INFO", tty)
    logging.getLogger("bot.test").warning("plain")
    assert "\x1b[" not in tty.getvalue()
