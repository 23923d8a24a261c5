"""Shared fixtures: the shipped corpus, loaded once per session."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.quotes.matching import QuoteEngine
from bot.storage.index_cache import load_engine

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"
_STARTED = time.time() - 1


@pytest.fixture(scope="session")
def engine() -> QuoteEngine:
    return load_engine(CORPUS, use_cache=False)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep index caches written by tests out of the user's home."""
    monkeypatch.setenv("BLUEBOOK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(autouse=True)
def _outside_the_checkout(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in a temporary working folder: the default state path
    (``data/state.sqlite3``, and ``data/health.json`` beside it) is relative, so a
    test that leaves it at its default writes there, never into the checkout."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any test wrote the bot's state or heartbeat into the checkout."""
    written = [p for p in (ROOT / "data" / "state.sqlite3", ROOT / "data" / "health.json")
               if p.exists() and p.stat().st_mtime >= _STARTED]
    if written:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\ntests wrote into the checkout: {', '.join(map(str, written))}")


# The loopback fake of Discord (REST + gateway) and its `fake_discord` fixture.
pytest_plugins = ["tests.fakediscord.fixtures"]


@pytest.fixture(params=["sqlite", "postgresql"])
def state_location(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Where a state lives, once per backend: an SQLite file, or a fresh PostgreSQL
    database (skipped without a server; see tests/pgkit.py)."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("state") / "data" / "state.sqlite3")
        return
    from tests.pgkit import fresh_database

    with fresh_database() as url:
        yield url
