"""The acceptance decision: is this quotation really from that passage?

Precision comes first: a sentence that is not in the corpus must come back
``none``. Character similarity alone cannot decide that for short quotations, so
the decision also asks how many of the quotation's words the span really has,
with stricter bars for shorter quotations (few words match by chance more easily).

The bars for 8 words and more were calibrated on evidence (issue #6): noisy
quotations of a 68 MB archive and as many noisy sentences held back from it, a
calibration split separate from the benchmark's test queries (``python -m
bench.calibrate``). Below 8 words the bars stay the strict,
hand-set ones that the shipped evaluation set checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.core.quotes.diff import word_stats
from bot.core.quotes.text import Token

Verdict = Literal["exact", "close", "partial", "none"]


@dataclass(frozen=True, slots=True)
class Bar:
    """The least a quotation of up to ``max_words`` words must reach to be accepted."""

    max_words: int
    score: float  # character similarity of the aligned span, 0-100
    recall: float  # share of the quotation's words found in the span
    precision: float  # share of the span's words that the quotation has


# Calibration split, full archive (483 real, 491 held-back queries of 8-40 words):
# these bars accept 95.5 % of the real quotes with the right span and 0.2 % of the
# held-back ones. The fitted optimum (``python -m bench.calibrate``) sat right at
# the last fake; the bars here keep a margin from it.
# Real quotes score 85+ almost always; held-back ones rarely pass 80, but a few
# long ones reach 84 on formulaic dictionary wording, hence the score bar of 85.
_BARS: tuple[Bar, ...] = (
    Bar(5, 90.0, 0.80, 0.80),  # hand-set; checked by the shipped evaluation set
    Bar(7, 84.0, 0.75, 0.70),  # hand-set; checked by the shipped evaluation set
    Bar(10, 85.0, 0.70, 0.70),
    Bar(15, 84.0, 0.65, 0.55),
    Bar(25, 80.0, 0.60, 0.50),  # no held-back sentence of 16-25 words passed 76.5
    Bar(10**9, 85.0, 0.65, 0.55),
)
CLOSE_SCORE = 90.0
CLOSE_RECALL = 0.85

# The content path (issue #9): reordered clauses, dropped list items, synonyms and
# paraphrases keep the quotation's rare words near the span even when the
# characters align poorly. Its bars were set on tests/eval/dev_quotes.yaml and on
# the calibration split of the 10 MB archive benchmark (never its test split): on
# held-back sentences of 9+ words, formulaic text (verses, definitions) finds its
# content words in a neighbouring passage, so longer quotations need characters
# that align better (COVER_SCORE, rising COVER_SLOPE a word up to COVER_CAP) and
# nearly all of their content (COVER_SHARE).
COVER_MIN_CONTENT = 3  # content words the quotation must have (SHORT words or fewer)
COVER_MIN_CONTENT_LONG = 4
COVER_SHARE = 0.90  # rarity-weighted share of them found near the span
COVER_SHARE_SHORT = 0.95  # for quotations of up to SHORT words: all of them, near enough
SHORT = 7
COVER_SCORE = 60.0  # the characters must still resemble the span this much...
COVER_SLOPE = 1.5  # ...and this much more for every word over 8...
COVER_CAP = 80.0  # ...up to this
# Every content word there (synonyms included): the characters of a quotation longer
# than SHORT may resemble the span less, as they do when a clause is reordered, and
# less again when every content word is inside the span's own sentence(s): a
# paraphrase of one sentence. Set on dev_quotes.yaml; on the 70 MB benchmark's
# calibration split they let no more held-back sentences through.
COVER_FULL = 0.97
COVER_FULL_RELIEF = 8.0
SENTENCE_RELIEF = 8.0
MISQUOTE_KEPT = 3


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the decision rests on, for one aligned quotation."""

    words: int
    score: float
    recall: float
    precision: float
    identical: bool
    coverage: float = 0.0  # rarity-weighted share of the content words near the span
    content: int = 0  # content words in the quotation
    changed: int = 0  # facts (figures, dates, names) the quotation changes
    in_sentence: bool = False  # every content word within the span's own sentence(s)


def evidence(pieces: Sequence[tuple[Sequence[Token], Sequence[Token]]],
             score: float, coverage: float = 0.0, content: int = 0,
             changed: int = 0) -> Evidence:
    """The evidence for aligned (query words, source words) pairs with combined *score*."""
    stats = [word_stats([t.norm for t in q], [t.norm for t in s]) for q, s in pieces]
    words = sum(st.query_words for st in stats)
    span_words = sum(st.source_words for st in stats)
    matched = sum(st.matched for st in stats)
    return Evidence(words, score, matched / words if words else 0.0,
                    matched / span_words if span_words else 0.0,
                    bool(stats) and all(st.identical for st in stats),
                    coverage, content, changed)


def bar_for(words: int) -> Bar:
    return next(bar for bar in _BARS if words <= bar.max_words)


def by_characters(ev: Evidence) -> bool:
    """The calibrated bars: similar characters and most of the words in the span."""
    bar = bar_for(ev.words)
    return ev.score >= bar.score and ev.recall >= bar.recall and ev.precision >= bar.precision


def by_content(ev: Evidence) -> bool:
    """The content path: the quotation's rare words are all near the span."""
    short = ev.words <= SHORT
    share = COVER_SHARE_SHORT if short else COVER_SHARE
    least = COVER_MIN_CONTENT if short else COVER_MIN_CONTENT_LONG
    floor = min(COVER_CAP, COVER_SCORE + COVER_SLOPE * max(ev.words - 8, 0))
    if ev.coverage >= COVER_FULL and not short:
        floor -= COVER_FULL_RELIEF + (SENTENCE_RELIEF if ev.in_sentence else 0.0)
    return ev.content >= least and ev.coverage >= share and ev.score >= floor


def misquote_plausible(ev: Evidence) -> bool:
    """A misquote keeps most of its content words: at most a third of them changed,
    and at least MISQUOTE_KEPT right, or it is another sentence, not a misquote."""
    return ev.changed <= max(1, ev.content // 3) and ev.content - ev.changed >= MISQUOTE_KEPT


def judge(ev: Evidence) -> Verdict:
    if ev.identical and ev.words and not ev.changed:
        return "exact"
    if ev.words == 0 or ev.precision == 0:
        return "none"
    if not (by_characters(ev) or by_content(ev)):
        return "none"
    if ev.changed and not misquote_plausible(ev):
        return "none"
    if ev.changed:
        return "partial"  # a changed fact is never a close match
    if ev.score >= CLOSE_SCORE and ev.recall >= CLOSE_RECALL and ev.precision >= CLOSE_RECALL:
        return "close"
    return "partial"


def decide(pieces: Sequence[tuple[Sequence[Token], Sequence[Token]]], score: float) -> Verdict:
    """The verdict for aligned (query words, source words) pairs with combined *score*."""
    return judge(evidence(pieces, score))
