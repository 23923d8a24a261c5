"""What to suggest when a quotation matches nothing: spellings, and the closest passage.

A word the corpus never uses is most likely a typo of one it does; the closest
passage tells the reader what the engine nearly took.

Spelling uses a one-deletion index (the SymSpell idea): every vocabulary word is
filed under a hash of itself and of each string made by deleting one of its
letters. A typed word's own hashes then find, by bisection in one sorted array,
exactly the words within one edit of it (and a substitution or swap, which share
a deletion) — a few dozen to score instead of a scan of the vocabulary. The
table is two flat arrays (:class:`DeletionTable`), built once with numpy and
memory-mapped from the index cache.

A suggestion is made only when it is plausible: the typed word is absent from
the corpus; both words have at least four letters ("end" for "send", "but" for
"about" are other words, not typos); a four-letter word differs by a swap of
two letters only ("alyl" is "ally"; "them" is not "they"), a five-letter one by
one substitution or swap (adding or dropping a letter of a short word makes
another word); longer words by one edit of any kind, or
two for words of eight letters or more; a plural or singular of a corpus word is
no typo of it. The nearest word wins, then the one the
corpus uses most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA

from bot.core.quotes.text import Token, preview

if TYPE_CHECKING:
    from bot.core.quotes.index import Index
    from bot.core.quotes.matching import Span

Array = npt.NDArray[Any]
MIN_LETTERS = 4
MAX_LETTERS = 24  # longer vocabulary words are not filed: typos there are rare
_PRIME = 1_000_003
_MASK = (1 << 64) - 1


def _hash(codes: Sequence[int]) -> int:
    """A 64-bit polynomial hash of code points, the same as :func:`_hashes`."""
    h = 0
    for c in codes:
        h = (h * _PRIME + c + 1) & _MASK
    return h


def keys_of(word: str) -> set[int]:
    """The hashes *word* is filed under: itself, and each one-letter deletion."""
    codes = [ord(c) for c in word]
    return {_hash(codes)} | {_hash(codes[:i] + codes[i + 1:]) for i in range(len(codes))}


def _hashes(matrix: Array, lengths: Array, skip: int) -> Array:
    """Per row, the hash of its first ``length`` code points with column *skip*
    left out (``-1``: none); vectorised over rows, a loop over columns only."""
    with np.errstate(over="ignore"):
        h = np.zeros(len(matrix), dtype=np.uint64)
        prime = np.uint64(_PRIME)
        for col in range(matrix.shape[1]):
            take = (col < lengths) & (col != skip)
            h = np.where(take, h * prime + matrix[:, col] + np.uint64(1), h)
    return h


@dataclass(frozen=True, slots=True)
class DeletionTable:
    """Sorted deletion hashes and, for each, the term id of the word filed there."""

    keys: Array  # uint64, sorted
    terms: Array  # uint32

    @classmethod
    def build(cls, index: Index) -> DeletionTable:
        ids, words = [], []
        for term_id, word in enumerate(index.vocab):
            if MIN_LETTERS - 1 <= len(word) <= MAX_LETTERS and word.isalpha():
                ids.append(term_id)
                words.append(word)
        width = max((len(w) for w in words), default=0)
        # A fixed-width UTF-32 array is a matrix of code points, zero-padded: made in C.
        matrix = np.array(words, dtype=f"<U{max(width, 1)}").view(np.uint32) \
            .reshape(len(words), max(width, 1)).astype(np.uint64)
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        term_ids = np.asarray(ids, dtype=np.uint32)
        keys, terms = [_hashes(matrix, lengths, -1)], [term_ids]
        for skip in range(width):
            has = lengths > skip
            keys.append(_hashes(matrix[has], lengths[has], skip))
            terms.append(term_ids[has])
        all_keys, all_terms = np.concatenate(keys), np.concatenate(terms)
        order = np.argsort(all_keys, kind="stable")
        return cls(all_keys[order], all_terms[order])

    def near(self, word: str) -> set[int]:
        """Term ids of the words sharing a deletion with *word* (hash matches)."""
        found: set[int] = set()
        for key in keys_of(word):
            k = np.uint64(key)
            lo, hi = np.searchsorted(self.keys, k), np.searchsorted(self.keys, k, "right")
            found.update(self.terms[lo:hi].tolist())
        return found


class Speller:
    """"Did you mean" over the index's vocabulary; read-only once built."""

    def __init__(self, index: Index) -> None:
        self.index = index
        # The cache stores the table with the index; a fresh index builds it here.
        self.table = index.spelling if index.spelling is not None else DeletionTable.build(index)

    def suggest(self, words: Sequence[Token], best: Span | None) -> tuple[str, ...]:
        """Up to three spelling tips for *words*, then the closest passage *best*."""
        tips: list[str] = []
        for word in dict.fromkeys(w.norm for w in words):
            if len(tips) >= 3:
                break
            fix = self.spelling(word)
            if fix:
                tips.append(f"Did you mean “{fix}” for “{word}”?")
        if best is not None and best.score >= 40:
            p = best.passage
            tips.append(f"Closest passage ({best.score:.0f}/100): {p.citation}: "
                        f"“{preview(best.quote, 160)}”")
        if not tips:
            tips.append("Nothing in the corpus resembles that. Try the passage's most "
                        "distinctive words, or check the corpus with `bluebook-bot corpus`.")
        return tuple(tips)

    def spelling(self, word: str) -> str | None:
        """The corpus word *word* is plausibly a typo of, if it is one (module doc)."""
        if not (MIN_LETTERS <= len(word) <= MAX_LETTERS + 1 and word.isalpha()) \
                or self.index.df(word) > 0:
            return None
        best: tuple[int, int, str] | None = None
        for term_id in self.table.near(word):
            term = self.index.vocab.term(term_id)
            if len(term) < MIN_LETTERS:
                continue
            distance = OSA.distance(word, term)
            if not _plausible(word, term, distance):
                continue
            rank = (distance, -self.index._df(term_id), term)
            if best is None or rank < best:
                best = rank
        return best[2] if best else None


def _plausible(word: str, term: str, distance: int) -> bool:
    if distance == 0 or word == term + "s" or term == word + "s":
        return False  # a plural is the same word in another form, not a typo
    if len(word) == MIN_LETTERS:  # a swap only: "alyl" is "ally", "them" is not "they"
        return distance == 1 and sorted(word) == sorted(term)
    if len(word) <= 5:
        return distance == 1 and len(term) == len(word)
    return distance <= (2 if len(word) >= 8 else 1)
