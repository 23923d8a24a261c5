"""A BM25 inverted index over passages: the candidate stage of quote lookup.

Fuzzy alignment is precise but costs time per passage, so it only ever runs on
the few passages this index ranks highest. The index is plain data (dicts and
``array``s) so the storage layer can cache it on disk and load it quickly.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# BM25 parameters: the usual defaults, good for paragraph-sized documents.
K1 = 1.2
B = 0.75
# A query rarely needs more than its rarest words to find its passage; scoring
# the very common ones costs time on a large corpus and barely changes the ranking.
MAX_QUERY_TERMS = 16
COMMON_FRACTION = 0.05


@dataclass(slots=True)
class Index:
    """Postings per term (passage numbers and term frequencies) and passage lengths."""

    vocab: dict[str, int] = field(default_factory=dict)
    postings: list[array[int]] = field(default_factory=list)
    freqs: list[array[int]] = field(default_factory=list)
    lengths: array[int] = field(default_factory=lambda: array("I"))
    total_length: int = 0

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]]) -> Index:
        """Index documents given as lists of normalised words, numbered from 0."""
        index = cls()
        for number, words in enumerate(documents):
            index.add(number, words)
        return index

    def add(self, number: int, words: Sequence[str]) -> None:
        if number != len(self.lengths):
            raise ValueError("documents must be added in order, numbered from 0")
        self.lengths.append(len(words))
        self.total_length += len(words)
        for term, count in Counter(words).items():
            term_id = self.vocab.get(term)
            if term_id is None:
                term_id = self.vocab[term] = len(self.postings)
                self.postings.append(array("I"))
                self.freqs.append(array("H"))
            self.postings[term_id].append(number)
            self.freqs[term_id].append(min(count, 65535))

    def __len__(self) -> int:
        return len(self.lengths)

    def df(self, term: str) -> int:
        term_id = self.vocab.get(term)
        return 0 if term_id is None else len(self.postings[term_id])

    def search(self, words: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The *k* best passages for *words* as ``(number, score)``, best first."""
        n = len(self.lengths)
        if n == 0 or k <= 0:
            return []
        known = sorted({w for w in words if w in self.vocab}, key=self.df)
        if not known:
            return []
        rare = [w for w in known if self.df(w) <= max(COMMON_FRACTION * n, 50)]
        # Keep the common words too when the rare ones are too few to rank by.
        terms = (rare if len(rare) >= 3 else known)[:MAX_QUERY_TERMS]
        avg = self.total_length / n
        scores: dict[int, float] = {}
        lengths = self.lengths
        for term in terms:
            term_id = self.vocab[term]
            docs, tfs = self.postings[term_id], self.freqs[term_id]
            idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            norm = K1 * (1 - B)
            slope = K1 * B / avg
            for doc, tf in zip(docs, tfs, strict=True):
                weight = idf * tf * (K1 + 1) / (tf + norm + slope * lengths[doc])
                scores[doc] = scores.get(doc, 0.0) + weight
        return heapq.nlargest(k, scores.items(), key=lambda item: item[1])
