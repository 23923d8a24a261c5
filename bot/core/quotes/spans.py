"""Where an accepted quotation's span starts and ends, once it is aligned.

The character alignment (:mod:`.windows`) picks a window; these shape what the
reader sees: the sentence that holds the quotation's rarest word, the content
words of a reordered quotation, no stray edge words it does not quote, no spill
past a full stop, and its brackets balanced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from bot.core.quotes.coverage import content_words, near, stem
from bot.core.quotes.synonyms import synonym_stems
from bot.core.quotes.text import Token
from bot.core.quotes.windows import fragments, layout, sentence_range

ANCHOR_MARGIN = 8.0  # character points an alignment in the rarest word's sentence may give up
SHAVE = 2  # words at most shaved off each edge of a span
UNSPILL = 3  # words past a sentence boundary cut off a span
REST_WORDS = 2  # content words a quotation's missing end must have to widen the span
REST_SHARE = 0.8  # of them that must stand just past the span
REST_REACH = 2  # how far past it, in lengths of the quotation


def anchored(written: list[list[Token]], source: list[Token], starts: frozenset[int],
              allowed: Sequence[int], score: float, windows: list[tuple[int, int]],
              weight: Callable[[str], float]) -> tuple[float, list[tuple[int, int]]]:
    """The alignment within the sentence that holds the quotation's rarest word, when
    the characters chose a sentence without it and the anchored one resembles the
    quotation nearly as well: "Obama's administration keeps saying the alliance
    matters" is about the Obama sentence, though the Hatoyama one aligns a little
    better word for word."""
    lo, hi = windows[0]
    a, b = sentence_range(starts, lo, hi, len(source))
    inside = {stem(t.norm) for t in source[a:b]}
    words = set(content_words([t.norm for t in written[0]]))
    held = max((weight(w) for w in words if stem(w) in inside), default=0.0)
    outside = [w for w in words if stem(w) not in inside and weight(w) > held]
    if not outside:
        return score, windows
    wanted = {stem(w) for w in outside}
    where = [i for i, t in enumerate(source) if stem(t.norm) in wanted]
    if not where:
        return score, windows
    rarest = max(outside, key=weight)
    at = min((i for i in where if stem(source[i].norm) == stem(rarest)),
             key=lambda i: abs(i - lo), default=where[0])
    a, b = sentence_range(starts, at, at + 1, len(source))
    sub = source[a:b]
    alt, sub_windows = fragments(written, sub, frozenset(s - a for s in starts if a < s < b),
                                  allowed, layout(sub))
    if alt < score - ANCHOR_MARGIN:
        return score, windows
    return alt, [(i + a, j + a) for i, j in sub_windows]


def cluster(found: list[int], lo: int, hi: int) -> tuple[int, int]:
    """The shortest window holding the span ``[lo, hi)`` and 80 % of the content words
    found near it: a word that also occurs far off does not stretch the span."""
    need = max(1, -(-len(found) * 4 // 5))
    best = (min(lo, min(found)), max(hi, max(found) + 1))
    ordered = sorted(found)
    for a in range(len(ordered)):
        for b in range(a + need - 1, len(ordered)):
            window = (min(lo, ordered[a]), max(hi, ordered[b] + 1))
            if window[1] - window[0] < best[1] - best[0]:
                best = window
    return best


def one_sentence(found: list[int], starts: frozenset[int], lo: int,
                  hi: int) -> tuple[int, int]:
    """``[lo, hi)`` without the sentences at its edges that hold fewer than two of the
    words found: a stray word is not the quotation crossing into that sentence."""
    cuts = sorted(b for b in starts if lo < b < hi)
    edges = [lo, *cuts, hi]
    parts = [(sum(1 for f in found if a <= f < b), a, b) for a, b in pairwise(edges)]
    while len(parts) > 1 and parts[0][0] < 2:
        parts.pop(0)
    while len(parts) > 1 and parts[-1][0] < 2:
        parts.pop()
    a, b = parts[0][1], parts[-1][2]
    inside = [f for f in found if a <= f < b]
    return (min(inside), max(inside) + 1) if inside else (a, b)


def reach_rest(piece: list[Token], source: list[Token], starts: frozenset[int], lo: int,
               hi: int) -> tuple[int, int]:
    """``[lo, hi)`` widened over the rest of the quotation when its last (or first)
    words are missing from the span but stand just past it in the same sentence: a
    quotation that drops a clause in the middle ("… to combat ship-to-ship transfers
    and conduct joint training with other countries") aligns best by characters with
    the part before the drop, and the reader should see all of what was quoted."""
    q = [t.norm for t in piece]
    ops = Levenshtein.opcodes(q, [t.norm for t in source[lo:hi]])
    a, b = sentence_range(starts, lo, hi, len(source))
    if ops and ops[-1].tag in ("delete", "replace"):
        rest = _found(q[ops[-1].src_start:], source, hi, min(b, hi + REST_REACH * len(q)))
        if rest:
            hi = max(rest) + 1
    if ops and ops[0].tag in ("delete", "replace"):
        rest = _found(q[:ops[0].src_end], source, max(a, lo - REST_REACH * len(q)), lo)
        if rest:
            lo = min(rest)
    return lo, hi


def _found(words: Sequence[str], source: list[Token], lo: int, hi: int) -> list[int]:
    """Where REST_SHARE of *words*' content words stand in ``source[lo:hi]``, or []."""
    wanted = {stem(w) for w in content_words(words)}
    if len(wanted) < REST_WORDS:
        return []
    at = [i for i in range(lo, hi) if stem(source[i].norm) in wanted]
    got = {stem(source[i].norm) for i in at}
    return at if len(got) >= REST_SHARE * len(wanted) else []


def shave(piece: list[Token], source: list[Token], lo: int, hi: int) -> tuple[int, int]:
    """``[lo, hi)`` without up to SHAVE words at either edge that the quotation has in
    no form (not a typo, a word form or a synonym of one of its words): "Arctic in
    its revised National Defense Policy" for "Canada revised its National Defense
    Policy", or "… measures. In July" past the full stop."""
    stems = {stem(t.norm) for t in piece}
    def ours(tok: Token) -> bool:
        s = stem(tok.norm)
        return s in stems or any(near(s, q) for q in stems) or bool(
            synonym_stems(s, stem) & stems)
    for _ in range(SHAVE):
        if hi - lo > 1 and not ours(source[lo]):
            lo += 1
        if hi - lo > 1 and not ours(source[hi - 1]):
            hi -= 1
    return lo, hi


def unspill(lo: int, hi: int, starts: frozenset[int], allowed: int) -> tuple[int, int]:
    """``[lo, hi)`` cut at a sentence boundary the quotation does not cross, when a few
    words (at most UNSPILL) stand past it: "(including one telephone call). At the
    meetings" for a quotation that ends with "one telephone call"."""
    inside = sorted(b for b in starts if lo < b < hi)
    if len(inside) <= allowed:
        return lo, hi
    if hi - inside[-1] <= UNSPILL:
        hi = inside[-1]
    if inside[0] - lo <= UNSPILL and inside[0] < hi:
        lo = inside[0]
    return lo, hi


def balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` with the bracket or quotation mark that closes one it opens,
    or opens one it closes: "Bilateral Exercise (KAEDEX24)", not "(KAEDEX24"; "(CPTPP)
    in 2024", not "CPTPP) in 2024"."""
    for opening, closing in (("(", ")"), ("“", "”")):
        span = text[start:end]
        if text[end:end + 1] == closing and span.count(opening) > span.count(closing):
            end += 1
        elif start and text[start - 1] == opening and span.count(closing) > span.count(opening):
            start -= 1
    return start, end
