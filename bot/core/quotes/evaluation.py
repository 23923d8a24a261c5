"""Score the quote engine against a labelled evaluation set (pure).

A quotation counts as *found* when the accepted match is one of its passages; a
misquote must also be flagged (``result.misquote``). Where the item gives the
``span`` of the source it quotes, the span is *right* when the engine's span
lies inside it (at least :data:`SPAN_INSIDE` of its characters) and covers at least
:data:`SPAN_COVERS` of it: no spill into words the quotation does not quote, and
not a stray corner of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.errors import UserError
from bot.core.quotes.matching import QuoteEngine

# The floor the shipped set must hold (issue #9); `bluebook-bot eval` exits 1 below it.
FLOOR_FOUND = 0.97
FLOOR_SPANS = 0.90
SPAN_INSIDE = 0.85
SPAN_COVERS = 0.5
CLASSIC = "classic"


@dataclass(frozen=True, slots=True)
class EvalQuote:
    query: str
    passages: tuple[str, ...]  # any of these is a right answer
    noise: tuple[str, ...] = ()
    kind: str = CLASSIC
    span: str | None = None  # the source words it quotes, verbatim
    changed: tuple[tuple[str, str], ...] = ()  # (query, source) facts, for a misquote

    @property
    def misquote(self) -> bool:
        return self.kind == "misquote" or bool(self.changed)


@dataclass(frozen=True, slots=True)
class Outside:
    query: str
    kind: str = "long"


@dataclass(slots=True)
class KindScore:
    quotes: int = 0
    correct: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"quotes": self.quotes, "correct": self.correct}


@dataclass(slots=True)
class EvalReport:
    quotes: int = 0
    correct: int = 0
    outside: int = 0
    false_matches: int = 0
    spans: int = 0  # items with a span to check
    spans_right: int = 0
    misquotes: int = 0
    flagged: int = 0
    false_flags: int = 0  # faithful quotations reported as misquoted
    kinds: dict[str, KindScore] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return self.correct / self.quotes if self.quotes else 0.0

    @property
    def span_rate(self) -> float:
        return self.spans_right / self.spans if self.spans else 1.0

    @property
    def meets_floor(self) -> bool:
        """>= 97 % found, >= 90 % of spans right, every misquote flagged, no false match."""
        return (self.top1 >= FLOOR_FOUND and self.span_rate >= FLOOR_SPANS
                and self.flagged == self.misquotes and self.false_matches == 0)

    def as_dict(self) -> dict[str, object]:
        return {"meets_floor": self.meets_floor, "quotes": self.quotes, "correct": self.correct,
                "top1": round(self.top1, 4), "span_rate": round(self.span_rate, 4),
                "outside": self.outside, "false_matches": self.false_matches,
                "spans": self.spans, "spans_right": self.spans_right,
                "misquotes": self.misquotes, "misquotes_flagged": self.flagged,
                "false_flags": self.false_flags,
                "kinds": {k: v.as_dict() for k, v in sorted(self.kinds.items())},
                "misses": self.misses, "false": self.false}


def span_right(got: tuple[int, int], want: tuple[int, int]) -> bool:
    inter = max(0, min(got[1], want[1]) - max(got[0], want[0]))
    return (inter >= SPAN_INSIDE * max(got[1] - got[0], 1)
            and inter >= SPAN_COVERS * max(want[1] - want[0], 1))


def evaluate(engine: QuoteEngine, quotes: Sequence[EvalQuote],
             outside: Sequence[str | Outside]) -> EvalReport:
    """Top-1 accuracy (right passage, accepted, a misquote flagged), spans, and false
    matches on outside sentences."""
    report = EvalReport(quotes=len(quotes), outside=len(outside))
    for item in quotes:
        score = report.kinds.setdefault(item.kind, KindScore())
        score.quotes += 1
        report.misquotes += item.misquote
        try:
            result = engine.find(item.query)
        except UserError as exc:
            report.misses.append(f"[{item.kind}] {item.query!r}: {exc}")
            continue
        m = result.match
        if m is None or m.passage.id not in item.passages:
            got = m.passage.id if m else "none"
            report.misses.append(f"[{item.kind}] {item.query!r}: expected "
                                 f"{'/'.join(item.passages)}, got {got} "
                                 f"({result.verdict} {result.score:.0f})")
            continue
        if item.misquote and not result.misquote:
            report.misses.append(f"[{item.kind}] {item.query!r}: found, not flagged "
                                 f"({result.verdict} {result.score:.0f})")
            continue
        report.flagged += item.misquote
        if result.misquote and not item.misquote:
            report.false_flags += 1
            report.misses.append(f"[{item.kind}] {item.query!r}: flagged as a misquote: "
                                 + ", ".join(f"{c.query}->{c.source}" for c in result.changed))
        report.correct += 1
        score.correct += 1
        if item.span is not None:
            report.spans += 1
            at = m.passage.text.find(item.span)
            if at >= 0 and span_right((m.start, m.end), (at, at + len(item.span))):
                report.spans_right += 1
            else:
                report.misses.append(f"[{item.kind}] {item.query!r}: span {m.quote!r}")
    for entry in outside:
        sentence = entry.query if isinstance(entry, Outside) else entry
        result = engine.find(sentence)
        if result.found and result.match is not None:
            report.false_matches += 1
            report.false.append(f"{sentence!r} -> {result.match.passage.id} "
                                f"({result.verdict} {result.score:.0f})")
    return report
