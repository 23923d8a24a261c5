"""``bluebook-bot shell``: run the bot's commands locally, interactively or scripted."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Literal

from bot.app.services import load_services
from bot.cli.common import EXIT_USAGE, clean_text, input_lines
from bot.shell import Shell
from bot.storage.config_file import config_path, load_config


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "shell", help="run the bot's commands in a terminal (no token, no network)",
        description="Run the bot's slash commands locally on the corpus and fact cards. "
                    "Interactive with line editing, history and Tab completion; with -c or "
                    "piped input, runs commands and exits (0 ok, 1 not found, 2 bad usage).")
    parser.add_argument("-c", "--command", metavar="LINE",
                        help='run one command and exit, e.g. -c "/fact topic:alliance"')
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="config file (default: $BLUEBOOK_CONFIG, else built-in defaults)")
    parser.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                        help="corpus folder (overrides paths.corpus)")
    parser.add_argument("--facts", type=Path, default=None, metavar="DIR",
                        help="fact cards folder (overrides paths.facts)")
    parser.add_argument("--no-cache", action="store_true",
                        help="rebuild the index instead of using the on-disk cache")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed for random fact cards, for repeatable output")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="bold and strike-through as terminal styles (default: auto)")
    parser.add_argument("--width", type=_columns, default=None, metavar="COLUMNS",
                        help="wrap replies to this many columns (0: never wrap; default: the "
                             "terminal's width, and no wrapping when output is piped)")
    parser.set_defaults(handler=run)


def _columns(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of columns: {text[:20]!r}") from None
    if not 0 <= value <= 10_000:
        raise argparse.ArgumentTypeError("must be between 0 and 10000")
    return value


def _width(choice: int | None) -> int | Literal["terminal"] | None:
    if choice is not None:
        return choice or None
    return "terminal" if sys.stdout.isatty() else None


def _ansi(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return (sys.stdout.isatty() and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb")


def run(args: argparse.Namespace) -> int:
    config = load_config(config_path(args.config))
    overrides = {k: v for k, v in (("corpus", args.corpus), ("facts", args.facts)) if v}
    if overrides:
        config = config.model_copy(update={"paths": config.paths.model_copy(update=overrides)})
    services = load_services(config, use_cache=not args.no_cache, seed=args.seed)
    if services.deck is None:
        # Broken content is refused, not half-served, so it is fixed before use
        # (each problem was logged above with its file and line).
        print(f"bluebook-bot shell: fact cards unavailable: {services.facts_problem}\n"
              "Fix them (`bluebook-bot check` lists every problem) or point --facts "
              "at a good folder.", file=sys.stderr)
        return EXIT_USAGE
    shell = Shell(services, ansi=_ansi(args.color), width=_width(args.width))
    if args.command is not None:
        return shell.execute(clean_text(args.command))
    if not sys.stdin.isatty():
        return shell.run_lines(input_lines())
    return shell.interact()
