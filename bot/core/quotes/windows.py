"""The word window of a passage that best matches one fragment of a quotation.

Both are normalised words (:mod:`.text`); the passage's words are joined once
(:class:`Layout`) so that every window is a slice of one string, and every window
near rapidfuzz's best partial alignment is scored in two C calls: plain character
similarity, and the same with the words sorted (a swapped pair costs
SWAP_PENALTY, not the match). A window that spills a stray word or two over a
sentence boundary the quotation does not cross is penalised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.quotes.coverage import FUNCTION_WORDS
from bot.core.quotes.text import Token, sentence_starts

SWAP_PENALTY = 4.0
SENTENCE_PENALTY = 6.0
SPILL = 2  # words past a boundary that make a spill


def sentences_crossed(pieces: Sequence[list[Token]], query_text: Sequence[str]) -> list[int]:
    """How many sentence boundaries each fragment of the quotation crosses itself."""
    return [len(sentence_starts(p, q)) for p, q in zip(pieces, query_text, strict=True)]


def sentence_range(starts: frozenset[int], lo: int, hi: int, n: int) -> tuple[int, int]:
    """The token range of the sentences that ``[lo, hi)`` touches."""
    first = max((s for s in starts if s <= lo), default=0)
    last = min((s for s in starts if s >= hi), default=n)
    return first, last


class Layout(NamedTuple):
    """The source's normalised words joined by spaces, and where each word starts and
    ends in that text: made once per passage, used by every fragment and retry."""

    text: str
    offsets: list[int]
    ends: list[int]


def layout(source: list[Token]) -> Layout:
    text = " ".join(t.norm for t in source)
    offsets, pos = [], 0
    for tok in source:
        offsets.append(pos)
        pos += len(tok.norm) + 1
    return Layout(text, offsets, [*[o - 1 for o in offsets[1:]], len(text)])


def fragments(pieces: Sequence[list[Token]], source: list[Token], starts: frozenset[int],
               allowed: Sequence[int], laid: Layout) -> tuple[float, list[tuple[int, int]]]:
    results = [_align_fragment(p, source, starts, a, laid)
               for p, a in zip(pieces, allowed, strict=True)]
    weights = [max(len(p), 1) for p in pieces]
    score = sum(r[2] * w for r, w in zip(results, weights, strict=True)) / sum(weights)
    return score, [(r[0], r[1]) for r in results]


def _align_fragment(piece: list[Token], source: list[Token], starts: frozenset[int],
                    allowed: int, laid: Layout) -> tuple[int, int, float]:
    """The word window ``[i, j)`` of *source* that best matches *piece*, and its score."""
    if not source or not piece:
        return 0, min(len(source), 1), 0.0
    query = " ".join(t.norm for t in piece)
    # Character offset of each word in `text`, to turn the alignment into words.
    text, offsets, ends = laid
    hit = fuzz.partial_ratio_alignment(query, text)
    first = _word_at(offsets, hit.dest_start if hit else 0)
    last = _word_at(offsets, max((hit.dest_end if hit else len(text)) - 1, 0)) + 1
    slack = 3 + len(piece) // 5
    bounds = sorted(b for b in starts if first - 2 < b < last + slack)
    heads = set(range(max(first - 2, 0), min(first + 3, len(source))))
    # The start of the sentence the match begins in, when the quotation skips a
    # clause: partial_ratio's window, as long as the quotation, starts too late.
    opening = max((b for b in starts if b <= first), default=0)
    if first - opening <= len(piece):
        heads.add(opening)
    windows = [(i, j) for i in sorted(heads)
               for j in range(max(last - slack, i + 1), min(last + slack, len(source)) + 1)]
    if not windows:
        return _trim((first, last, -1.0), piece, source)
    # Every window scored in two C calls (cdist) rather than two Python-level calls
    # each; a window's text is a slice of `text`.
    texts = [text[offsets[i]:ends[j - 1]] for i, j in windows]
    ratio = process.cdist([query], texts, scorer=fuzz.ratio, dtype=np.float64)[0]
    # Word order counts, but a swapped pair should not sink a real quote.
    swapped = process.cdist([query], texts, scorer=fuzz.token_sort_ratio, dtype=np.float64)[0]
    scores = np.maximum(ratio, swapped - SWAP_PENALTY)
    for at, (i, j) in enumerate(windows if bounds else ()):
        # A spill is a stray word or two over a sentence boundary; a quotation
        # typed without punctuation may well cross one with many words.
        crossed = sum(1 for b in bounds if i < b < j and (b - i <= SPILL or j - b <= SPILL))
        if crossed > allowed:
            scores[at] -= SENTENCE_PENALTY * (crossed - allowed)
    # The first best window wins ties, so the shorter one: no stray neighbour words.
    at = int(np.argmax(scores))
    best = (windows[at][0], windows[at][1], float(scores[at]))
    return _trim(best, piece, source)


def _trim(best: tuple[int, int, float], piece: list[Token],
          source: list[Token]) -> tuple[int, int, float]:
    """Drop a function word at either edge of the window that the quotation does not
    have there ("meetings and" for "meetings in 2023"): it is not what was quoted."""
    i, j, score = best
    head = {t.norm for t in piece[:2]}
    tail = {t.norm for t in piece[-2:]}
    while j - i > 1 and source[j - 1].norm in FUNCTION_WORDS and source[j - 1].norm not in tail:
        j -= 1
    while j - i > 1 and source[i].norm in FUNCTION_WORDS and source[i].norm not in head:
        i += 1
    return i, j, score


def _word_at(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
