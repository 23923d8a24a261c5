"""Find where a half-remembered quotation comes from, with the exact words.

Two stages, so the cost grows with the number of candidates, not the corpus:
BM25 (:mod:`bot.core.quotes.index`) picks a few candidate passages, and rapidfuzz aligns
the query against each of them only. The alignment works on normalised words
(:mod:`bot.core.quotes.text`) and is mapped back to exact character offsets in the
passage, so a user always sees the corpus's own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.errors import UserError
from bot.core.quotes.corpus import Corpus, Passage
from bot.core.quotes.diff import DiffOp, word_diff
from bot.core.quotes.index import Index
from bot.core.quotes.spelling import Speller
from bot.core.quotes.text import Token, normalize, split_fragments, tokenize
from bot.core.quotes.verdict import Verdict, decide

MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 100
MIN_QUERY_WORDS = 3
CANDIDATES = 30  # from BM25
ALIGNED = 6  # of those, how many get the full word-boundary alignment
ALTERNATIVE_FLOOR = 50.0
SWAP_PENALTY = 4.0


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quotation sits in a passage: ``passage.text[start:end]``."""

    passage: Passage
    start: int
    end: int
    score: float

    @property
    def quote(self) -> str:
        return self.passage.text[self.start:self.end]


@dataclass(frozen=True, slots=True)
class QuoteResult:
    query: str
    verdict: Verdict
    score: float
    match: Span | None
    alternatives: tuple[Span, ...]
    suggestions: tuple[str, ...]
    diff: tuple[DiffOp, ...]

    @property
    def found(self) -> bool:
        return self.verdict != "none"


@dataclass(frozen=True, slots=True)
class _Aligned:
    span: Span
    pieces: tuple[tuple[list[Token], list[Token]], ...]  # (query words, source words) per fragment


def check_query(query: str) -> list[str]:
    """Validate a raw query; return its fragments or raise :class:`UserError`."""
    if len(query) > MAX_QUERY_CHARS * 10:
        raise UserError(f"That quotation is {len(query):,} characters long; "
                        f"quote at most {MAX_QUERY_WORDS} words.")
    fragments = split_fragments(query)
    count = sum(len(tokenize(f)) for f in fragments)
    if count == 0:
        raise UserError("Type a few words of the passage to look for.")
    if count < MIN_QUERY_WORDS:
        raise UserError(f"Quote at least {MIN_QUERY_WORDS} words so the passage can be told apart.")
    if count > MAX_QUERY_WORDS or len(query) > MAX_QUERY_CHARS:
        raise UserError(f"That quotation is too long ({count} words); "
                        f"quote at most {MAX_QUERY_WORDS} words or {MAX_QUERY_CHARS:,} characters.")
    return fragments


class QuoteEngine:
    """Quote lookup over one corpus and its index (built by :func:`build_index`).

    Read-only after construction, so :meth:`find` and :meth:`candidates` are safe
    to call from several threads at once (the bot runs them on one dedicated
    worker thread, :mod:`bot.exts.worker`). The BM25 stage is a few numpy calls (C
    loops, no Python loop over postings); the GIL is held within each rapidfuzz call,
    the longest being a rerank ``partial_ratio`` of one long passage."""

    def __init__(self, corpus: Corpus, index: Index) -> None:
        if len(index) != len(corpus):
            raise ValueError("the index was built for a different corpus")
        self.corpus = corpus
        self.index = index
        # Built here, not on the first miss: find() then mutates nothing, so worker
        # threads can share one engine, and no unlucky query pays for the build.
        self._speller = Speller(index)
        # The cache's passage store keeps each passage's normalised words
        # (bot.storage.passage_store): reading them beats normalising 30 per query.
        self._normalized = getattr(corpus.passages, "normalized", None)

    def candidates(self, query: str, k: int = CANDIDATES, *,
                   within: range | None = None) -> list[Passage]:
        """Passages BM25 ranks highest for *query*: cheap, for autocomplete previews.
        *within*: only passages at these positions of ``corpus.passages`` (one
        document's run), ranked among themselves."""
        hits = self.index.search([t.norm for t in tokenize(query)], k, within)
        return [self.corpus.passages[number] for number, _ in hits]

    def find(self, query: str, top: int = 3) -> QuoteResult:
        """The passage *query* quotes, its span, verdict, alternatives and word diff."""
        fragments = check_query(query)
        pieces = [tokenize(f) for f in fragments]
        flat = [t for piece in pieces for t in piece]
        hits = self.index.search([t.norm for t in tokenize(" ".join(fragments))], CANDIDATES)
        joined = " ".join(t.norm for t in flat)
        ranked = sorted(((fuzz.partial_ratio(joined, self._norm(n)), self.corpus.passages[n])
                         for n, _ in hits), key=lambda item: -item[0])
        # A passage whose best window is under the alternatives' floor cannot be the
        # match or an alternative: the costly word-window alignment skips it.
        # Enough aligned candidates for the alternatives asked for (the CLI allows 25).
        width = max(ALIGNED, top + 1)
        aligned = sorted((self._align(pieces, p) for i, (pr, p) in enumerate(ranked[:width])
                          if i == 0 or pr >= ALTERNATIVE_FLOOR),
                         key=lambda a: -a.span.score)
        best = aligned[0] if aligned else None
        verdict = decide(best.pieces, best.span.score) if best else "none"
        if best is None or verdict == "none":
            # Nothing accepted: the closest candidates, the best one first, are the
            # alternatives the reader may have meant.
            closest = tuple(a.span for a in aligned[:max(top, 0)]
                            if a.span.score >= ALTERNATIVE_FLOOR)
            nearest = best.span if best else None
            return QuoteResult(query, "none", nearest.score if nearest else 0.0, None,
                               closest, self._speller.suggest(flat, nearest), ())
        alternatives = tuple(a.span for a in aligned[1:1 + max(top, 0)]
                             if a.span.score >= ALTERNATIVE_FLOOR)
        text = best.span.passage.text
        diff = tuple(op for (q, s), frag in zip(best.pieces, fragments, strict=True)
                     for op in _with_gap(word_diff(q, frag, s, text)))
        return QuoteResult(query, verdict, best.span.score, best.span, alternatives, (),
                           _trim_gaps(diff))

    def _norm(self, number: int) -> str:
        """``normalize`` of passage *number*'s text: stored, or computed."""
        if self._normalized is not None:
            return str(self._normalized(number))
        return normalize(self.corpus.passages[number].text)

    def _align(self, pieces: Sequence[list[Token]], passage: Passage) -> _Aligned:
        source = tokenize(passage.text)
        results = [_align_fragment(piece, source) for piece in pieces]
        weights = [max(len(piece), 1) for piece in pieces]
        score = sum(r[2] * w for r, w in zip(results, weights, strict=True)) / sum(weights)
        start = min(source[r[0]].start for r in results) if source else 0
        end = max(source[r[1] - 1].end for r in results) if source else 0
        span = Span(passage, start, end, round(score, 1))
        return _Aligned(span, tuple((piece, source[r[0]:r[1]])
                                    for piece, r in zip(pieces, results, strict=True)))

def _align_fragment(piece: list[Token], source: list[Token]) -> tuple[int, int, float]:
    """The word window ``[i, j)`` of *source* that best matches *piece*, and its score."""
    if not source or not piece:
        return 0, min(len(source), 1), 0.0
    query = " ".join(t.norm for t in piece)
    text = " ".join(t.norm for t in source)
    # Character offset of each word in `text`, to turn the alignment into words.
    starts, pos = [], 0
    for tok in source:
        starts.append(pos)
        pos += len(tok.norm) + 1
    hit = fuzz.partial_ratio_alignment(query, text)
    first = _word_at(starts, hit.dest_start if hit else 0)
    last = _word_at(starts, max((hit.dest_end if hit else len(text)) - 1, 0)) + 1
    slack = 3 + len(piece) // 5
    # Every window [i, j) near the alignment, scored in two C calls (cdist) rather
    # than two Python-level calls each; a window's text is a slice of `text`.
    windows = [(i, j) for i in range(max(first - 2, 0), min(first + 3, len(source)))
               for j in range(max(last - slack, i + 1), min(last + slack, len(source)) + 1)]
    if not windows:
        return first, last, -1.0
    ends = [*[s - 1 for s in starts[1:]], len(text)]
    texts = [text[starts[i]:ends[j - 1]] for i, j in windows]
    ratio = process.cdist([query], texts, scorer=fuzz.ratio, dtype=np.float64)[0]
    # Word order counts, but a swapped pair should not sink a real quote.
    swapped = process.cdist([query], texts, scorer=fuzz.token_sort_ratio, dtype=np.float64)[0]
    scores = np.maximum(ratio, swapped - SWAP_PENALTY)
    # The first best window wins ties, so the shorter one: no stray neighbour words.
    at = int(np.argmax(scores))
    return windows[at][0], windows[at][1], float(scores[at])


def _word_at(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _with_gap(ops: list[DiffOp]) -> list[DiffOp]:
    return [*ops, DiffOp("gap", "…", "")]


def _trim_gaps(ops: tuple[DiffOp, ...]) -> tuple[DiffOp, ...]:
    return ops[:-1] if ops and ops[-1].op == "gap" else ops
