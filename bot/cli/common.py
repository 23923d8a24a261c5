"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

if TYPE_CHECKING:  # the engine's modules load numpy and rapidfuzz: only when used
    from bot.core.quotes.matching import QuoteEngine

# Re-exported: other CLI modules (and older code) import them from here.
from bot.storage.shipped import SHIPPED as SHIPPED
from bot.storage.shipped import shipped_dir as shipped_dir

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE = 0, 1, 2


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                        help="corpus folder (default: the shipped corpus)")
    parser.add_argument("--no-cache", action="store_true",
                        help="rebuild the index instead of using the on-disk cache")


def engine_from(args: argparse.Namespace) -> QuoteEngine:
    from bot.storage.index_cache import load_engine

    return load_engine(args.corpus or shipped_dir("corpus"), use_cache=not args.no_cache)


# Lone surrogates (from undecodable argv bytes) cannot be written as UTF-8.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """*text* as valid Unicode: bytes Python could not decode (argv, a file name)
    become U+FFFD, and a trailing carriage return (a Windows line end) goes."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _SURROGATE_RE.sub("\ufffd", text).removesuffix("\r")


MAX_LINE = 64 * 1024


def input_lines(stream: TextIO | BinaryIO | None = None) -> Iterator[str]:
    """Every line of *stream* (default stdin), without its line end, decoded one
    line at a time with replacement: one bad byte spoils one character of one line,
    never the lines before or after it, whatever the locale."""
    stream = sys.stdin if stream is None else stream
    raw: Any = getattr(stream, "buffer", stream)  # the bytes under a text stream
    while True:
        # Bounded: a gigabyte without a newline must not be held in memory. A longer
        # line is cut (no lookup takes that many words) and the rest skipped.
        line = raw.readline(MAX_LINE)
        if not line:
            return
        end = "\n" if isinstance(line, str) else b"\n"
        if not line.endswith(end):
            while (more := raw.readline(MAX_LINE)) and not more.endswith(end):
                pass
        if isinstance(line, bytes):
            line = line.decode("utf-8", "replace")
        yield clean_text(line.removesuffix("\n"))


def json_line(value: Any) -> str:
    """One JSON Lines line: valid UTF-8, and U+2028/U+2029 escaped, since some
    readers (JavaScript's among them) take them for line ends."""
    text = json.dumps(value, ensure_ascii=False)
    text = _SURROGATE_RE.sub("\ufffd", text)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def emit_json(value: Any) -> None:
    """Write *value* as one line of UTF-8 JSON, whatever the locale's encoding."""
    line = json_line(value) + "\n"
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(line)
        return
    sys.stdout.flush()  # keep order with anything printed as text before
    buffer.write(line.encode("utf-8"))
    buffer.flush()
