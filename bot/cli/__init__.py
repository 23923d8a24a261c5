"""The ``bluebook-bot`` command line: one module per command group.

Exit status: 0 success, 1 nothing found, 2 bad usage or bad content.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from bot import __version__
from bot.cli.common import emit_json
from bot.core.errors import ContentError

EXIT_USAGE = 2  # bot.cli.common.EXIT_USAGE, without importing what common imports
# The command modules, in --help order; each registers its subcommands.
COMMANDS = ("quote_cmd", "scan_cmd", "corpus_cmd", "import_cmd", "eval_cmd", "facts_cmd",
            "card_cmd", "check_cmd", "shell_cmd", "run_cmd")
# Which module registers a subcommand, so a run imports only that one: the others
# pull in discord, pydantic, numpy... (0.7 s of CPU before a quote was looked up).
# A name missing here still works: every module is imported then.
MODULE_OF = {"quote": "quote_cmd", "corpus": "corpus_cmd", "passage": "corpus_cmd",
             "eval": "eval_cmd", "fact": "facts_cmd", "facts": "facts_cmd",
             "topics": "facts_cmd", "check": "check_cmd", "shell": "shell_cmd",
             "run": "run_cmd", "health": "run_cmd", "scan": "scan_cmd",
             "import": "import_cmd", "card": "card_cmd"}


def _modules(argv: Sequence[str] | None) -> list[ModuleType]:
    args = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args if not a.startswith("-")), None)
    if "--version" in args[:args.index(first) if first in args else len(args)]:
        return []
    names = [MODULE_OF[first]] if first in MODULE_OF else list(COMMANDS)
    return [importlib.import_module(f"bot.cli.{name}") for name in names]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are JSON too when ``--json`` was given,
    so a script reading JSON always gets JSON (its subcommands share the class)."""

    wants_json = False

    def error(self, message: str) -> NoReturn:
        if _Parser.wants_json:
            emit_json({"error": f"{self.prog}: {message}"})
        super().error(message)


def build_parser(argv: Sequence[str] | None = ()) -> argparse.ArgumentParser:
    """The parser; with *argv*, only the subcommand it names is registered (all
    of them when it names none, e.g. for ``--help``)."""
    parser = _Parser(
        prog="bluebook-bot",
        description="Fact cards and quotations from Japan's Diplomatic Bluebook.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _modules(argv):
        module.register(sub)
    return parser


def _utf8_streams() -> None:
    """Under a plain ASCII locale (``LC_ALL=C`` without Python's UTF-8 mode) every
    reply, with its dashes and quotation marks, would end in UnicodeEncodeError:
    write UTF-8 there instead, and never fail on a character."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and encoding in ("ascii", "ansix3.41968", "usascii"):
            reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    parser = build_parser(argv)
    _Parser.wants_json = "--json" in (sys.argv[1:] if argv is None else list(argv))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.handler(args)
    except ContentError as exc:
        if getattr(args, "json", False):
            emit_json({"error": f"{len(exc.problems)} problem(s) in the content",
                       "problems": [{"file": p.file, "line": p.line, "where": p.where,
                                     "message": p.message} for p in exc.problems]})
        print(f"bluebook-bot: {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code
