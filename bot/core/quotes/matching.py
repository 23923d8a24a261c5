"""Find where a half-remembered quotation comes from, with the exact words.

Two stages, so the cost grows with the number of candidates, not the corpus:
BM25 (:mod:`bot.core.quotes.index`) picks a few candidate passages, and rapidfuzz aligns
the query against each of them only. The alignment works on normalised words
(:mod:`bot.core.quotes.text`) and is mapped back to exact character offsets in the
passage, so a user always sees the corpus's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.errors import UserError
from bot.core.quotes.abbreviations import ABBREVIATIONS
from bot.core.quotes.alignment import Aligned, align
from bot.core.quotes.change import Change
from bot.core.quotes.corpus import Corpus, Passage
from bot.core.quotes.coverage import idf_weight, ordinary_weight, typed_weight
from bot.core.quotes.diff import DiffOp, word_diff
from bot.core.quotes.index import Index
from bot.core.quotes.spelling import Speller
from bot.core.quotes.text import normalize, split_fragments, tokenize
from bot.core.quotes.variants import looks_like_acronym, spelling_variants
from bot.core.quotes.verdict import Verdict
from bot.core.quotes.windows import sentences_crossed

MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 100
MIN_QUERY_WORDS = 3
CANDIDATES = 30  # from BM25
ALIGNED = 6  # of those, how many get the full word-boundary alignment
ALTERNATIVE_FLOOR = 50.0


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
    changed: tuple[Change, ...] = ()  # facts the quotation gets wrong (a misquote)

    @property
    def found(self) -> bool:
        return self.verdict != "none"

    @property
    def misquote(self) -> bool:
        return self.found and bool(self.changed)


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
        self._weight = idf_weight(index.df, len(index))
        self._ordinary = ordinary_weight(len(index))

    def candidates(self, query: str, k: int = CANDIDATES, *,
                   within: range | None = None) -> list[Passage]:
        """Passages BM25 ranks highest for *query*: cheap, for autocomplete previews.
        *within*: only passages at these positions of ``corpus.passages`` (one
        document's run), ranked among themselves."""
        hits = self.index.search([t.norm for t in tokenize(query)], k, within)
        return [self.corpus.passages[number] for number, _ in hits]

    def find(self, query: str, top: int = 3, *, within: range | None = None) -> QuoteResult:
        """The passage *query* quotes, its span, verdict, alternatives and word diff;
        *within*: only passages at these positions (one edition), as in candidates."""
        fragments = check_query(query)
        pieces = [tokenize(f) for f in fragments]
        flat = [t for piece in pieces for t in piece]
        vocab = self.index.vocab
        # Words tried as acronyms of a passage's words: typed in capitals, or unknown here.
        acronyms = frozenset(t.norm for piece, f in zip(pieces, fragments, strict=True)
                             for t in piece if looks_like_acronym(t.norm)
                             and (f[t.start:t.end].replace(".", "").isupper()
                                  or t.norm not in vocab))
        hits = self._candidates([t.norm for t in flat], within)
        joined = " ".join(t.norm for t in flat)
        texts = [self._norm(n) for n, _ in hits]
        # Under the floor a score is only needed when every candidate is under it
        # (the first is then still aligned): the cut-off lets rapidfuzz skip windows.
        rough = _rough(joined, texts, ALTERNATIVE_FLOOR)
        if texts and not max(rough):
            rough = _rough(joined, texts, 0.0)
        ranked = sorted(zip(rough, (n for n, _ in hits), strict=True), key=lambda item: -item[0])
        # A passage whose best window is under the alternatives' floor cannot be the
        # match or an alternative: the costly word-window alignment skips it.
        # Enough aligned candidates for the alternatives asked for (the CLI allows 25).
        width = max(ALIGNED, top + 1)
        passages = self.corpus.passages
        capitalised = frozenset(t.norm for piece, f in zip(pieces, fragments, strict=True)
                                for t in piece if not f[t.start:t.end].islower())
        weight = typed_weight(self._weight, vocab, capitalised, self._ordinary)
        allowed = sentences_crossed(pieces, fragments)
        aligned = sorted((align(pieces, fragments, passages[n], acronyms, weight, vocab, allowed)
                          for i, (pr, n) in enumerate(ranked[:width])
                          if i == 0 or pr >= ALTERNATIVE_FLOOR),
                         key=lambda a: -a.rank)
        best = aligned[0] if aligned else None
        if best is None or best.verdict == "none":
            # Nothing accepted: the closest candidates, the best one first, are the
            # alternatives the reader may have meant.
            by_score = sorted(aligned, key=lambda a: -a.score)
            closest = tuple(_span(a) for a in by_score[:max(top, 0)]
                            if a.score >= ALTERNATIVE_FLOOR)
            nearest = _span(by_score[0]) if by_score else None
            return QuoteResult(query, "none", nearest.score if nearest else 0.0, None,
                               closest, self._speller.suggest(flat, nearest), ())
        alternatives = tuple(_span(a) for a in aligned[1:1 + max(top, 0)]
                             if a.score >= ALTERNATIVE_FLOOR)
        text = best.passage.text
        texts = fragments if len(best.pieces) == len(fragments) else [query]
        diff = tuple(op for (q, s), frag in zip(best.pieces, texts, strict=True)
                     for op in _with_gap(word_diff(q, frag, s, text)))
        return QuoteResult(query, best.verdict, best.score, _span(best), alternatives, (),
                           _trim_gaps(diff), best.changes)

    def _norm(self, number: int) -> str:
        """``normalize`` of passage *number*'s text: stored, or computed."""
        if self._normalized is not None:
            return str(self._normalized(number))
        return normalize(self.corpus.passages[number].text)

    def _candidates(self, words: list[str],
                    within: range | None) -> list[tuple[int, float]]:
        """BM25's candidates for the words, and for their other forms the corpus uses
        (an abbreviation's expansion, a British spelling's American one)."""
        vocab = self.index.vocab
        extra: list[str] = []
        for w in words:
            for exp in ABBREVIATIONS.get(w, ()):
                extra += [x for x in exp if x in vocab]
            if w not in vocab:
                extra += [v for v in spelling_variants(w) if v in vocab]
        return self.index.search(words + extra, CANDIDATES, within)


def _rough(joined: str, texts: list[str], cutoff: float) -> list[float]:
    """``fuzz.partial_ratio(joined, t, score_cutoff=cutoff)`` for each of *texts*, the
    same floats, in one rapidfuzz call that releases the GIL while it scores: the
    event loop runs meanwhile (bench.loop_lag)."""
    if not texts:
        return []
    scores = process.cdist([joined], texts, scorer=fuzz.partial_ratio, score_cutoff=cutoff,
                           dtype=np.float64)[0]
    return [float(x) for x in scores]


def _span(a: Aligned) -> Span:
    return Span(a.passage, a.start, a.end, a.score)


def _with_gap(ops: list[DiffOp]) -> list[DiffOp]:
    return [*ops, DiffOp("gap", "…", "")]


def _trim_gaps(ops: tuple[DiffOp, ...]) -> tuple[DiffOp, ...]:
    return ops[:-1] if ops and ops[-1].op == "gap" else ops
