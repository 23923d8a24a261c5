"""Align a quotation with one candidate passage: span, evidence and changed facts.

The quotation is first put into the passage's own forms (:mod:`.variants`), then
each fragment is aligned on normalised words (:mod:`.windows`). Around the span,
the content coverage (:mod:`.coverage`) and the changed facts (:mod:`.misquote`)
complete the evidence the verdict rests on, and :mod:`.spans` shapes the span
the reader sees.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, replace

from bot.core.quotes.change import Change
from bot.core.quotes.corpus import Passage
from bot.core.quotes.coverage import Coverage, content_words, coverage
from bot.core.quotes.misquote import changed_facts, changed_words
from bot.core.quotes.spans import (
    anchored,
    balanced,
    cluster,
    one_sentence,
    reach_rest,
    shave,
    unspill,
)
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
from bot.core.quotes.windows import fragments, layout, sentence_range, sentences_crossed

CHANGE_COST = 8.0  # rank points per changed fact: of two readings, the one with fewer errors
# Below this share of its words in the aligned span, a quotation accepted on content
# was reordered or reworded: its span is rebuilt around the content words found.
REORDERED = 0.8
NAME_FIXED_WORDS = 15  # words a quotation needs for its one changed name to be set apart
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
    laid = layout(source)
    written = [rewrite(p, forms, acronyms) for p in pieces]
    if allowed is None:
        allowed = sentences_crossed(pieces, query_text)
    best = fragments(written, source, starts, allowed, laid)
    defined = [defined_acronyms(p, forms) for p in written]
    if any(defined):  # "the US is ..." against "The United States (U.S.) is ..."
        other = [d or p for d, p in zip(defined, written, strict=True)]
        alt = fragments(other, source, starts, allowed, laid)
        if alt[0] > best[0]:
            best, written = alt, other
    # "the Japan-United States alliance", where the passage writes "the United States"
    # in one sentence and "Japan-U.S." in another: both readings are aligned.
    contracted = [rewrite(p, forms, acronyms, contract=True) for p in pieces] \
        if expands(pieces, forms) else written
    if contracted != written:
        alt = fragments(contracted, source, starts, allowed, laid)
        if alt[0] > best[0]:
            best, written = alt, contracted
    score, windows = best
    if len(written) == 1 and starts:
        score, windows = anchored(written, source, starts, allowed, score, windows, weight)
    flat = [t.norm for piece in written for t in piece]
    n = len(flat)
    lo, hi = min(i for i, _ in windows), max(j for _, j in windows)
    context = _sentences(source, starts, lo, hi)
    changes = tuple(c for piece, raw, (i, j) in zip(written, query_text, windows, strict=True)
                    for c in changed_facts(piece, raw, source[i:j], text, context, known))
    pairs: Pieces = tuple((p, source[i:j]) for p, (i, j) in zip(written, windows, strict=True))
    plain = evidence(pairs, round(score, 1))
    # A changed figure or date is judged apart (misquote_plausible): the content is
    # the rest, with the source's figure in its place. A changed name only in a long
    # quotation with nothing else changed, typed as a name: a short sentence about
    # another country is another sentence more often than not.
    figures = [c for c in changes if c.kind in ("number", "date")
               or (c.kind == "name" and len(changes) == 1 and c.query[:1].isupper()
                   and n >= NAME_FIXED_WORDS)]
    counted = [t.norm for p in written for t in _fix(p, figures)] if figures else flat
    if by_characters(plain) and not changes:
        # Accepted on characters: coverage would change nothing but the ranking,
        # where the share of words in the span stands in for it at no cost.
        cov = Coverage(plain.recall, len(content_words(flat)), 0, ())
    else:
        reach = 3 * n  # "near the span": a few times the quotation's length
        cov = coverage(counted, source, max(lo - reach, 0), min(hi + reach, len(source)),
                       weight)
    # All of it inside the span's own sentences, not just near: a paraphrase of one
    # sentence, where a sentence that borrows words finds them in its neighbours.
    within = cov.share >= COVER_FULL and coverage(
        counted, source, *sentence_range(starts, lo, hi, len(source)), weight
    ).share >= COVER_FULL
    changed = changed_words(changes)
    ev = replace(plain, coverage=cov.share, content=cov.content, changed=changed,
                 in_sentence=within)
    if changes:
        # Judge the rest of the quotation as if the facts were right: a misquote
        # is found so that its error can be shown.
        # A name of two words or more only in a long quotation: a short sentence that
        # borrows a phrase of the passage may pair its own subject ("AUKUS Pillar II")
        # with any name nearby, and would then read as a misquote of it.
        fixed = [_fix(p, [c for c in changes if n >= NAME_FIXED_WORDS or c.kind != "name"
                          or len(tokenize(c.query)) == 1]) for p in written]
        fscore, fwin = fragments(fixed, source, starts, allowed, laid)
        fpairs = tuple((p, source[i:j]) for p, (i, j) in zip(fixed, fwin, strict=True))
        ev = replace(evidence(fpairs, round(fscore, 1), cov.share, cov.content, changed),
                     in_sentence=within)
    verdict = judge(ev)
    if (verdict != "none" and not by_characters(ev) and cov.found and len(written) == 1
            and ev.recall < REORDERED):
        # Accepted on content: the span runs over the content words found,
        # within the sentences the alignment chose.
        keep = sentence_range(starts, lo, hi, len(source))
        inside = [f for f in cov.found if keep[0] <= f < keep[1]]
        if inside:
            lo, hi = cluster(inside, lo, hi)
            if sum(1 for b in starts if lo < b < hi) > allowed[0]:
                lo, hi = one_sentence(inside, starts, lo, hi)
            pairs = ((written[0], source[lo:hi]),)
    if verdict != "none" and len(written) == 1:
        widened = reach_rest(written[0], source, starts, lo, hi)
        shaved = unspill(*shave(written[0], source, *widened), starts, allowed[0])
        if shaved != (lo, hi):
            lo, hi = shaved
            pairs = ((written[0], source[lo:hi]),)
    start, end = balanced(text, source[lo].start, source[hi - 1].end) if source else (0, 0)
    return Aligned(passage, start, end, round(score, 1), pairs, ev, verdict, changes)


def _fix(piece: list[Token], changes: Sequence[Change]) -> list[Token]:
    """*piece* with each changed fact put back as the source has it: the rest of the
    quotation is judged as if the facts were right."""
    swaps = [([t.norm for t in tokenize(c.query)], [t.norm for t in tokenize(c.source)])
             for c in changes]
    out: list[Token] = []
    i = 0
    while i < len(piece):
        t = piece[i]
        for q, src in swaps:
            if q and [w.norm for w in piece[i:i + len(q)]] == q:
                out.extend(Token(w, t.start, piece[i + len(q) - 1].end) for w in src)
                i += len(q)
                break
        else:
            out.append(t)
            i += 1
    return out


def _sentences(source: list[Token], starts: frozenset[int], lo: int, hi: int) -> list[Token]:
    a, b = sentence_range(starts, lo, hi, len(source))
    return source[a:b]
