"""Load a corpus folder: ``corpus.yaml`` (optional manifest) plus ``.txt`` files.

A file listed in the manifest gets its metadata from there; any other ``.txt``
file in the folder loads too, with metadata made from its file name, so a user
can drop in another chapter without writing YAML first.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.core.errors import ContentError, Problem
from bot.core.quotes.corpus import Corpus, Document, DocumentMeta
from bot.core.quotes.ingest import parse_document, slug
from bot.storage.yamlfile import pydantic_problems, read_yaml

log = logging.getLogger(__name__)

MANIFEST = "corpus.yaml"
_YEAR_RE = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")


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


class _Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[_Entry] = Field(default_factory=list)


def meta_from_filename(path: Path) -> DocumentMeta:
    """Metadata for a bare ``.txt`` file: id and title from its name, a year if it has one."""
    year = _YEAR_RE.search(path.stem)
    title = re.sub(r"[_\-]+", " ", path.stem).strip() or path.stem
    return DocumentMeta(id=slug(path.stem), title=title,
                        edition=int(year.group()) if year else None)


def corpus_files(folder: Path) -> list[tuple[Path, DocumentMeta]]:
    """Every document in *folder* with its metadata, in a stable order."""
    if not folder.is_dir():
        raise ContentError([Problem(str(folder), None, "", "corpus folder not found")])
    listed: list[tuple[Path, DocumentMeta]] = []
    manifest = folder / MANIFEST
    if manifest.exists():
        data, lines = read_yaml(manifest)
        try:
            parsed = _Manifest.model_validate(data or {})
        except ValidationError as exc:
            raise ContentError(pydantic_problems(exc, str(manifest), lines)) from exc
        problems = []
        seen: set[str] = set()
        for i, entry in enumerate(parsed.documents):
            where = f"documents[{i}]"
            if entry.id in seen:
                problems.append(Problem(str(manifest), lines.line(("documents", i, "id")),
                                        f"{where}.id", f"duplicate document id {entry.id!r}"))
            seen.add(entry.id)
            path = folder / entry.file
            if not path.is_file():
                problems.append(Problem(str(manifest), lines.line(("documents", i, "file")),
                                        f"{where}.file", f"no such file: {entry.file}"))
            fields = entry.model_dump(exclude={"file"}, exclude_none=True)
            listed.append((path, DocumentMeta(**fields)))
        if problems:
            raise ContentError(problems)
    named = {p.resolve() for p, _ in listed}
    extra = [(p, meta_from_filename(p)) for p in sorted(folder.rglob("*.txt"))
             if p.resolve() not in named]
    return listed + extra


def read_document(path: Path, meta: DocumentMeta) -> Document:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(str(path), None, "", f"not UTF-8 text ({exc.reason} at "
                                                          f"byte {exc.start})")]) from exc
    except OSError as exc:
        raise ContentError([Problem(str(path), None, "", f"cannot read: {exc}")]) from exc
    doc = parse_document(raw, meta)
    for entry in doc.cleaning:
        log.debug("cleaned %s:%d (%s): %s", path.name, entry.line, entry.kind, entry.action)
    return doc


def load_corpus(folder: Path) -> Corpus:
    """Read and parse every document in *folder*."""
    corpus = Corpus()
    problems = []
    for path, meta in corpus_files(folder):
        try:
            doc = read_document(path, meta)
            corpus.add(doc)
        except ContentError as exc:
            problems.extend(exc.problems)
        except ValueError as exc:  # duplicate ids across files
            problems.append(Problem(str(path), None, "", str(exc)))
    if problems:
        raise ContentError(problems)
    if not corpus.documents:
        raise ContentError([Problem(str(folder), None, "", "the corpus folder has no .txt files")])
    return corpus
