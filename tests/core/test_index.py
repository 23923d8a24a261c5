"""The BM25 index and the fast word path: same answers, less work."""

from __future__ import annotations

import pytest

from bot.core.quotes import index as index_mod
from bot.core.quotes.index import Index
from bot.core.quotes.text import tokenize, words, words_many

TRICKY = [
    "The U.S. is Japan's only ally.", "Japan-U.S. Alliance", "(ICBM)-class", "",
    "a.b.c. d'e `f` ''x'' end...", "rock'n'roll, e.g. 3.14 and v1.2.3", "Café Ōsaka’s ﬁne",
    "a..b a.'b .a. 'x' snake_case TAB\there\x0bvt", "line\nbreak", "x.", ".", "1.2.",
]


@pytest.mark.parametrize("text", TRICKY)
def test_words_is_tokenize_without_offsets(text: str) -> None:
    assert words(text) == [t.norm for t in tokenize(text)]


def test_words_many_gives_each_texts_words_across_batches(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.core.quotes.text as text_mod

    monkeypatch.setattr(text_mod, "_BATCH_TEXTS", 3)  # batches end mid-list, and at non-ASCII
    texts = TRICKY * 3 + [chr(c) * 2 + "a" + chr(c) + "b" for c in range(128)]
    assert list(words_many(texts)) == [words(t) for t in texts]
    assert list(words_many([])) == []


def test_building_from_a_generator_in_batches_gives_the_same_arrays(
        monkeypatch: pytest.MonkeyPatch) -> None:
    whole = Index.build(DOCS * 3)
    monkeypatch.setattr(index_mod, "_BUILD_BATCH", 2)
    batched = Index.build(iter(DOCS * 3))
    for name in ("offsets", "docs", "weights", "lengths"):
        assert getattr(whole, name).tobytes() == getattr(batched, name).tobytes()
    assert list(batched.vocab) == sorted({w for d in DOCS for w in d})


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


def test_a_range_takes_the_best_within_it_not_the_best_overall() -> None:
    # Passages 0-3 say "alliance" often; passage 5 says it once among other words.
    docs = [["alliance"] * 4 for _ in range(4)] + [["arctic"], ["the", "alliance", "talks"]]
    index = Index.build(docs)
    assert [d for d, _ in index.search(["alliance"], 2)] != [5]
    # k=1 within passages 4-5: passage 5, though four passages outside outrank it.
    hits = index.search(["alliance"], 1, within=range(4, 6))
    assert [d for d, _ in hits] == [5]
    full = dict(index.search(["alliance", "talks"], 10))
    assert index.search(["alliance", "talks"], 10, within=range(5, 6)) == [(5, full[5])]
    assert index.search(["alliance"], 5, within=range(4, 5)) == []
    assert index.search(["alliance"], 5, within=range(0)) == []
    with pytest.raises(ValueError):
        index.search(["alliance"], 5, within=range(0, 6, 2))


def test_terms_absent_from_the_range_do_not_use_up_the_budget(
        monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [["rare"], ["rarer"], ["common", "x"], ["common", "y"], ["common", "target"]]
    index = Index.build(docs)
    monkeypatch.setattr(index_mod, "POSTING_BUDGET", 0)
    # "rare" and "rarer" are the two rarest words but have no posting in 2-4, so
    # the two terms scored there are "target" and "common".
    hits = index.search(["rare", "rarer", "target", "common"], 5, within=range(2, 5))
    assert hits[0][0] == 4 and {d for d, _ in hits} == {2, 3, 4}


def test_an_empty_corpus_or_passage_indexes_and_finds_nothing() -> None:
    assert Index.build([]).search(["alliance"], 3) == []
    index = Index.build([[], ["alliance"], []])
    assert index.search(["alliance"], 3)[0][0] == 1 and index.df("alliance") == 1
