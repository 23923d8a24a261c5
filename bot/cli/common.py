"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.core.matching import QuoteEngine
from bot.storage.index_cache import load_engine

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE = 0, 1, 2
SHIPPED = Path(__file__).resolve().parents[2]


def shipped_dir(name: str) -> Path:
    """The shipped ``corpus/`` or ``facts/``: beside the package in a checkout, or
    installed as package data under ``sys.prefix/share/bluebook-bot``."""
    for base in (SHIPPED, Path(sys.prefix) / "share" / "bluebook-bot"):
        if (base / name).is_dir():
            return base / name
    return SHIPPED / name


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                        help="corpus folder (default: the shipped corpus)")
    parser.add_argument("--no-cache", action="store_true",
                        help="rebuild the index instead of using the on-disk cache")


def engine_from(args: argparse.Namespace) -> QuoteEngine:
    return load_engine(args.corpus or shipped_dir("corpus"), use_cache=not args.no_cache)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
