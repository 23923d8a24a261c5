"""Shared fixtures: the shipped corpus, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.quotes.matching import QuoteEngine
from bot.storage.index_cache import load_engine

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def engine() -> QuoteEngine:
    return load_engine(CORPUS, use_cache=False)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep index caches written by tests out of the user's home."""
    monkeypatch.setenv("BLUEBOOK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


# The loopback fake of Discord (REST + gateway) and its `fake_discord` fixture.
pytest_plugins = ["tests.fakediscord.fixtures"]
