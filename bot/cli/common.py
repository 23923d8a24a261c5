"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
