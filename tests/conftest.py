"""Shared fixtures: the shipped corpus, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.matching import QuoteEngine
from bot.storage.index_cache import load_engine

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def engine() -> QuoteEngine:
    return load_engine(CORPUS, use_cache=False)
