"""``bluebook-bot corpus`` and ``bluebook-bot passage``: inspect the corpus."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from bot.cli.common import EXIT_NOT_FOUND, EXIT_OK, add_corpus_option, emit_json, engine_from
from bot.core.quotes.text import preview
from bot.core.rendering.views import passage_dict
from bot.storage.corpus_files import corpus_problems
from bot.storage.shipped import shipped_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    corpus = sub.add_parser("corpus", help="list documents, passage counts and the cleaning log")
    corpus.add_argument("--json", action="store_true", help="print JSON")
    add_corpus_option(corpus)
    corpus.set_defaults(handler=run_corpus)

    passage = sub.add_parser("passage", help="show one passage with its citation and neighbours")
    passage.add_argument("id", help="passage id, e.g. dbb2025-na.overview.p2")
    passage.add_argument("--json", action="store_true", help="print JSON")
    add_corpus_option(passage)
    passage.set_defaults(handler=run_passage)


def run_corpus(args: argparse.Namespace) -> int:
    corpus = engine_from(args).corpus
    counts = Counter(p.document_id for p in corpus)
    scan = corpus_problems(args.corpus or shipped_dir("corpus"))
    if args.json:
        emit_json({
            "documents": [{"id": d.id, "title": d.meta.title, "edition": d.meta.edition,
                           "period": d.meta.period, "chapter": d.meta.chapter,
                           "section": d.meta.section, "publisher": d.meta.publisher,
                           "credit": d.meta.credit, "source_url": d.meta.source_url,
                           "passages": counts[d.id]} for d in corpus.documents.values()],
            "cleaning": [{"document_id": c.document_id, "line": c.line, "kind": c.kind,
                          "original": c.original, "action": c.action} for c in corpus.cleaning],
            "problems": [str(p) for p in scan.problems],
            "unread": scan.unread,
        })
        return EXIT_OK
    for doc in corpus.documents.values():
        print(f"{doc.id}: {doc.meta.label} ({counts[doc.id]} passages)")
        print(f"    {doc.meta.credit}")
    print(f"\n{len(corpus)} passages in {len(corpus.documents)} documents.")
    if corpus.cleaning:
        print("\nCleaning log (what ingestion removed or repaired):")
        for c in corpus.cleaning:
            where = f"line {c.line}" if c.line else "import"
            print(f"  {c.document_id} {where} [{c.kind}] {preview(c.original, 60)!r}: "
                  f"{c.action}")
    if scan.problems or scan.unread:
        print("\nNot loaded (every other document serves; `bluebook-bot check` exits 2 on "
              "these problems):")
        for line in [*map(str, scan.problems), *scan.unread]:
            print(f"  {line}")
    return EXIT_OK


def run_passage(args: argparse.Namespace) -> int:
    corpus = engine_from(args).corpus
    passage = corpus.get(args.id)
    if passage is None:
        from rapidfuzz import process

        near = [n[0] for n in process.extract(args.id, [p.id for p in corpus], limit=3)]
        message = f"no passage {args.id!r}; did you mean: {', '.join(near)}"
        if args.json:  # every --json command answers in JSON, errors included
            emit_json({"id": args.id, "error": message, "did_you_mean": near})
        print(f"bluebook-bot passage: {message}", file=sys.stderr)
        return EXIT_NOT_FOUND
    before, after = corpus.neighbours(passage.id)
    if args.json:
        emit_json({**passage_dict(passage), "previous": before.id if before else None,
                   "next": after.id if after else None})
        return EXIT_OK
    print(f"{passage.citation}  [{passage.id}]\n\n{passage.text}\n")
    for label, other in (("previous", before), ("next", after)):
        if other:
            print(f"{label}: [{other.id}] {preview(other.text, 90)}")
    for note in passage.cites:
        print(f"footnote: [{note}]")
    if passage.cited_by:
        print(f"cited by: [{passage.cited_by}]")
    return EXIT_OK
