"""The acceptance decision: is this quotation really from that passage?

Precision comes first: a sentence that is not in the corpus must come back
``none``. Character similarity alone cannot decide that for short quotations, so
the decision also asks how many of the quotation's words the span really has,
with stricter bars for shorter quotations (few words match by chance more easily).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from bot.core.diff import word_stats
from bot.core.text import Token

Verdict = Literal["exact", "close", "partial", "none"]

# (max query words, min score, min share of query words found, min share of span words used)
_BARS: tuple[tuple[int, float, float, float], ...] = (
    (5, 90.0, 0.80, 0.80),
    (8, 84.0, 0.75, 0.70),
    (15, 78.0, 0.70, 0.65),
    (10**9, 72.0, 0.65, 0.60),
)
CLOSE_SCORE = 90.0
CLOSE_RECALL = 0.85


def decide(pieces: Sequence[tuple[Sequence[Token], Sequence[Token]]], score: float) -> Verdict:
    """The verdict for aligned (query words, source words) pairs with combined *score*."""
    stats = [word_stats([t.norm for t in q], [t.norm for t in s]) for q, s in pieces]
    if stats and all(st.identical for st in stats):
        return "exact"
    words = sum(st.query_words for st in stats)
    span_words = sum(st.source_words for st in stats)
    matched = sum(st.matched for st in stats)
    if words == 0 or span_words == 0:
        return "none"
    recall, precision = matched / words, matched / span_words
    _, min_score, min_recall, min_precision = next(bar for bar in _BARS if words <= bar[0])
    if score < min_score or recall < min_recall or precision < min_precision:
        return "none"
    if score >= CLOSE_SCORE and recall >= CLOSE_RECALL and precision >= CLOSE_RECALL:
        return "close"
    return "partial"
