"""Load a corpus folder: ``corpus.yaml`` (optional manifest) plus ``.txt`` files.

A file listed in the manifest gets its metadata from there; any other ``.txt``
file in the folder loads too, with metadata made from its file name, so a user
can drop in another chapter without writing YAML first.

One bad file never takes the corpus down: a binary or undecodable file, one that
cannot be read, a FIFO or a device (a ``.txt`` link to ``/dev/zero`` included), or
one over :data:`MAX_FILE_BYTES` is a :class:`Problem` naming it, and every other
document loads. Files in formats the loader does not read are listed with the
command that imports them (:attr:`FolderScan.unread`).
"""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.core.errors import ContentError, Problem
from bot.core.quotes.corpus import Cleaning, Corpus, Document, DocumentMeta
from bot.core.quotes.ingest import parse_document, slug
from bot.storage.yamlfile import pydantic_problems, read_yaml

log = logging.getLogger(__name__)

MANIFEST = "corpus.yaml"
MAX_FILE_BYTES = 256 << 20  # a whole edition is tens of MB; beyond this, bounded memory wins
IMPORTABLE = (".html", ".htm", ".xhtml", ".pdf")
# Not documents: the manifest and other config beside the texts.
_NOT_DOCUMENTS = (".yaml", ".yml", ".json", ".md", ".tmp")
NUL = b"\0"
_YEAR_RE = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")


class _LogEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    original: str = ""
    action: str


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    file: str = Field(min_length=1)
    title: str = Field(min_length=1, max_length=200)
    edition: int | None = Field(default=None, ge=1900, le=2200)
    period: str | None = None
    chapter: str | None = None
    section: str | None = None
    publisher: str | None = None  # None: DocumentMeta's default
    credit: str | None = None
    source_url: str | None = None
    # Written by `bluebook-bot import`: where the text came from, and what the
    # reader cleaned on the way (it is not in the .txt any more, so it lives here).
    imported_from: str | None = None
    import_log: list[_LogEntry] = Field(default_factory=list)


class _Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[_Entry] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Source:
    """One document file to load, with its metadata and the import's cleaning log."""

    path: Path
    meta: DocumentMeta
    imported: tuple[Cleaning, ...] = ()


@dataclass(slots=True)
class FolderScan:
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # one line per file not read, with a hint


def meta_from_filename(path: Path) -> DocumentMeta:
    """Metadata for a bare ``.txt`` file: id and title from its name, a year if it has one."""
    year = _YEAR_RE.search(path.stem)
    title = re.sub(r"[_\-]+", " ", path.stem).strip() or path.stem
    return DocumentMeta(id=slug(path.stem)[:64].strip("-") or "x", title=title[:200],
                        edition=int(year.group()) if year else None)


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at *path*, or :class:`ContentError` saying why
    not. Opened without blocking and checked before reading, so a FIFO or a device
    (a link to ``/dev/zero`` included) never hangs, and never read past *limit*."""
    def fail(message: str) -> ContentError:
        return ContentError([Problem(str(path), None, "", message)])

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if (
                stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) else "not a regular file"
            raise fail(f"not read: {what}, not a text file")
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise fail(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise fail(f"not read: over the size limit of {limit >> 20} MB")
    return data


def read_text_file(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of the regular file at *path*, or :class:`ContentError` saying why not."""
    def fail(message: str) -> ContentError:
        return ContentError([Problem(str(path), None, "", message)])

    data = read_regular_file(path, limit)
    if data.startswith(b"%PDF-"):
        raise fail("a PDF, not text: import it with `bluebook-bot import` instead")
    if b"\0" in data:
        raise fail(f"binary, not text (a NUL byte at byte {data.index(NUL)})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 text ({exc.reason} at byte {exc.start}); convert it to "
                   "UTF-8, e.g. with iconv") from exc


def _manifest_sources(folder: Path, scan: FolderScan) -> None:
    manifest = folder / MANIFEST
    if not manifest.exists():
        return
    data, lines = read_yaml(manifest)
    try:
        parsed = _Manifest.model_validate(data or {})
    except ValidationError as exc:
        raise ContentError(pydantic_problems(exc, str(manifest), lines)) from exc
    seen: set[str] = set()
    for i, entry in enumerate(parsed.documents):
        where = f"documents[{i}]"
        if entry.id in seen:
            scan.problems.append(Problem(str(manifest), lines.line(("documents", i, "id")),
                                         f"{where}.id", f"duplicate document id {entry.id!r}"))
            continue
        seen.add(entry.id)
        path = folder / entry.file
        if not path.exists():
            scan.problems.append(Problem(str(manifest), lines.line(("documents", i, "file")),
                                         f"{where}.file", f"no such file: {entry.file}"))
            continue
        fields = entry.model_dump(exclude={"file", "imported_from", "import_log"},
                                  exclude_none=True)
        imported = tuple(Cleaning(entry.id, 0, e.kind, e.original, e.action)
                         for e in entry.import_log)
        scan.sources.append(Source(path, DocumentMeta(**fields), imported))


def scan_folder(folder: Path, *, check_text: bool = True) -> FolderScan:
    """Every document in *folder* with its metadata, in a stable order, and every
    problem: with *check_text*, each file is read once to make sure it is text."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError([Problem(str(folder), None, "", "corpus folder not found")])
    scan = FolderScan()
    _manifest_sources(folder, scan)
    named = {s.path.resolve() for s in scan.sources}
    ids = {s.meta.id for s in scan.sources}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or path.resolve() in named:
            continue
        suffix = path.suffix.casefold()
        if suffix != ".txt":
            if path.is_file() and suffix not in _NOT_DOCUMENTS:
                hint = (f"import it with: bluebook-bot import {path} --corpus {folder}"
                        if suffix in IMPORTABLE else
                        "save it as HTML, PDF or UTF-8 text, then run bluebook-bot import")
                scan.unread.append(f"{path}: not read ({suffix or 'no extension'}); {hint}")
            continue
        meta = meta_from_filename(path)
        if meta.id in ids:  # "a/x.txt" and "b/x.txt": the later one gets "x-2"
            k = 2
            while f"{meta.id}-{k}" in ids:
                k += 1
            meta = replace(meta, id=f"{meta.id}-{k}")
        ids.add(meta.id)
        scan.sources.append(Source(path, meta))
    if check_text:
        good = []
        for source in scan.sources:
            try:
                read_text_file(source.path)
            except ContentError as exc:
                scan.problems.extend(exc.problems)
                continue
            good.append(source)
        scan.sources = good
    return scan


def corpus_files(folder: Path) -> list[tuple[Path, DocumentMeta]]:
    """The readable documents in *folder* with their metadata, in a stable order."""
    return [(s.path, s.meta) for s in scan_folder(folder).sources]


def read_document(path: Path, meta: DocumentMeta) -> Document:
    doc = parse_document(read_text_file(path), meta)
    for entry in doc.cleaning:
        log.debug("cleaned %s:%d (%s): %s", path.name, entry.line, entry.kind, entry.action)
    return doc


def load_corpus(folder: Path) -> Corpus:
    """Read and parse every readable document in *folder*, each edition's documents
    together; the problems with the
    others are logged (:func:`corpus_problems` lists them). Raises
    :class:`ContentError` only when the manifest is broken or nothing loads."""
    corpus = Corpus()
    scan = scan_folder(folder, check_text=False)
    problems = list(scan.problems)
    # Each edition's documents together (in the order its first one appears): an
    # edition is then one run of passages, so a search can be limited to it.
    first: dict[int | None, int] = {}
    for i, source in enumerate(scan.sources):
        first.setdefault(source.meta.edition, i)
    for source in sorted(scan.sources, key=lambda s: first[s.meta.edition]):
        try:
            doc = read_document(source.path, source.meta)
            if source.imported:
                doc = replace(doc, cleaning=source.imported + doc.cleaning)
            corpus.add(doc)
        except ContentError as exc:
            problems.extend(exc.problems)
        except ValueError as exc:  # duplicate ids across files
            problems.append(Problem(str(source.path), None, "", str(exc)))
        except Exception as exc:  # a parser bug must not take the other documents down
            log.exception("could not parse %s", source.path)
            problems.append(Problem(str(source.path), None, "", f"could not parse: {exc}"))
    if not corpus.documents:
        if not problems:
            problems.append(Problem(str(folder), None, "", "the corpus folder has no .txt files"))
        raise ContentError(problems)
    for problem in problems:
        log.warning("corpus: %s (the other documents load)", problem)
    return corpus


def corpus_problems(folder: Path) -> FolderScan:
    """What :func:`load_corpus` leaves out of *folder*, and why; cheap enough to run on
    every start (a stat and one read per file), so a cached corpus still reports it."""
    try:
        return scan_folder(folder)
    except ContentError as exc:
        return FolderScan(problems=exc.problems)
