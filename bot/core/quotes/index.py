"""A BM25 inverted index over passages: the candidate stage of quote lookup.

Fuzzy alignment is precise but costs time per passage, so it only ever runs on
the few passages this index ranks highest. The index is plain data: one flat
array of postings for all terms (``offsets`` says where each term's run starts)
and, per posting, its BM25 term-frequency weight computed once at build time.
Flat arrays pickle as a few byte strings, so the cache loads in a fraction of the
time a list of a million small arrays took, and they take far less memory.

Scoring is a Python loop over postings, so its cost is the number of postings
visited. A query's rarest words carry nearly all of its BM25 score and are what
tells its passage apart; very common words would multiply the work on a large
corpus for a ranking the fuzzy rerank redoes anyway. :meth:`Index.search`
therefore visits terms from the rarest up, within a budget of postings.

A search can be limited to a range of passage numbers (one document: a corpus
keeps each document's passages together). Each term's postings are in passage
order, so the range is one slice of them found by bisection: the best *k* are
taken within the range, and the budget counts only the postings in it.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# BM25 parameters: the usual defaults, good for paragraph-sized documents.
K1 = 1.2
B = 0.75
MAX_QUERY_TERMS = 16
# Postings visited per query, at most (after the two rarest terms, always taken).
POSTING_BUDGET = 40_000
MIN_TERMS = 2


@dataclass(slots=True)
class Index:
    """Postings per term (passage numbers and BM25 weights) and passage lengths."""

    vocab: dict[str, int] = field(default_factory=dict)
    offsets: array[int] = field(default_factory=lambda: array("Q", [0]))
    docs: array[int] = field(default_factory=lambda: array("I"))
    weights: array[float] = field(default_factory=lambda: array("f"))
    lengths: array[int] = field(default_factory=lambda: array("I"))
    total_length: int = 0

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]]) -> Index:
        """Index documents given as lists of normalised words, numbered from 0."""
        vocab: dict[str, int] = {}
        docs: list[array[int]] = []
        tfs: list[array[int]] = []
        lengths = array("I")
        for number, words in enumerate(documents):
            lengths.append(len(words))
            for term, count in Counter(words).items():
                term_id = vocab.get(term)
                if term_id is None:
                    term_id = vocab[term] = len(docs)
                    docs.append(array("I"))
                    tfs.append(array("I"))
                docs[term_id].append(number)
                tfs[term_id].append(count)
        index = cls(vocab=vocab, lengths=lengths, total_length=sum(lengths))
        avg = index.total_length / max(len(lengths), 1)
        norm = [K1 * (1 - B + B * length / avg) if avg else K1 for length in lengths]
        for term_docs, term_tfs in zip(docs, tfs, strict=True):
            index.docs.extend(term_docs)
            index.weights.extend([tf * (K1 + 1) / (tf + norm[d])
                                  for d, tf in zip(term_docs, term_tfs, strict=True)])
            index.offsets.append(len(index.docs))
        return index

    def __len__(self) -> int:
        return len(self.lengths)

    def df(self, term: str) -> int:
        term_id = self.vocab.get(term)
        return 0 if term_id is None else self._df(term_id)

    def _df(self, term_id: int) -> int:
        return int(self.offsets[term_id + 1] - self.offsets[term_id])

    def search(self, words: Sequence[str], k: int,
               within: range | None = None) -> list[tuple[int, float]]:
        """The *k* best passages for *words* as ``(number, score)``, best first;
        only passages numbered in *within* (a step-1 range) if it is given."""
        if within is not None and within.step != 1:
            raise ValueError("within must be a range with step 1")
        n = len(self.lengths)
        if n == 0 or k <= 0 or (within is not None and not within):
            return []
        ids = sorted({self.vocab[w] for w in words if w in self.vocab}, key=self._df)
        scores: dict[int, float] = {}
        visited = taken = 0
        for term_id in ids:
            if taken == MAX_QUERY_TERMS:
                break
            lo, hi = self.offsets[term_id], self.offsets[term_id + 1]
            # Corpus-wide idf even within a range: the weights were normalised over
            # the whole corpus too, and scores stay comparable with a full search.
            idf = math.log(1 + (n - (hi - lo) + 0.5) / ((hi - lo) + 0.5))
            if within is not None:
                lo = bisect_left(self.docs, within.start, lo, hi)
                hi = bisect_left(self.docs, within.stop, lo, hi)
                if lo == hi:
                    continue  # not in the range: costs nothing, so takes no turn
            if taken >= MIN_TERMS and visited + (hi - lo) > POSTING_BUDGET:
                break
            taken += 1
            visited += hi - lo
            docs, weights = self.docs[lo:hi], self.weights[lo:hi]
            if not scores:  # the first term: built in C, no Python loop
                scores = dict(zip(docs, [idf * w for w in weights], strict=True))
                continue
            get = scores.get
            for doc, weight in zip(docs, weights, strict=True):
                scores[doc] = get(doc, 0.0) + idf * weight
        if len(scores) <= k:
            return sorted(scores.items(), key=lambda item: -item[1])
        # The k-th best score by a C sort of the floats, then one pass for the
        # passages at or above it: far cheaper than heapq's Python loop with a key.
        cutoff = sorted(scores.values(), reverse=True)[k - 1]
        top = [item for item in scores.items() if item[1] >= cutoff]
        return sorted(top, key=lambda item: -item[1])[:k]
