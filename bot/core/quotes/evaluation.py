"""Score the quote engine against a labelled evaluation set (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.errors import UserError
from bot.core.quotes.matching import QuoteEngine


@dataclass(frozen=True, slots=True)
class EvalQuote:
    query: str
    passages: tuple[str, ...]  # any of these is a right answer
    noise: tuple[str, ...] = ()


@dataclass(slots=True)
class EvalReport:
    quotes: int = 0
    correct: int = 0
    outside: int = 0
    false_matches: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return self.correct / self.quotes if self.quotes else 0.0

    def as_dict(self) -> dict[str, object]:
        return {"quotes": self.quotes, "correct": self.correct, "top1": round(self.top1, 4),
                "outside": self.outside, "false_matches": self.false_matches,
                "misses": self.misses, "false": self.false}


def evaluate(engine: QuoteEngine, quotes: Sequence[EvalQuote],
             outside: Sequence[str]) -> EvalReport:
    """Top-1 accuracy (right passage *and* accepted) and false matches on outside sentences."""
    report = EvalReport(quotes=len(quotes), outside=len(outside))
    for item in quotes:
        try:
            result = engine.find(item.query)
        except UserError as exc:
            report.misses.append(f"{item.query!r}: {exc}")
            continue
        if result.match is not None and result.match.passage.id in item.passages:
            report.correct += 1
        else:
            got = result.match.passage.id if result.match else "none"
            report.misses.append(f"{item.query!r}: expected {'/'.join(item.passages)}, "
                                 f"got {got} ({result.verdict} {result.score:.0f})")
    for sentence in outside:
        result = engine.find(sentence)
        if result.found and result.match is not None:
            report.false_matches += 1
            report.false.append(f"{sentence!r} -> {result.match.passage.id} "
                                f"({result.verdict} {result.score:.0f})")
    return report
