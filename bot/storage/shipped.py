"""Where the shipped ``corpus/``, ``facts/`` and evaluation set live: a checkout or
an installed copy."""

from __future__ import annotations

import sys
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2]


def shipped_dir(name: str) -> Path:
    """The shipped ``corpus/`` or ``facts/``: beside the package in a checkout, or
    installed as package data under ``sys.prefix/share/bluebook-bot``."""
    for base in (SHIPPED, Path(sys.prefix) / "share" / "bluebook-bot"):
        if (base / name).is_dir():
            return base / name
    return SHIPPED / name


EVAL_SET = "seed_quotes.yaml"


def shipped_eval_set() -> Path:
    """The default evaluation set: ``tests/eval/`` in a checkout, else installed as
    package data under ``sys.prefix/share/bluebook-bot/eval``."""
    installed = Path(sys.prefix) / "share" / "bluebook-bot" / "eval"
    for folder in (SHIPPED / "tests" / "eval", installed):
        if (folder / EVAL_SET).is_file():
            return folder / EVAL_SET
    return SHIPPED / "tests" / "eval" / EVAL_SET
