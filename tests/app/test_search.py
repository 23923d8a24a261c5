"""/search over a corpus a user has added documents to."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from bot.app.commands import REGISTRY, SEARCH_POOL
from bot.app.services import Services
from bot.core.quotes.matching import QuoteEngine
from bot.core.rendering.cards import Reply
from bot.storage.index_cache import load_engine
from tests.conftest import CORPUS

QUERY = "Japan and the United States"


def _grown_corpus(folder: Path) -> QuoteEngine:
    """The shipped corpus plus three dropped-in chapters full of the query's words."""
    shutil.copytree(CORPUS, folder)
    for n in range(3):
        paragraphs = [f"Japan and the United States held talks {n}.{i} on the alliance."
                      for i in range(40)]
        (folder / f"extra-chapter-{n}.txt").write_text(
            "Talks\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return load_engine(folder, use_cache=False)


def _opened(reply: Reply) -> list[str]:
    """The passages the reply's Open buttons lead to, in order."""
    return [str(a.kwargs["id"]) for a in reply.actions if a.command == "passage"]


def test_document_filter_finds_its_passages_when_others_fill_the_pool(
        tmp_path: Path, engine: QuoteEngine) -> None:
    grown = _grown_corpus(tmp_path / "corpus")
    # The scenario bites: the corpus-wide candidates hold none of dbb2010-na.
    assert not [p for p in grown.candidates(QUERY, SEARCH_POOL) if p.document_id == "dbb2010-na"]
    args = {"query": QUERY, "document": "dbb2010-na"}
    shipped = REGISTRY.run(Services(engine, None, random.Random(1)), "search", args)
    reply = REGISTRY.run(Services(grown, None, random.Random(1)), "search", args)
    assert not reply.error
    assert reply.cards[0].footer == shipped.cards[0].footer == "Page 1 of 1 · 4 passages"
    assert _opened(reply) == _opened(shipped)
    assert all(pid.startswith("dbb2010-na.") for pid in _opened(reply))


def test_document_filter_still_reports_a_document_without_the_words(tmp_path: Path) -> None:
    grown = _grown_corpus(tmp_path / "corpus")
    reply = REGISTRY.run(Services(grown, None, random.Random(1)), "search",
                         {"query": "held talks", "document": "dbb2010-na"})
    assert reply.cards[0].title == "Not found"
