"""``bluebook-bot import SOURCE...``: HTML pages, PDFs, text files or URLs into a corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import EXIT_OK, EXIT_USAGE, emit_json, shipped_dir
from bot.core.errors import ContentError, Problem
from bot.fetching.http import Fetcher
from bot.storage.corpus_import import Imported, Options, import_source, is_url, section_links
from bot.storage.index_cache import default_cache_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import", help="import HTML pages, PDFs, text files or URLs into the corpus",
        description="Write each source as a UTF-8 .txt in the corpus's plain format and add "
                    "or update its entry in corpus.yaml. The sources are never modified.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="a .html/.htm, .pdf or .txt file, or an http(s) URL")
    parser.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                        help="corpus folder to write to (default: the shipped corpus)")
    parser.add_argument("--id", dest="doc_id", default=None, metavar="ID",
                        help="document id (one source only; default: from the page)")
    parser.add_argument("--edition", type=int, default=None, metavar="YEAR",
                        help="edition year, where the page does not say it")
    parser.add_argument("--title", default=None, metavar="TEXT", help="document title")
    parser.add_argument("--crawl", action="store_true",
                        help="a URL is a table of contents: import the section pages it links "
                             "to on the same host and path")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def _progress(done: int, total: int, label: str) -> None:
    if not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} "
                     f"{label[-40:]:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _expand(args: argparse.Namespace, fetcher: Fetcher, problems: list[Problem]) -> list[str]:
    if not args.crawl:
        return list(args.sources)
    pages: list[str] = []
    for source in args.sources:
        if not is_url(source):
            problems.append(Problem(source, None, "--crawl", "crawl needs an http(s) URL"))
            continue
        try:
            toc = fetcher.get(source)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        links = section_links(source, toc.data)
        if not links:
            problems.append(Problem(source, None, "--crawl",
                                    "no links to pages under the same path"))
        pages += [link for link in links if link not in pages]
    return pages


def _print(done: Imported) -> None:
    verb = "updated" if done.updated else "wrote"
    print(f"{verb} {done.file} ({done.id}: {done.meta.label}, {done.passages} passages) "
          f"from {done.source}")
    for c in done.cleaning:
        print(f"  cleaned [{c['kind']}] {c['original'][:60]!r}: {c['action']}")


def run(args: argparse.Namespace) -> int:
    folder = args.corpus or shipped_dir("corpus")
    fetcher = Fetcher(default_cache_dir() / "fetch")
    problems: list[Problem] = []
    sources = _expand(args, fetcher, problems)
    if args.doc_id and len(sources) > 1:
        problems.append(Problem("--id", None, "", "--id names one document; give one source"))
        sources = []
    options = Options(args.doc_id, args.edition, args.title)
    imported: list[Imported] = []
    for i, source in enumerate(sources, start=1):
        try:
            done = import_source(folder, source, options, fetcher)
        except ContentError as exc:
            problems.extend(exc.problems)
        else:
            imported.append(done)
            if not args.json:
                _print(done)
        if args.crawl:
            _progress(i, len(sources), source)
    if args.json:
        emit_json({"documents": [{
            "id": d.id, "file": str(d.file), "source": d.source, "title": d.meta.title,
            "edition": d.meta.edition, "chapter": d.meta.chapter, "section": d.meta.section,
            "passages": d.passages, "updated": d.updated, "cleaning": d.cleaning}
            for d in imported], "problems": [str(p) for p in problems]})
    for problem in problems:
        print(f"bluebook-bot import: {problem}", file=sys.stderr)
    return EXIT_USAGE if problems else EXIT_OK
