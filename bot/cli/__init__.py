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

from bot import __version__
from bot.core.errors import ContentError

EXIT_USAGE = 2  # bot.cli.common.EXIT_USAGE, without importing what common imports
# The command modules, in --help order; each registers its subcommands.
COMMANDS = ("quote_cmd", "corpus_cmd", "eval_cmd", "facts_cmd", "check_cmd", "shell_cmd",
            "run_cmd")
# Which module registers a subcommand, so a run imports only that one: the others
# pull in discord, pydantic, numpy... (0.7 s of CPU before a quote was looked up).
# A name missing here still works: every module is imported then.
MODULE_OF = {"quote": "quote_cmd", "corpus": "corpus_cmd", "passage": "corpus_cmd",
             "eval": "eval_cmd", "fact": "facts_cmd", "facts": "facts_cmd",
             "topics": "facts_cmd", "check": "check_cmd", "shell": "shell_cmd",
             "run": "run_cmd", "health": "run_cmd"}


def _modules(argv: Sequence[str] | None) -> list[ModuleType]:
    args = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args if not a.startswith("-")), None)
    if "--version" in args[:args.index(first) if first in args else len(args)]:
        return []
    names = [MODULE_OF[first]] if first in MODULE_OF else list(COMMANDS)
    return [importlib.import_module(f"bot.cli.{name}") for name in names]


def build_parser(argv: Sequence[str] | None = ()) -> argparse.ArgumentParser:
    """The parser; with *argv*, only the subcommand it names is registered (all
    of them when it names none, e.g. for ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="bluebook-bot",
        description="Fact cards and quotations from Japan's Diplomatic Bluebook.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _modules(argv):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.handler(args)
    except ContentError as exc:
        print(f"bluebook-bot: {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code
