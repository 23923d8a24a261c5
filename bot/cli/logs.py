"""Logging for ``bluebook-bot run``: one handler, colour only on a terminal.

``discord.utils.setup_logging`` adds a handler beside the one the CLI already
has (every line printed twice), and colours whenever it guesses Docker, so
``docker logs`` and log files filled with escape codes.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

_LEVEL_COLOURS = {logging.DEBUG: "\x1b[40;1m", logging.INFO: "\x1b[34;1m",
                  logging.WARNING: "\x1b[33;1m", logging.ERROR: "\x1b[31m",
                  logging.CRITICAL: "\x1b[41m"}
_FORMAT = "[{asctime}] [{levelname:<8}] {name}: {message}"
_DATE = "%Y-%m-%d %H:%M:%S"


class _ColourFormatter(logging.Formatter):
    """The plain format with the level in its colour and the logger name dimmed."""

    def format(self, record: logging.LogRecord) -> str:
        colour = _LEVEL_COLOURS.get(record.levelno, "")
        fmt = (f"\x1b[30;1m{{asctime}}\x1b[0m {colour}{{levelname:<8}}\x1b[0m "
               f"\x1b[35m{{name}}\x1b[0m {{message}}")
        return logging.Formatter(fmt, _DATE, style="{").format(record)


def wants_colour(stream: TextIO) -> bool:
    """Colour for a terminal only, never a pipe or file; ``NO_COLOR`` and
    ``TERM=dumb`` turn it off."""
    isatty = getattr(stream, "isatty", None)
    return (callable(isatty) and bool(isatty()) and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb")


def setup_run_logging(level: str, stream: TextIO | None = None) -> logging.Handler:
    """Replace every root handler with one on *stream* (default stderr) at *level*."""
    stream = sys.stderr if stream is None else stream
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_ColourFormatter() if wants_colour(stream)
                         else logging.Formatter(_FORMAT, _DATE, style="{"))
    root.addHandler(handler)
    root.setLevel(getattr(logging, level))
    return handler
