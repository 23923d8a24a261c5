"""A BM25 inverted index over passages: the candidate stage of quote lookup.

Fuzzy alignment is precise but costs time per passage, so it only ever runs on
the few passages this index ranks highest. The index is plain data: numpy
arrays that the cache maps straight from disk (:mod:`bot.storage.index_cache`),
so opening it costs no parsing and no private memory. Term ids are the terms'
positions in sorted order, so the vocabulary is a sorted list searched by
bisection (:class:`SortedTerms`), not a dict of a quarter of a million strings.

A query's rarest words carry nearly all of its BM25 score and are what tells its
passage apart; very common words would multiply the work on a large corpus for
a ranking the fuzzy rerank redoes anyway. :meth:`Index.search` therefore visits
terms from the rarest up, within a budget of postings. Scoring is vectorised:
the chosen terms' postings are concatenated and summed per passage by
``numpy.bincount`` in term order, so every score is the same float sum the old
Python loop made, and the work is a few C loops, no Python loop per posting.

A search can be limited to a range of passage numbers (one document: a corpus
keeps each document's passages together). Each term's postings are in passage
order, so the range is one slice of them found by bisection: the best *k* are
taken within the range, and the budget counts only the postings in it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, count, islice
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from bot.core.quotes.spelling import DeletionTable

# BM25 parameters: the usual defaults, good for paragraph-sized documents.
K1 = 1.2
B = 0.75
MAX_QUERY_TERMS = 16
# Postings visited per query, at most (after the two rarest terms, always taken).
POSTING_BUDGET = 40_000
MIN_TERMS = 2
BLOCK = 32  # terms per step of the vocabulary's in-memory sample
_BUILD_BATCH = 4096  # passages whose words are mapped to term ids at a time

Array = npt.NDArray[Any]


class SortedTerms(Mapping[str, int]):
    """Term -> id for terms stored sorted as one UTF-8 blob with offsets; the id is
    the position. Lookups bisect the blob, so nothing per term lives in memory."""

    def __init__(self, blob: bytes | memoryview | Array, offsets: Array) -> None:
        self._blob: bytes | memoryview = blob if isinstance(blob, bytes | memoryview) \
            else blob.data.cast("B")
        self._offsets = offsets
        self._n = max(len(offsets) - 1, 0)
        # Every BLOCK-th term in memory: a lookup bisects these, then one block.
        self._sample = [self.key(i) for i in range(0, self._n, BLOCK)]
        # A query looks its words up several times (BM25, acronyms, weights, names):
        # the answers are cached, bounded, per vocabulary (lru_cache is thread-safe).
        self._find = lru_cache(maxsize=1 << 15)(self._lookup)

    @classmethod
    def of(cls, terms: Sequence[str]) -> SortedTerms:
        """*terms* must be sorted by their UTF-8 bytes (as :meth:`Index.build` sorts)."""
        encoded = [t.encode() for t in terms]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(b"".join(encoded), offsets)

    def key(self, i: int) -> bytes:
        return bytes(self._blob[int(self._offsets[i]):int(self._offsets[i + 1])])

    def term(self, i: int) -> str:
        return self.key(i).decode()

    def _lookup(self, term: str) -> int:
        key = term.encode("utf-8", "surrogatepass")
        block = bisect_right(self._sample, key) - 1
        if block < 0:
            return -1
        # Bisect the block in place: five slices of the blob, not BLOCK of them.
        base = block * BLOCK
        offs = self._offsets[base:min(base + BLOCK, self._n) + 1].tolist()
        blob = self._blob
        lo, hi = 0, len(offs) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if bytes(blob[offs[mid]:offs[mid + 1]]) < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(offs) - 1 and bytes(blob[offs[lo]:offs[lo + 1]]) == key:
            return base + lo
        return -1

    def __getitem__(self, term: str) -> int:
        i = self._find(term) if isinstance(term, str) else -1
        if i < 0:
            raise KeyError(term)
        return i

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._find(term) >= 0

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        return (self.term(i) for i in range(self._n))

    @property
    def blob(self) -> bytes | memoryview:
        return self._blob

    @property
    def offsets(self) -> Array:
        return self._offsets


@dataclass(slots=True)
class Index:
    """Postings per term (passage numbers and BM25 weights) and passage lengths."""

    vocab: SortedTerms = field(default_factory=lambda: SortedTerms.of([]))
    offsets: Array = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    docs: Array = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    weights: Array = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    lengths: Array = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    total_length: int = 0
    # The speller's one-deletion table, when the cache had it (else it is built).
    spelling: DeletionTable | None = None

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]]) -> Index:
        """Index documents given as lists of normalised words, numbered from 0.

        Vectorised: every word of the corpus gets its term id in one C-level map,
        and one sort of (term, passage) keys gives the postings in order with
        their term frequencies; no Python loop per posting.

        The words are read a batch of passages at a time, so a generator of them
        is never held whole, and each word is looked up once: ``setdefault``
        files a term under the position of its first occurrence (every word is
        numbered as it goes by), and after the vocabulary is sorted a gather
        turns those positions into term ids. (A dict of the terms and a second
        map over all the words cost twice the lookups, each a cache miss.)"""
        first: dict[str, int] = {}
        found: list[Array] = []
        sizes: list[int] = []
        seen = 0
        docs = iter(documents)
        while batch := list(islice(docs, _BUILD_BATCH)):
            sizes.extend(map(len, batch))
            flat = list(chain.from_iterable(batch))
            found.append(np.fromiter(map(first.setdefault, flat, count(seen)),
                                     dtype=np.int64, count=len(flat)))
            seen += len(flat)
        lens = np.asarray(sizes, dtype=np.int64)
        del sizes
        by_arrival = list(first)
        encoded = [t.encode("utf-8", "surrogatepass") for t in by_arrival]
        order = sorted(range(len(by_arrival)), key=encoded.__getitem__)
        terms = [by_arrival[i] for i in order]
        del encoded
        # Term id (sorted position) by the position of the term's first occurrence.
        of_first = np.zeros(seen, dtype=np.int32)
        of_first[np.fromiter(first.values(), dtype=np.int64, count=len(first))[order]] = \
            np.arange(len(order), dtype=np.int32)
        del first, by_arrival
        # int32 per word until the keys: a large archive has tens of millions of words.
        term = of_first[np.concatenate(found)] if found else np.zeros(0, dtype=np.int32)
        del found, of_first
        n = len(lens)
        keys = term.astype(np.int64)
        del term
        # (term, passage) as term << 32 | passage: the same order as any other packing,
        # and unpacked by a shift and a mask instead of an int64 division.
        keys <<= 32
        keys |= np.repeat(np.arange(n, dtype=np.int64), lens)
        keys.sort()
        # One posting per run of equal keys: (term, passage) and its count.
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) \
            if len(keys) else np.zeros(0, dtype=np.int64)
        tf = np.diff(np.append(starts, len(keys)))
        keys = keys[starts]
        post_term, post_doc = keys >> 32, keys & 0xFFFF_FFFF
        total = int(lens.sum())
        avg = total / max(n, 1)
        norm = K1 * (1 - B + B * lens.astype(np.float64) / avg) if avg else np.full(n, K1)
        tfs = tf.astype(np.float64)
        weights = (tfs * (K1 + 1) / (tfs + norm[post_doc])).astype(np.float32)
        offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(post_term, minlength=len(terms)), out=offsets[1:])
        return cls(vocab=SortedTerms.of(terms), offsets=offsets,
                   docs=post_doc.astype(np.uint32), weights=weights,
                   lengths=lens.astype(np.uint32), total_length=total)

    def __len__(self) -> int:
        return len(self.lengths)

    def df(self, term: str) -> int:
        term_id = self.vocab._find(term)
        return 0 if term_id < 0 else self._df(term_id)

    def _df(self, term_id: int) -> int:
        return int(self.offsets[term_id + 1] - self.offsets[term_id])

    def search(self, words: Sequence[str], k: int,
               within: range | None = None) -> list[tuple[int, float]]:
        """The *k* best passages for *words* as ``(number, score)``, best first;
        only passages numbered in *within* (a step-1 range) if it is given.
        Equal scores rank the earlier passage first."""
        if within is not None and within.step != 1:
            raise ValueError("within must be a range with step 1")
        n = len(self.lengths)
        if n == 0 or k <= 0 or (within is not None and not within):
            return []
        found = {self.vocab._find(w) for w in words}
        found.discard(-1)
        ids = sorted(found, key=lambda t: (self._df(t), t))
        parts: list[tuple[Array, float, Array]] = []
        visited = 0
        for term_id in ids:
            if len(parts) == MAX_QUERY_TERMS:
                break
            lo, hi = int(self.offsets[term_id]), int(self.offsets[term_id + 1])
            # Corpus-wide idf even within a range: the weights were normalised over
            # the whole corpus too, and scores stay comparable with a full search.
            idf = math.log(1 + (n - (hi - lo) + 0.5) / ((hi - lo) + 0.5))
            if within is not None:
                run = self.docs[lo:hi]
                lo, hi = lo + int(np.searchsorted(run, within.start)), \
                    lo + int(np.searchsorted(run, within.stop))
                if lo == hi:
                    continue  # not in the range: costs nothing, so takes no turn
            if len(parts) >= MIN_TERMS and visited + (hi - lo) > POSTING_BUDGET:
                break
            visited += hi - lo
            parts.append((self.docs[lo:hi], idf, self.weights[lo:hi]))
        if not parts:
            return []
        docs = np.concatenate([d for d, _, _ in parts])
        # idf * weight in float64, summed per passage in term order by bincount; the
        # weights widened and scaled in one pass each, not one per term.
        contrib = np.concatenate([w for _, _, w in parts]).astype(np.float64)
        contrib *= np.repeat([idf for _, idf, _ in parts], [len(d) for d, _, _ in parts])
        base = int(docs.min())
        local = docs - base
        sums = np.bincount(local, weights=contrib)
        hit = _hits(sums, local, k, len(parts))
        scores = sums[hit]
        if len(hit) > k:
            cutoff = np.partition(scores, len(scores) - k)[len(scores) - k]
            # Every passage tied with the k-th: the earliest of them win, as before.
            keep = np.flatnonzero(scores >= cutoff)
            hit, scores = hit[keep], scores[keep]
        order = np.lexsort((hit, -scores))[:k]
        return [(int(hit[i]) + base, float(scores[i])) for i in order]


def _hits(sums: Array, local: Array, k: int, terms: int) -> Array:
    """The passages (ascending) scoring at least the *k*-th best score, found from
    the postings (*local*: each posting's passage) rather than by a scan of *sums*,
    which is as long as the corpus. A passage has at most one posting per term, so
    the ``k * terms`` highest-scoring postings hold at least *k* distinct passages,
    and no passage outside them scores higher than any inside: the *k*-th best
    among them is the *k*-th best of all."""
    m = k * terms
    if len(local) <= m:
        return np.unique(local)
    per = sums[local]
    # The m-th highest posting score, by value: a partition without the index array
    # that argpartition moves along. Ties with it come in too; still exact.
    top = np.unique(local[per >= np.partition(per, len(per) - m)[len(per) - m]])
    best = sums[top]
    cutoff = np.partition(best, len(best) - k)[len(best) - k] if len(best) > k else best.min()
    return np.unique(local[per >= cutoff])
