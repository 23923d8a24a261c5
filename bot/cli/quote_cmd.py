"""``bluebook-bot quote``: find where a quotation comes from."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    add_corpus_option,
    clean_text,
    emit_json,
    engine_from,
    input_lines,
)
from bot.core.errors import UserError
from bot.core.rendering.quote_replies import misquote_line

if TYPE_CHECKING:
    from bot.core.quotes.matching import QuoteEngine, QuoteResult
from bot.core.rendering.views import error_dict, quote_dict


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("quote", help="find the passage a quotation comes from",
                            description="Find the passage a (mis)remembered quotation "
                                        "comes from, with its exact words and citation.")
    parser.add_argument("text", help='the quotation, or "-" to read one per line from stdin')
    parser.add_argument("--top", type=int, default=3, metavar="K",
                        help="how many alternative passages to list (default 3)")
    parser.add_argument("--json", action="store_true", help="print JSON (JSON Lines with -)")
    add_corpus_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.top < 0 or args.top > 25:
        message = "--top must be between 0 and 25"
        if args.json:
            emit_json(error_dict(clean_text(args.text), message))
        print(f"bluebook-bot quote: {message}", file=sys.stderr)
        return EXIT_USAGE
    engine = engine_from(args)
    if args.text == "-":
        return _batch(engine, args)
    args.text = clean_text(args.text)
    try:
        result = engine.find(args.text, top=args.top)
    except UserError as exc:
        if args.json:
            emit_json(error_dict(args.text, str(exc)))
        print(f"bluebook-bot quote: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        emit_json(quote_dict(result))
    else:
        print(format_result(result))
    return EXIT_OK if result.found else EXIT_NOT_FOUND


EMPTY_LINE = "Empty line: nothing to look up."


def _batch(engine: QuoteEngine, args: argparse.Namespace) -> int:
    """One query per line in, exactly one JSON object per line out (a blank line
    included), so a script can zip input and output; the corpus loads once."""
    any_found = any_looked_up = False
    for query in input_lines():
        if not query.strip():
            emit_json(error_dict(query, EMPTY_LINE)) if args.json else print(f"! {EMPTY_LINE}")
            continue
        try:
            result = engine.find(query, top=args.top)
        except UserError as exc:
            emit_json(error_dict(query, str(exc))) if args.json else print(f"! {exc}")
            continue
        any_looked_up = True
        any_found |= result.found
        if args.json:
            emit_json(quote_dict(result))
        else:
            print(format_result(result) + "\n")
        sys.stdout.flush()
    if any_found:
        return EXIT_OK
    return EXIT_NOT_FOUND if any_looked_up else EXIT_USAGE  # every line was unusable


def format_result(result: QuoteResult) -> str:
    """The human-readable answer: verdict, exact words, citation, what differs."""
    if result.match is None:
        lines = [f"No match (best score {result.score:.0f}/100)."]
        lines += [f"  {tip}" for tip in result.suggestions]
        return "\n".join(lines)
    m = result.match
    # A changed fact leads, in the error colour when a terminal shows it.
    lead = misquote_line(result)
    if lead and sys.stdout.isatty():
        lead = f"\x1b[1;31m{lead}\x1b[0m"
    lines = [lead] if lead else []
    lines += [f"{result.verdict.upper()} match, score {result.score:.0f}/100",
             f"  “{m.quote}”", f"  — {m.passage.citation}  [{m.passage.id}]"]
    changes = [op for op in result.diff if op.op not in ("equal", "gap")]
    if changes:
        lines.append("  Differences from the source:")
        for op in changes:
            if op.op == "missing":
                lines.append(f"    missing: “{op.source}”")
            elif op.op == "added":
                lines.append(f"    not in the source: “{op.query}”")
            else:
                lines.append(f"    you wrote “{op.query}”, the source says “{op.source}”")
    for alt in result.alternatives:
        lines.append(f"  also ({alt.score:.0f}): {alt.passage.citation}  [{alt.passage.id}]")
    return "\n".join(lines)
