"""Bluebook Bot: fact cards and fuzzy-matched quotations from Japan's Diplomatic Bluebook."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bluebook-bot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
