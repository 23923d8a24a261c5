"""Align a quotation with one candidate passage: span, evidence and changed facts.

The quotation is first put into the passage's own forms (:mod:`.variants`), then
each fragment is aligned on normalised words with rapidfuzz. A window that
crosses a sentence boundary the quotation does not cross is penalised, so the
span never spills into the next sentence for one stray word. Around the span,
the content coverage (:mod:`.coverage`) and the changed facts (:mod:`.misquote`)
complete the evidence the verdict rests on.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.quotes.corpus import Passage
from bot.core.quotes.coverage import (
    FUNCTION_WORDS,
    Coverage,
    content_words,
    coverage,
    near,
    stem,
)
from bot.core.quotes.misquote import Change, changed_facts
from bot.core.quotes.synonyms import synonym_stems
from bot.core.quotes.text import Token, sentence_starts, tokenize
from bot.core.quotes.variants import SourceForms, defined_acronyms, expands, rewrite
from bot.core.quotes.verdict import (
    COVER_FULL,
    Evidence,
    Verdict,
    by_characters,
    evidence,
    judge,
)

SWAP_PENALTY = 4.0
SENTENCE_PENALTY = 6.0
CHANGE_COST = 8.0  # rank points per changed fact: of two readings, the one with fewer errors
ANCHOR_MARGIN = 8.0  # character points an alignment in the rarest word's sentence may give up
SHAVE = 2  # words at most shaved off each edge of a span
UNSPILL = 3  # words past a sentence boundary cut off a span
SPILL = 2  # words past a boundary that make a spill
# Below this share of its words in the aligned span, a quotation accepted on content
# was reordered or reworded: its span is rebuilt around the content words found.
REORDERED = 0.8  # per sentence boundary crossed that the quotation does not cross
Pieces = tuple[tuple[list[Token], list[Token]], ...]


@dataclass(frozen=True, slots=True)
class Aligned:
    passage: Passage
    start: int
    end: int
    score: float
    pieces: Pieces  # (query words in the passage's forms, source words) per fragment
    evidence: Evidence
    verdict: Verdict
    changes: tuple[Change, ...]

    @property
    def rank(self) -> float:
        """How candidates are ordered: accepted first, then characters and content."""
        accepted = 100.0 if self.verdict != "none" else 0.0
        # Of two passages a misquote resembles, the one it gets fewer facts wrong in.
        return (accepted + 0.7 * self.score + 30.0 * self.evidence.coverage
                - CHANGE_COST * len(self.changes))


def align(pieces: Sequence[list[Token]], query_text: Sequence[str], passage: Passage,
          acronyms: frozenset[str], weight: Callable[[str], float],
          known: Container[str] = frozenset(),
          allowed: Sequence[int] | None = None) -> Aligned:
    """*allowed*: :func:`sentences_crossed` of the query, if the caller has it (it is
    the same for every candidate passage)."""
    text = passage.text
    source = tokenize(text)
    forms = SourceForms(source, text)
    starts = sentence_starts(source, text)
    layout = _layout(source)
    written = [rewrite(p, forms, acronyms) for p in pieces]
    if allowed is None:
        allowed = sentences_crossed(pieces, query_text)
    best = _fragments(written, source, starts, allowed, layout)
    defined = [defined_acronyms(p, forms) for p in written]
    if any(defined):  # "the US is ..." against "The United States (U.S.) is ..."
        other = [d or p for d, p in zip(defined, written, strict=True)]
        alt = _fragments(other, source, starts, allowed, layout)
        if alt[0] > best[0]:
            best, written = alt, other
    # "the Japan-United States alliance", where the passage writes "the United States"
    # in one sentence and "Japan-U.S." in another: both readings are aligned.
    contracted = [rewrite(p, forms, acronyms, contract=True) for p in pieces] \
        if expands(pieces, forms) else written
    if contracted != written:
        alt = _fragments(contracted, source, starts, allowed, layout)
        if alt[0] > best[0]:
            best, written = alt, contracted
    score, windows = best
    if len(written) == 1 and starts:
        score, windows = _anchored(written, source, starts, allowed, score, windows, weight)
    flat = [t.norm for piece in written for t in piece]
    n = len(flat)
    lo, hi = min(i for i, _ in windows), max(j for _, j in windows)
    context = _sentences(source, starts, lo, hi)
    changes = tuple(c for piece, raw, (i, j) in zip(written, query_text, windows, strict=True)
                    for c in changed_facts(piece, raw, source[i:j], text, context, known))
    pairs: Pieces = tuple((p, source[i:j]) for p, (i, j) in zip(written, windows, strict=True))
    plain = evidence(pairs, round(score, 1))
    if by_characters(plain) and not changes:
        # Accepted on characters: coverage would change nothing but the ranking,
        # where the share of words in the span stands in for it at no cost.
        cov = Coverage(plain.recall, len(content_words(flat)), 0, ())
    else:
        reach = 3 * n  # "near the span": a few times the quotation's length
        # A changed figure or date is judged apart (misquote_plausible): the content
        # is the rest, with the source's figure in its place. Not a changed name: a
        # sentence about another country is another sentence more often than not.
        figures = [c for c in changes if c.kind in ("number", "date")]
        counted = [t.norm for p in written for t in _fix(p, figures)] if figures else flat
        cov = coverage(counted, source, max(lo - reach, 0), min(hi + reach, len(source)),
                       weight)
    # All of it inside the span's own sentences, not just near: a paraphrase of one
    # sentence, where a sentence that borrows words finds them in its neighbours.
    within = cov.share >= COVER_FULL and coverage(
        flat, source, *_sentence_range(starts, lo, hi, len(source)), weight).share >= COVER_FULL
    ev = replace(plain, coverage=cov.share, content=cov.content, changed=len(changes),
                 in_sentence=within)
    if changes:
        # Judge the rest of the quotation as if the facts were right: a misquote
        # is found so that its error can be shown.
        fixed = [_fix(p, changes) for p in written]
        fscore, fwin = _fragments(fixed, source, starts, allowed, layout)
        fpairs = tuple((p, source[i:j]) for p, (i, j) in zip(fixed, fwin, strict=True))
        ev = replace(evidence(fpairs, round(fscore, 1), cov.share, cov.content, len(changes)),
                     in_sentence=within)
    verdict = judge(ev)
    if (verdict != "none" and not by_characters(ev) and cov.found and len(written) == 1
            and ev.recall < REORDERED):
        # Accepted on content: the span runs over the content words found,
        # within the sentences the alignment chose.
        keep = _sentence_range(starts, lo, hi, len(source))
        inside = [f for f in cov.found if keep[0] <= f < keep[1]]
        if inside:
            lo, hi = _cluster(inside, lo, hi)
            if sum(1 for b in starts if lo < b < hi) > allowed[0]:
                lo, hi = _one_sentence(inside, starts, lo, hi)
            pairs = ((written[0], source[lo:hi]),)
    if verdict != "none" and len(written) == 1:
        shaved = _unspill(*_shave(written[0], source, lo, hi), starts, allowed[0])
        if shaved != (lo, hi):
            lo, hi = shaved
            pairs = ((written[0], source[lo:hi]),)
    start = source[lo].start if source else 0
    end = _closed(text, start, source[hi - 1].end) if source else 0
    return Aligned(passage, start, end, round(score, 1), pairs, ev, verdict, changes)


def _shave(piece: list[Token], source: list[Token], lo: int, hi: int) -> tuple[int, int]:
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


def _unspill(lo: int, hi: int, starts: frozenset[int], allowed: int) -> tuple[int, int]:
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


def _anchored(written: list[list[Token]], source: list[Token], starts: frozenset[int],
              allowed: Sequence[int], score: float, windows: list[tuple[int, int]],
              weight: Callable[[str], float]) -> tuple[float, list[tuple[int, int]]]:
    """The alignment within the sentence that holds the quotation's rarest word, when
    the characters chose a sentence without it and the anchored one resembles the
    quotation nearly as well: "Obama's administration keeps saying the alliance
    matters" is about the Obama sentence, though the Hatoyama one aligns a little
    better word for word."""
    lo, hi = windows[0]
    a, b = _sentence_range(starts, lo, hi, len(source))
    inside = {stem(t.norm) for t in source[a:b]}
    words = set(content_words([t.norm for t in written[0]]))
    held = max((weight(w) for w in words if stem(w) in inside), default=0.0)
    outside = [w for w in words if stem(w) not in inside and weight(w) > held]
    where = [i for i, t in enumerate(source) if stem(t.norm) in {stem(w) for w in outside}]
    if not where:
        return score, windows
    rarest = max(outside, key=weight)
    at = min((i for i in where if stem(source[i].norm) == stem(rarest)),
             key=lambda i: abs(i - lo), default=where[0])
    a, b = _sentence_range(starts, at, at + 1, len(source))
    sub = source[a:b]
    alt, sub_windows = _fragments(written, sub, frozenset(s - a for s in starts if a < s < b),
                                  allowed, _layout(sub))
    if alt < score - ANCHOR_MARGIN:
        return score, windows
    return alt, [(i + a, j + a) for i, j in sub_windows]


def _closed(text: str, start: int, end: int) -> int:
    """*end*, past the bracket or quotation mark that closes one the span opens:
    "Bilateral Exercise (KAEDEX24)", not "(KAEDEX24"."""
    for opening, closing in (("(", ")"), ("“", "”")):
        span = text[start:end]
        if text[end:end + 1] == closing and span.count(opening) > span.count(closing):
            end += 1
    return end


def sentences_crossed(pieces: Sequence[list[Token]], query_text: Sequence[str]) -> list[int]:
    """How many sentence boundaries each fragment of the quotation crosses itself."""
    return [len(sentence_starts(p, q)) for p, q in zip(pieces, query_text, strict=True)]


def _cluster(found: list[int], lo: int, hi: int) -> tuple[int, int]:
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


def _one_sentence(found: list[int], starts: frozenset[int], lo: int,
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


def _fix(piece: list[Token], changes: Sequence[Change]) -> list[Token]:
    swap: dict[str, list[str]] = {}
    for c in changes:
        q, s = tokenize(c.query), tokenize(c.source)
        if len(q) == 1:
            swap[q[0].norm] = [t.norm for t in s]
    out: list[Token] = []
    for t in piece:
        out.extend(Token(w, t.start, t.end) for w in swap.get(t.norm, [t.norm]))
    return out


def _sentences(source: list[Token], starts: frozenset[int], lo: int, hi: int) -> list[Token]:
    a, b = _sentence_range(starts, lo, hi, len(source))
    return source[a:b]


def _sentence_range(starts: frozenset[int], lo: int, hi: int, n: int) -> tuple[int, int]:
    """The token range of the sentences that ``[lo, hi)`` touches."""
    first = max((s for s in starts if s <= lo), default=0)
    last = min((s for s in starts if s >= hi), default=n)
    return first, last


class _Layout(NamedTuple):
    """The source's normalised words joined by spaces, and where each word starts and
    ends in that text: made once per passage, used by every fragment and retry."""

    text: str
    offsets: list[int]
    ends: list[int]


def _layout(source: list[Token]) -> _Layout:
    text = " ".join(t.norm for t in source)
    offsets, pos = [], 0
    for tok in source:
        offsets.append(pos)
        pos += len(tok.norm) + 1
    return _Layout(text, offsets, [*[o - 1 for o in offsets[1:]], len(text)])


def _fragments(pieces: Sequence[list[Token]], source: list[Token], starts: frozenset[int],
               allowed: Sequence[int], layout: _Layout) -> tuple[float, list[tuple[int, int]]]:
    results = [_align_fragment(p, source, starts, a, layout)
               for p, a in zip(pieces, allowed, strict=True)]
    weights = [max(len(p), 1) for p in pieces]
    score = sum(r[2] * w for r, w in zip(results, weights, strict=True)) / sum(weights)
    return score, [(r[0], r[1]) for r in results]


def _align_fragment(piece: list[Token], source: list[Token], starts: frozenset[int],
                    allowed: int, layout: _Layout) -> tuple[int, int, float]:
    """The word window ``[i, j)`` of *source* that best matches *piece*, and its score."""
    if not source or not piece:
        return 0, min(len(source), 1), 0.0
    query = " ".join(t.norm for t in piece)
    # Character offset of each word in `text`, to turn the alignment into words.
    text, offsets, ends = layout
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
