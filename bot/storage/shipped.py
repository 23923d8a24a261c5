"""Where the shipped ``corpus/`` and ``facts/`` live: a checkout or an installed copy."""

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
