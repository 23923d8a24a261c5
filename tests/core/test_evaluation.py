"""The public evaluation set is the measure of quote lookup (issue #9).

The reported set (tests/eval/seed_quotes.yaml) was written before any tuning; the
engine is tuned on tests/eval/dev_quotes.yaml (the README says where the reported
set's misses were seen while working, so it is no longer a blind measure)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.cli.eval_cmd import DEFAULT_SET, load_set
from bot.core.quotes.evaluation import FLOOR_FOUND, EvalReport, Outside, evaluate
from bot.core.quotes.matching import QuoteEngine

DEV_SET = DEFAULT_SET.with_name("dev_quotes.yaml")
KINDS = ("fragment", "reorder", "drop", "abbreviation", "spelling", "number", "hyphen",
         "synonym", "paraphrase")


def test_the_reported_set_covers_every_passage_and_kind(engine: QuoteEngine) -> None:
    quotes, outside = load_set(DEFAULT_SET)
    covered = {pid for q in quotes for pid in q.passages}
    paragraphs = {p.id for p in engine.corpus if p.kind in ("paragraph", "footnote", "caption")}
    assert paragraphs <= covered
    kinds = Counter(q.kind for q in quotes)
    assert sum(n for k, n in kinds.items() if k != "misquote") >= 150
    assert all(kinds[k] >= 10 for k in KINDS), kinds
    assert kinds["misquote"] >= 20 and all(q.changed for q in quotes if q.kind == "misquote")
    short = [o for o in outside if isinstance(o, Outside) and o.kind == "short"]
    assert len(outside) >= 60 and len(short) >= 20
    assert all(4 <= len(o.query.split()) <= 8 for o in short)
    noise = {kind for q in quotes for kind in q.noise}
    assert {"typo", "drop", "add", "swap", "case", "punctuation", "hyphen", "fragment",
            "ellipsis"} <= noise


def test_the_dev_set_is_separate(engine: QuoteEngine) -> None:
    dev, dev_outside = load_set(DEV_SET)
    reported, _ = load_set(DEFAULT_SET)
    # Case and punctuation aside: "Japan-US" and "Japan-U.S." are one quotation.
    def plain(text: str) -> str:
        return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())

    assert not {plain(q.query) for q in dev} & {plain(q.query) for q in reported}
    assert len(dev) >= 40 and len(dev_outside) >= 15


@pytest.fixture(scope="module")
def report(engine: QuoteEngine) -> EvalReport:
    quotes, outside = load_set(DEFAULT_SET)
    return evaluate(engine, quotes, outside)


def test_no_outside_sentence_is_found_and_misquotes_are_flagged(report: EvalReport) -> None:
    assert report.false_matches == 0, report.false
    assert report.false_flags == 0, report.misses


def test_quote_lookup_accuracy_floor(report: EvalReport) -> None:
    """Issue #9's floor: 97 % found, 90 % of spans right, every misquote flagged, no
    outside sentence found."""
    assert report.top1 >= FLOOR_FOUND, report.misses
    assert report.flagged == report.misquotes, report.misses
    assert report.meets_floor, report.as_dict()


def test_the_accuracy_does_not_fall_below_todays(report: EvalReport) -> None:
    """A ratchet at today's measured figures, so no change makes them worse."""
    assert report.top1 >= 178 / 180, report.misses
    assert report.spans_right >= 118 and report.span_rate >= 0.90, report.misses


@pytest.fixture(scope="module")
def dev_report(engine: QuoteEngine) -> EvalReport:
    quotes, outside = load_set(DEV_SET)
    return evaluate(engine, quotes, outside)


def test_the_dev_set_does_not_fall_below_todays(dev_report: EvalReport) -> None:
    """The development set too: it holds more of what the engine is bad at."""
    assert dev_report.false_matches == 0, dev_report.false
    assert dev_report.false_flags == 0, dev_report.misses
    assert dev_report.correct >= 236, dev_report.misses
    assert dev_report.flagged >= 79, dev_report.misses
