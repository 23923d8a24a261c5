"""The public evaluation set holds a floor: top-1 >= 95 %, no false match outside."""

from __future__ import annotations

from bot.cli.eval_cmd import DEFAULT_SET, load_set
from bot.core.quotes.evaluation import evaluate
from bot.core.quotes.matching import QuoteEngine


def test_the_evaluation_set_covers_every_paragraph_and_noise_kind(engine: QuoteEngine) -> None:
    quotes, outside = load_set(DEFAULT_SET)
    assert len(quotes) >= 40 and len(outside) >= 15
    covered = {pid for q in quotes for pid in q.passages}
    paragraphs = {p.id for p in engine.corpus if p.kind in ("paragraph", "footnote", "caption")}
    assert paragraphs <= covered
    kinds = {kind for q in quotes for kind in q.noise}
    assert {"typo", "drop", "add", "swap", "case", "punctuation", "hyphen", "fragment",
            "ellipsis"} <= kinds


def test_quote_lookup_accuracy_floor(engine: QuoteEngine) -> None:
    quotes, outside = load_set(DEFAULT_SET)
    report = evaluate(engine, quotes, outside)
    assert report.top1 >= 0.95, report.misses
    assert report.false_matches == 0, report.false
