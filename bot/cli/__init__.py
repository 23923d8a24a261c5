"""The ``bluebook-bot`` command line: one module per command group.

Exit status: 0 success, 1 nothing found, 2 bad usage or bad content.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot import __version__
from bot.cli import (
    check_cmd,
    corpus_cmd,
    eval_cmd,
    facts_cmd,
    quote_cmd,
    run_cmd,
    scan_cmd,
    shell_cmd,
)
from bot.cli.common import EXIT_USAGE
from bot.core.errors import ContentError

COMMANDS = (quote_cmd, scan_cmd, corpus_cmd, eval_cmd, facts_cmd, check_cmd, shell_cmd, run_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bluebook-bot",
        description="Fact cards and quotations from Japan's Diplomatic Bluebook.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
