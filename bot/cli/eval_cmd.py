"""``bluebook-bot eval``: print the quote engine's accuracy on an evaluation set."""

from __future__ import annotations

import argparse
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    add_corpus_option,
    emit_json,
    engine_from,
)
from bot.core.errors import ContentError
from bot.core.quotes.evaluation import CLASSIC, EvalQuote, Outside, evaluate
from bot.storage.shipped import shipped_eval_set
from bot.storage.yamlfile import pydantic_problems, read_yaml

DEFAULT_SET = shipped_eval_set()  # the checkout's, or the installed package data


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str
    source: str
    kind: str = "word"


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str
    passage: str | list[str]
    noise: list[str] = Field(default_factory=list)
    kind: str = CLASSIC
    span: str | None = None
    changed: list[_Change] = Field(default_factory=list)


class _Outside(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str
    kind: str = "long"


class _EvalSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quotes: list[_Item]
    outside: list[str | _Outside] = Field(default_factory=list)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("eval", help="measure quote lookup accuracy on an evaluation set")
    parser.add_argument("set", nargs="?", type=Path, default=DEFAULT_SET,
                        help="evaluation YAML (default: tests/eval/seed_quotes.yaml)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_corpus_option(parser)
    parser.set_defaults(handler=run)


def load_set(path: Path) -> tuple[list[EvalQuote], list[str | Outside]]:
    data, lines = read_yaml(path)
    try:
        parsed = _EvalSet.model_validate(data)
    except ValidationError as exc:
        raise ContentError(pydantic_problems(exc, str(path), lines)) from exc
    quotes = [EvalQuote(i.query, tuple([i.passage] if isinstance(i.passage, str) else i.passage),
                        tuple(i.noise), i.kind, i.span,
                        tuple((c.query, c.source) for c in i.changed)) for i in parsed.quotes]
    outside: list[str | Outside] = [o if isinstance(o, str) else Outside(o.query, o.kind)
                                    for o in parsed.outside]
    return quotes, outside


def run(args: argparse.Namespace) -> int:
    quotes, outside = load_set(args.set)
    report = evaluate(engine_from(args), quotes, outside)
    if args.json:
        emit_json(report.as_dict())
    else:
        print(f"top-1 accuracy: {report.correct}/{report.quotes} = {report.top1:.1%}")
        for kind, score in sorted(report.kinds.items()):
            print(f"  {kind:<13} {score.correct:>3}/{score.quotes:<3} "
                  f"{score.correct / score.quotes:.0%}")
        print(f"spans right: {report.spans_right}/{report.spans} = {report.span_rate:.1%}")
        print(f"misquotes flagged: {report.flagged}/{report.misquotes}"
              f" (faithful quotations flagged: {report.false_flags})")
        print(f"false matches on outside sentences: {report.false_matches}/{report.outside}")
        print("floor (97 % found, 90 % spans, every misquote, no false match): "
              + ("held" if report.meets_floor else "NOT held"))
        for line in report.misses:
            print(f"  miss: {line}")
        for line in report.false:
            print(f"  false match: {line}")
    # 0 when the set's floor holds (found, spans, misquotes, no false match).
    return EXIT_OK if report.meets_floor else EXIT_NOT_FOUND
