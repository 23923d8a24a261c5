"""``bluebook-bot scan``: check every quotation in a text (an article draft, a chat
export, minutes), the same check inline lookups make in Discord."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app.inline import check_text
from bot.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    add_corpus_option,
    emit_json,
    engine_from,
)
from bot.core.inline.answer import Checked, all_right, verdict_label
from bot.core.quotes.diff import DiffOp
from bot.core.rendering.views import error_dict, quote_dict

MAX_INPUT_BYTES = 20 * 1024 * 1024  # a long report is a few MB; past this it is not prose


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "scan", help="check every quotation in a text",
        description="Check every quotation in a text: [[...]], quoted sentences of 8 words "
                    "or more, and > quoted lines. Exit 0 when every one is right, 1 when any "
                    "is a misquote or not found, 2 on bad input.")
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help='the text to check (default "-": standard input)')
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per quotation (quote --json keys, line, column)")
    add_corpus_option(parser)
    parser.set_defaults(handler=run)


def _read(name: str) -> str | None:
    """The text, or None after saying on stderr why it cannot be read."""
    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with Path(name).open("rb") as f:
                data = f.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        print(f"bluebook-bot scan: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
        return None
    if len(data) > MAX_INPUT_BYTES:
        print(f"bluebook-bot scan: {name}: over {MAX_INPUT_BYTES // (1024 * 1024)} MB; "
              "split it", file=sys.stderr)
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        print(f"bluebook-bot scan: {name}: line {line}: not UTF-8 text", file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    text = _read(args.file)
    if text is None:
        return EXIT_USAGE
    engine = engine_from(args)
    checked = check_text(engine, text, "quotes", limit=None)
    for c in checked:
        if args.json:
            emit_json(as_json(c))
        else:
            print(format_line(c))
    if not checked:
        print("bluebook-bot scan: no quotations found ([[...]], “…” of 8+ words, > lines)",
              file=sys.stderr)
    return EXIT_OK if all_right(checked) else EXIT_NOT_FOUND


def as_json(c: Checked) -> dict[str, object]:
    base = (quote_dict(c.result) if c.result is not None
            else error_dict(c.quotation.text, c.error))
    return {**base, "line": c.quotation.line, "column": c.quotation.column}


def _difference(op: DiffOp) -> str:
    if op.op == "missing":
        return f"missing “{op.source}”"
    if op.op == "added":
        return f"not in the source “{op.query}”"
    return f"“{op.query}” → “{op.source}”"


def format_line(c: Checked) -> str:
    """``LINE:COL  VERDICT  citation [id]  differs: …``: one quotation on one line."""
    q = c.quotation
    where = f"{q.line}:{q.column}"
    r = c.result
    if r is None:
        return f"{where}\terror\t{c.error}"
    if r.match is None:
        return f"{where}\tnot found\t“{' '.join(q.text.split()[:12])}”"
    m = r.match
    line = f"{where}\t{verdict_label(r)}\t{m.passage.citation} [{m.passage.id}]"
    changes = [_difference(op) for op in r.diff if op.op not in ("equal", "gap")]
    if changes:
        line += "\tdiffers: " + "; ".join(changes)
    return line
