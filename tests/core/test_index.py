"""The BM25 index and the fast word path: same answers, less work."""

from __future__ import annotations

import pytest

from bot.core import index as index_mod
from bot.core.index import Index
from bot.core.text import tokenize, words


@pytest.mark.parametrize("text", [
    "The U.S. is Japan's only ally.", "Japan-U.S. Alliance", "(ICBM)-class", "",
    "a.b.c. d'e `f` ''x'' end...", "rock'n'roll, e.g. 3.14 and v1.2.3", "Café Ōsaka’s ﬁne",
])
def test_words_is_tokenize_without_offsets(text: str) -> None:
    assert words(text) == [t.norm for t in tokenize(text)]


DOCS = [
    ["the", "alliance", "is", "the", "linchpin", "of", "japanese", "diplomacy"],
    ["the", "the", "the", "the", "common", "words", "only", "here"],
    ["japan", "and", "canada", "share", "values", "of", "the", "alliance"],
    ["icebreakers", "in", "the", "arctic"],
]


def test_search_ranks_the_passage_with_the_rare_words_first() -> None:
    index = Index.build(DOCS)
    assert len(index) == 4 and index.df("the") == 4 and index.df("nope") == 0
    hits = index.search(["linchpin", "of", "diplomacy", "the", "alliance"], 2)
    assert hits[0][0] == 0 and hits[0][1] > hits[1][1]
    assert index.search(["arctic", "icebreakers"], 10)[0][0] == 3
    assert index.search(["unknown"], 5) == []


def test_the_posting_budget_keeps_the_rarest_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    index = Index.build(DOCS)
    monkeypatch.setattr(index_mod, "POSTING_BUDGET", 0)
    # Only the two rarest terms are scored ("linchpin", then "alliance"): doc 0 still wins.
    hits = index.search(["the", "the", "linchpin", "alliance"], 5)
    assert hits[0][0] == 0 and {doc for doc, _ in hits} == {0, 2}
