"""Build the quote engine for a corpus folder, caching the parsed corpus and index.

Parsing and indexing a large archive takes a while; opening the cache takes
milliseconds. The cache is one file per corpus (:mod:`bot.storage.cache_file`):
JSON and flat numeric arrays, memory-mapped, every byte checked by CRC-32
before use, so a damaged, truncated or planted file is logged and rebuilt and
can never run code (there is no pickle anywhere). Passages are read from it on
demand (:mod:`bot.storage.passage_store`), the index's arrays are used in place.

The cache key is a hash of every corpus file's name and bytes, the engine's
format version and the source of the parsing code, so any edit rebuilds it. To
skip reading the whole corpus at each start, a small ``<stamp>.stamp`` file maps
the files' names, sizes and modification times to that key: an unchanged folder
is recognised by ``stat`` alone. The folder is created private (0700); one that
another user owns or can write to is refused, with a warning, and never read.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.quotes import corpus as corpus_module
from bot.core.quotes import index as index_module
from bot.core.quotes import ingest as ingest_module
from bot.core.quotes import spelling as spelling_module
from bot.core.quotes import text as text_module
from bot.core.quotes.corpus import Corpus
from bot.core.quotes.index import Index, SortedTerms
from bot.core.quotes.matching import QuoteEngine
from bot.core.quotes.spelling import DeletionTable
from bot.core.quotes.text import words_many
from bot.storage import passage_store
from bot.storage.cache_file import CacheError, open_cache, remove_stale_temporaries, write_cache
from bot.storage.corpus_files import MANIFEST, corpus_files, load_corpus

log = logging.getLogger(__name__)

# Part of every cache key, with the source of the code that parses and indexes
# (below), so a code change can never serve an old parse from the cache; bump it
# when the file layout itself changes.
FORMAT = "bluebook-index-v7"
SUFFIX = ".bbidx"
_PARSING_CODE = (corpus_module, ingest_module, text_module, index_module, spelling_module,
                 passage_store)
KEEP = 4  # cache files kept: the most recently used, for users with several corpora
_HEX = re.compile(r"[0-9a-f]{32}")
# Each section's type; anything else in a file is damage.
_TYPES = {"vocab_blob": "|u1", "vocab_off": "<i8", "post_off": "<i8", "post_docs": "<u4",
          "post_w": "<f4", "lengths": "<u4", "del_keys": "<u8", "del_terms": "<u4",
          "ids_pos": "<i4", "ids_inv": "<i4", "kind": "|u1", "section": "<i4",
          "subsection": "<i4", "number": "<i8", "line": "<i8",
          **{f"{n}_{p}": t for n in ("text", "norm", "ids", "cites", "cited", "names")
             for p, t in (("blob", "|u1"), ("off", "<i8"))}}


def default_cache_dir() -> Path:
    base = os.environ.get("BLUEBOOK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "bluebook-bot" if base else Path.home() / ".cache" / "bluebook-bot"


def _code_digest() -> hashlib._Hash:
    digest = hashlib.sha256(FORMAT.encode())
    for module in _PARSING_CODE:
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest


def _paths(folder: Path) -> list[Path]:
    manifest = folder / MANIFEST
    return ([manifest] if manifest.exists() else []) + [p for p, _ in corpus_files(folder)]


def corpus_key(folder: Path) -> str:
    """A hash of everything that determines the parsed corpus and its index."""
    digest = _code_digest()
    for path in _paths(folder):
        # relpath, not relative_to: a manifest may name a file outside the folder.
        digest.update(os.path.relpath(path, folder).encode() + b"\0")
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def corpus_stamp(folder: Path) -> str:
    """A hash of the corpus files' names, sizes and modification times (no reading)."""
    digest = _code_digest()
    digest.update(str(folder.resolve()).encode() + b"\0")
    for path in _paths(folder):
        st = path.stat()
        digest.update(f"{os.path.relpath(path, folder)}\0{st.st_size}\0{st.st_mtime_ns}\0"
                      .encode())
    return digest.hexdigest()[:32]


def private_cache_dir(path: Path) -> Path | None:
    """*path*, created 0700 if missing; None (with a warning) if others may write to it."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.stat()
    except OSError as exc:
        log.warning("index cache folder %s is unusable (%s); starting without a cache",
                    path, exc)
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() \
            or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        log.warning("refusing the index cache folder %s: it must be a folder of your own "
                    "that no one else can write to (chmod 700 it, or set BLUEBOOK_CACHE_DIR "
                    "to another); starting without a cache", path)
        return None
    return path


def build_index(corpus: Corpus) -> Index:
    return Index.build(words_many(p.text for p in corpus.passages))


def _passage_words(corpus: Corpus, norms: list[str]) -> Iterator[list[str]]:
    """Each passage's words, for the index, noting their normalised text in *norms*
    on the way (for the passage store): no passage is normalised twice, and the
    words of the whole corpus are never held at once."""
    for found in words_many(p.text for p in corpus.passages):
        norms.append(" ".join(found))
        yield found


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a build, then as it was. A build makes
    millions of objects that live on (passages, words) and no cycles: each of
    the collector's full passes walked all of them again, seconds in all, for
    nothing to free. Whatever cycles a build does leave are freed afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_engine(folder: Path, cache_dir: Path | None = None, use_cache: bool = True) -> QuoteEngine:
    """The quote engine for *folder*, from the cache when the corpus is unchanged."""
    folder = Path(folder)
    cache = private_cache_dir(cache_dir or default_cache_dir()) if use_cache else None
    if cache is None:
        with collector_paused():
            corpus = load_corpus(folder)
            return QuoteEngine(corpus, build_index(corpus))
    remove_stale_temporaries(cache)
    stamp = corpus_stamp(folder)
    stamped = _read_stamp(cache / f"{stamp}.stamp")
    key = stamped or corpus_key(folder)
    path = cache / f"{key}{SUFFIX}"
    try:
        engine = open_engine(path, key)
        _write_stamp(cache / f"{stamp}.stamp", key)
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by _prune
        log.debug("loaded cached index %s", path)
        return engine
    except FileNotFoundError:
        pass
    except (CacheError, OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.warning("index cache %s is damaged or stale (%s); rebuilding it", path, exc)
    if stamped:
        key = corpus_key(folder)  # never trust a stamp for what is written
    with collector_paused():
        corpus = load_corpus(folder)
        norms: list[str] = []
        index = Index.build(_passage_words(corpus, norms))
        index.spelling = DeletionTable.build(index)
        path = cache / f"{key}{SUFFIX}"
        try:
            write_cache(path, *pack(key, corpus, index, norms))
            _write_stamp(cache / f"{corpus_stamp(folder)}.stamp", key)
        except OSError as exc:  # a read-only home must not stop the bot; it starts slower
            log.warning("could not write index cache %s: %s", path, exc)
    _prune(cache)
    return QuoteEngine(corpus, index)


def pack(key: str, corpus: Corpus, index: Index, norms: list[str] | None = None,
         ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and sections of the cache file for *corpus* and *index*."""
    header, sections = passage_store.pack(corpus, norms)
    table = index.spelling or DeletionTable.build(index)
    vocab = index.vocab
    sections.update({
        "vocab_blob": np.frombuffer(bytes(vocab.blob), dtype=np.uint8),
        "vocab_off": np.asarray(vocab.offsets, dtype=np.int64),
        "post_off": index.offsets.astype(np.int64), "post_docs": index.docs.astype(np.uint32),
        "post_w": index.weights.astype(np.float32), "lengths": index.lengths.astype(np.uint32),
        "del_keys": table.keys.astype(np.uint64), "del_terms": table.terms.astype(np.uint32)})
    return {"format": FORMAT, "key": key, "total_length": index.total_length, **header}, sections


def open_engine(path: Path, key: str) -> QuoteEngine:
    """The engine over the cache file *path*; raises CacheError on any damage."""
    header, s = open_cache(path, {"format": FORMAT, "key": key})
    for name, dtype in _TYPES.items():
        if name not in s or s[name].dtype.str != dtype:
            raise CacheError(f"section {name!r} missing or of the wrong type")
    n = len(s["kind"])
    if not (len(s["post_off"]) == len(s["vocab_off"]) and int(s["post_off"][-1]) ==
            len(s["post_docs"]) == len(s["post_w"]) and len(s["lengths"]) == n
            and (n == 0 or int(s["post_docs"].max(initial=0)) < n)
            and len(s["del_keys"]) == len(s["del_terms"])):
        raise CacheError("section sizes disagree")
    corpus = passage_store.unpack(header, s)
    index = Index(vocab=SortedTerms(s["vocab_blob"], s["vocab_off"]), offsets=s["post_off"],
                  docs=s["post_docs"], weights=s["post_w"], lengths=s["lengths"],
                  total_length=int(header["total_length"]),
                  spelling=DeletionTable(s["del_keys"], s["del_terms"]))
    return QuoteEngine(corpus, index)


def _read_stamp(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None
    return text if _HEX.fullmatch(text) else None


def _write_stamp(path: Path, key: str) -> None:
    if _read_stamp(path) == key:
        return
    with contextlib.suppress(OSError):
        write_cache_text(path, key)


def write_cache_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _prune(cache_dir: Path) -> None:
    """Delete all but the :data:`KEEP` most recently used cache files (each is a few
    times the size of its corpus, and every corpus edit makes a new one), stamps
    that point at none of them, and caches of the old, unsafe pickle format."""
    try:
        files = sorted(cache_dir.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime,
                       reverse=True)
        for old in [*files[KEEP:], *cache_dir.glob("*.pickle")]:
            old.unlink()
            log.info("removed old index cache %s", old)
        kept = {p.stem for p in files[:KEEP]}
        for stamp in cache_dir.glob("*.stamp"):
            if _read_stamp(stamp) not in kept:
                stamp.unlink()
    except OSError as exc:
        log.warning("could not prune index caches in %s: %s", cache_dir, exc)
