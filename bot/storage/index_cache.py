"""Build the quote engine for a corpus folder, caching the parsed corpus and index.

Parsing and indexing a large archive takes a while; loading the pickled result
takes a fraction of it. The pickle holds columns, not objects: unpickling half a
million slotted dataclasses one by one took most of a warm start, while lists of
strings load at memory speed. The index's flat arrays follow the pickle as raw
items, read straight into place.

The cache key is a hash of every file's name and bytes plus the engine's format
version, so any edit to the corpus rebuilds it and an
unchanged corpus never does.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
from array import array
from dataclasses import astuple, fields
from pathlib import Path
from typing import Any, BinaryIO

from bot.core.quotes import corpus as corpus_module
from bot.core.quotes import index as index_module
from bot.core.quotes import ingest as ingest_module
from bot.core.quotes import text as text_module
from bot.core.quotes.corpus import Cleaning, Corpus, Document, DocumentMeta, Passage
from bot.core.quotes.index import Index
from bot.core.quotes.matching import QuoteEngine
from bot.core.quotes.text import words
from bot.storage.corpus_files import MANIFEST, corpus_files, load_corpus
from bot.storage.files import write_atomically

log = logging.getLogger(__name__)

# Part of every cache key, with the source of the code that parses and indexes
# (below), so a code change can never serve an old parse from the cache; bump it
# when the file layout itself changes.
FORMAT = "bluebook-index-v6"
_PARSING_CODE = (corpus_module, ingest_module, text_module, index_module)
KEEP = 4  # cache files kept: the most recently used, for users with several corpora


def default_cache_dir() -> Path:
    base = os.environ.get("BLUEBOOK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "bluebook-bot" if base else Path.home() / ".cache" / "bluebook-bot"


def corpus_key(folder: Path) -> str:
    """A hash of everything that determines the parsed corpus and its index."""
    digest = hashlib.sha256(FORMAT.encode())
    for module in _PARSING_CODE:
        digest.update(Path(module.__file__ or "").read_bytes())
    manifest = folder / MANIFEST
    paths = [manifest] if manifest.exists() else []
    paths += [p for p, _ in corpus_files(folder)]
    for path in paths:
        # relpath, not relative_to: a manifest may name a file outside the folder.
        digest.update(os.path.relpath(path, folder).encode() + b"\0")
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def build_index(corpus: Corpus) -> Index:
    return Index.build(words(p.text) for p in corpus.passages)


def load_engine(folder: Path, cache_dir: Path | None = None, use_cache: bool = True) -> QuoteEngine:
    """The quote engine for *folder*, from the cache when the corpus is unchanged."""
    folder = Path(folder)
    if not use_cache:
        corpus = load_corpus(folder)
        return QuoteEngine(corpus, build_index(corpus))
    cache = (cache_dir or default_cache_dir()) / f"{corpus_key(folder)}.pickle"
    try:
        with cache.open("rb") as fh:
            corpus, index = unpack(_read(fh))
        log.debug("loaded cached index %s", cache)
        with contextlib.suppress(OSError):
            os.utime(cache)  # recently used: kept by _prune
        return QuoteEngine(corpus, index)
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged or incompatible cache is rebuilt, never fatal
        log.warning("ignoring unreadable index cache %s: %s", cache, exc)
    corpus = load_corpus(folder)
    index = build_index(corpus)
    _write_atomically(cache, pack(corpus, index))
    _prune(cache.parent)
    return QuoteEngine(corpus, index)


def _prune(cache_dir: Path) -> None:
    """Delete all but the :data:`KEEP` most recently used cache files: each is several
    times the size of its corpus, and every corpus edit makes a new one."""
    try:
        files = sorted(cache_dir.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            old.unlink()
            log.info("removed old index cache %s", old)
    except OSError as exc:
        log.warning("could not prune index caches in %s: %s", cache_dir, exc)


_PASSAGE_FIELDS = tuple(f.name for f in fields(Passage))
# Columns not stored: every passage of a document has the document's id and label.
_FROM_META = ("document_id", "label")
_COLUMNS = tuple(name for name in _PASSAGE_FIELDS if name not in _FROM_META)
# Columns whose values repeat (a section's name on each of its passages, the same
# line numbers in every file): unpickled, equal values may be separate objects,
# and half a million small ints or strings cost tens of MB. One object each.
_SHARED = ("kind", "section", "subsection", "number", "line")


def pack(corpus: Corpus, index: Index) -> dict[str, Any]:
    """*corpus* and *index* as plain columns, lists and arrays: quick to (un)pickle."""
    docs = [(astuple(d.meta), len(d.passages), [astuple(c) for c in d.cleaning])
            for d in corpus.documents.values()]
    passages = {name: [getattr(p, name) for p in corpus.passages] for name in _COLUMNS}
    arrays = {"offsets": index.offsets, "docs": index.docs, "weights": index.weights,
              "lengths": index.lengths}
    return {"format": FORMAT, "documents": docs, "passages": passages,
            "terms": sorted(index.vocab, key=index.vocab.__getitem__),
            "arrays": arrays, "total_length": index.total_length}


def unpack(data: dict[str, Any]) -> tuple[Corpus, Index]:
    if data.get("format") != FORMAT:
        raise ValueError(f"cache format {data.get('format')!r}, expected {FORMAT!r}")
    columns = data["passages"]
    one: dict[object, object] = {}
    for name in _SHARED:
        columns[name] = [one.setdefault(v, v) for v in columns[name]]
    documents, at = [], 0
    for meta_row, count, cleaning in data["documents"]:
        meta = DocumentMeta(*meta_row)
        values = {name: columns[name][at:at + count] for name in _COLUMNS}
        values["document_id"], values["label"] = [meta.id] * count, [meta.label] * count
        passages = tuple(Passage(*row) for row in zip(
            *(values[n] for n in _PASSAGE_FIELDS), strict=True))
        documents.append(Document(meta, passages, tuple(Cleaning(*c) for c in cleaning)))
        at += count
    columns.clear()  # the passages hold every value now: free the lists early
    made: dict[str, array[Any]] = data["arrays"]
    terms: list[str] = data["terms"]
    index = Index(vocab=dict(zip(terms, range(len(terms)), strict=True)),
                  offsets=made["offsets"], docs=made["docs"], weights=made["weights"],
                  lengths=made["lengths"], total_length=data["total_length"])
    return Corpus.of(documents), index


def _read(fh: BinaryIO) -> dict[str, Any]:
    """What :func:`_write` wrote: the pickled columns, then each array's raw items.

    The arrays are read straight into their own buffers: unpickled as bytes, they
    were held twice (bytes, then the array copied from them), 76 MB of the warm
    start's peak on the full benchmark corpus."""
    data: dict[str, Any] = pickle.load(fh)
    if data.get("format") != FORMAT:  # before reading on: an old layout differs
        raise ValueError(f"cache format {data.get('format')!r}, expected {FORMAT!r}")
    made: dict[str, array[Any]] = {}
    for name, (typecode, itemsize, count) in data["arrays"].items():
        made[name] = array(typecode)
        if made[name].itemsize != itemsize:  # written on another platform
            raise ValueError(f"array {name!r} item size differs")
        made[name].fromfile(fh, count)  # EOFError when the file is cut short
    data["arrays"] = made
    return data


def _write(fh: BinaryIO, data: dict[str, Any]) -> None:
    arrays: dict[str, array[Any]] = data["arrays"]
    header = {**data, "arrays": {name: (a.typecode, a.itemsize, len(a))
                                 for name, a in arrays.items()}}
    pickle.dump(header, fh, protocol=pickle.HIGHEST_PROTOCOL)
    for a in arrays.values():
        a.tofile(fh)


def _write_atomically(path: Path, value: dict[str, Any]) -> None:
    try:
        write_atomically(path, lambda fh: _write(fh, value))
    except OSError as exc:  # a read-only home must not stop the bot; it just starts slower
        log.warning("could not write index cache %s: %s", path, exc)
