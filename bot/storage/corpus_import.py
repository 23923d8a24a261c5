"""``bluebook-bot import``'s work: a source (file or URL) in, a corpus document out.

The source is read (never modified), parsed by a reader (:mod:`bot.readers`),
written as UTF-8 in the corpus's plain format to ``DIR/ID.txt``, and its entry in
``DIR/corpus.yaml`` is added or updated. Importing the same source again keeps
its id, so passages whose text did not change keep theirs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from bot.core.errors import ContentError, Problem
from bot.core.quotes.corpus import DocumentMeta
from bot.core.quotes.ingest import parse_document, slug
from bot.fetching.http import Fetcher
from bot.readers.blocks import Reading, plain_text
from bot.readers.html import page_links, read_html
from bot.readers.pdf import read_pdf
from bot.readers.text import read_text
from bot.storage.corpus_files import MAX_FILE_BYTES, meta_from_filename, read_regular_file
from bot.storage.corpus_manifest import read_entries, upsert, write_entries
from bot.storage.files import write_atomically

MAX_CRAWL = 500  # section pages followed from one table of contents, at most
_KINDS = {".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".txt": "text"}


@dataclass(slots=True)
class Options:
    doc_id: str | None = None
    edition: int | None = None
    title: str | None = None


@dataclass(slots=True)
class Imported:
    """What one import wrote, for the report."""

    id: str
    file: Path
    source: str
    meta: DocumentMeta
    passages: int
    updated: bool
    cleaning: list[dict[str, str]] = field(default_factory=list)


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def _kind(name: str, content_type: str, data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-") or content_type == "application/pdf":
        return "pdf"
    if content_type in ("text/html", "application/xhtml+xml") or head.startswith(
            (b"<!doctype html", b"<html")) or b"<html" in head:
        return "html"
    suffix = PurePosixPath(name).suffix.casefold()
    if suffix in _KINDS:
        return _KINDS[suffix]
    # Anything else is imported as text only if it is text: a .docx is a zip file.
    if (content_type.startswith("text/") or not content_type) and b"\0" not in data[:8192]:
        return "text"
    raise ContentError([Problem(name, None, "", f"cannot import {content_type or suffix} "
                                                "(HTML, PDF and plain text can be)")])


def _read(source: str, fetcher: Fetcher | None) -> tuple[bytes, str, str | None]:
    """The source's bytes, its kind and the charset its server declared."""
    if is_url(source):
        if fetcher is None:
            raise ContentError([Problem(source, None, "", "URLs need a fetcher")])
        got = fetcher.get(source)
        return got.data, _kind(urlsplit(source).path, got.content_type, got.data), got.charset
    path = Path(source)
    if not path.exists():
        raise ContentError([Problem(source, None, "", "no such file")])
    data = read_regular_file(path, MAX_FILE_BYTES)
    return data, _kind(path.name, "", data), None


def parse_source(data: bytes, kind: str, charset: str | None, name: str) -> tuple[str, Reading]:
    """The plain text of a document and what the reader found out about it."""
    try:
        if kind == "pdf":
            reading = read_pdf(data)
        elif kind == "html":
            reading = read_html(data, charset)
        else:
            return read_text(data)
    except ContentError:
        raise
    except Exception as exc:  # a damaged PDF or page: name it, never crash
        raise ContentError([Problem(name, None, "", f"cannot read this {kind}: {exc}")]) from exc
    if not reading.blocks:
        raise ContentError([Problem(name, None, "", f"no text found in this {kind}")])
    return plain_text(reading), reading


def _summary(reading: Reading) -> list[dict[str, str]]:
    """The reader's cleanings, one entry per kind of cleaning with a count."""
    counts = Counter((kind, action) for kind, _, action in reading.cleaning)
    first: dict[tuple[str, str], str] = {}
    for kind, original, action in reading.cleaning:
        first.setdefault((kind, action), original)
    return [{"kind": kind, "original": first[(kind, action)],
             "action": action if n == 1 else f"{action} ({n} times)"}
            for (kind, action), n in counts.items()]


def _derived_id(source: str, reading: Reading) -> str:
    if reading.edition and reading.section:
        return f"dbb{reading.edition}-{slug(reading.section)}"[:64].strip("-")
    name = PurePosixPath(urlsplit(source).path if is_url(source) else Path(source).name)
    return slug(name.stem or urlsplit(source).netloc)[:64].strip("-") or "document"


def _choose_id(source: str, reading: Reading, options: Options,
               entries: list[dict[str, Any]], folder: Path) -> str:
    for entry in entries:
        if entry.get("imported_from") == source:
            return str(entry["id"])  # a re-import: the same id, the same passage ids
    wanted = options.doc_id or _derived_id(source, reading)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", wanted):
        raise ContentError([Problem(source, None, "--id", f"{wanted!r} is not an id: use "
                                    "lower-case letters, digits and hyphens")])
    taken = {str(e.get("id")) for e in entries} | {p.stem for p in folder.glob("*.txt")}
    if options.doc_id and options.doc_id in taken:
        return options.doc_id  # asked for by name: replace that document
    doc_id, k = wanted, 2
    while doc_id in taken:
        doc_id, k = f"{wanted}-{k}", k + 1
    return doc_id


def import_source(folder: Path, source: str, options: Options,
                  fetcher: Fetcher | None) -> Imported:
    """Import *source* into the corpus *folder*; :class:`ContentError` naming it if not."""
    folder.mkdir(parents=True, exist_ok=True)
    data, kind, charset = _read(source, fetcher)
    text, reading = parse_source(data, kind, charset, source)
    entries, header = read_entries(folder)
    doc_id = _choose_id(source, reading, options, entries, folder)
    # Where the page says nothing: the year and title in its file (or URL) name.
    named = meta_from_filename(Path(PurePosixPath(urlsplit(source).path).name or doc_id))
    edition = options.edition or reading.edition or named.edition
    title = options.title or (f"Diplomatic Bluebook {edition}" if edition and reading.edition
                              else reading.title) or named.title
    log = _summary(reading)
    entry: dict[str, Any] = {
        "id": doc_id, "file": f"{doc_id}.txt", "title": title[:200], "edition": edition,
        "chapter": reading.chapter, "section": reading.section,
        "source_url": source if is_url(source) else None,
        "imported_from": source if is_url(source) else str(Path(source).resolve()),
        "import_log": log,
    }
    path = folder / entry["file"]
    write_atomically(path, lambda fh: fh.write(text.encode("utf-8")))
    updated = upsert(entries, entry)
    write_entries(folder, entries, header)
    meta = DocumentMeta(id=doc_id, title=entry["title"], edition=edition,
                        chapter=reading.chapter, section=reading.section)
    doc = parse_document(text, meta)
    cleaning = log + [{"kind": c.kind, "original": c.original, "action": c.action}
                      for c in doc.cleaning]
    return Imported(doc_id, path, source, meta, len(doc.passages), updated, cleaning)


def section_links(toc_url: str, data: bytes) -> list[str]:
    """The pages a table of contents links to on the same host under the same path."""
    base = urlsplit(toc_url)
    prefix = base.path.rsplit("/", 1)[0] + "/"
    seen: set[str] = {toc_url}
    out: list[str] = []
    for link in page_links(data, toc_url):
        parts = urlsplit(link)
        suffix = PurePosixPath(parts.path).suffix.casefold()
        if (parts.scheme == base.scheme and parts.netloc == base.netloc
                and parts.path.startswith(prefix) and suffix in ("", ".html", ".htm", ".pdf")
                and link not in seen):
            seen.add(link)
            out.append(link)
    return out[:MAX_CRAWL]
