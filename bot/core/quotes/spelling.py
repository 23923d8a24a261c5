"""What to suggest when a quotation matches nothing: spellings, and the closest passage.

A word the corpus never uses is most likely a typo of one it does; the
closest passage tells the reader what the engine nearly took.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.core.quotes.index import Index
from bot.core.quotes.text import Token, preview

if TYPE_CHECKING:
    from bot.core.quotes.matching import Span


class Speller:
    """"Did you mean" over the index's vocabulary; read-only once built."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._vocab = _spelling_buckets(index.vocab)

    def suggest(self, words: Sequence[Token], best: Span | None) -> tuple[str, ...]:
        """Up to three spelling tips for *words*, then the closest passage *best*."""
        tips: list[str] = []
        for word in words:
            if len(tips) >= 3:
                break
            if len(word.norm) >= 4 and self.index.df(word.norm) == 0 and word.norm.isalpha():
                fix = self.spelling(word.norm)
                if fix:
                    tips.append(f"Did you mean “{fix}” for “{word.norm}”?")
        if best is not None and best.score >= 40:
            p = best.passage
            tips.append(f"Closest passage ({best.score:.0f}/100): {p.citation}: "
                        f"“{preview(best.quote, 160)}”")
        if not tips:
            tips.append("Nothing in the corpus resembles that. Try the passage's most "
                        "distinctive words, or check the corpus with `bluebook-bot corpus`.")
        return tuple(tips)

    def spelling(self, word: str) -> str | None:
        """The vocabulary word closest to *word* (ratio 75 or more), if any."""
        from rapidfuzz import process  # local: only the no-match path needs it

        # A ratio of 75+ allows at most a couple of letters more or fewer, so only
        # words of about the same length need scoring, not the whole vocabulary.
        best: tuple[str, float] | None = None
        for size in (len(word), len(word) - 1, len(word) + 1, len(word) - 2, len(word) + 2):
            hit = process.extractOne(word, self._vocab.get(size, ()), scorer=fuzz.ratio,
                                     score_cutoff=best[1] + 1e-9 if best else 75)
            if hit:
                best = (hit[0], hit[1])
        return best[0] if best else None


def _spelling_buckets(vocab: Iterable[str]) -> dict[int, list[str]]:
    """The vocabulary's words of three letters or more, by length."""
    buckets: dict[int, list[str]] = {}
    for w in vocab:
        if w.isalpha() and len(w) >= 3:
            buckets.setdefault(len(w), []).append(w)
    return buckets
