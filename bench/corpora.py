"""Cut the source paragraphs into corpus folders of about 1, 10 and 60+ MB.

Each source is written as many ``.txt`` files of moderate size, one paragraph per
line and a blank line between paragraphs, which is how the engine's ingestion reads
a corpus. 2 % of the paragraphs of each file are held back (written beside the
corpora, never inside one): noisy sentences from them are the "not in the corpus"
queries. The smaller corpora are subsets of the larger, chosen file by file.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

FILE_BYTES = 256_000
HOLD_OUT = 0.02
SIZES_MB = {"1MB": 1.0, "10MB": 10.0, "full": float("inf")}
_NORM = re.compile(r"[^0-9a-z]+")
# Ingestion reads a block opening with "(1) " as footnote 1 and names it by that
# number, so two such blocks in one section collide and the corpus does not load.
# Dictionaries number their senses that way; those blocks are left out.
_FOOTNOTE_LIKE = re.compile(r"^\s*(?:[•·*\-]\s*)?\(\d{1,3}\)\s+\S")


def norm(text: str) -> str:
    return _NORM.sub(" ", text.casefold()).strip()


def chunk(paragraphs: Iterable[str], seen: set[int]) -> list[list[str]]:
    """Paragraphs grouped into files of about FILE_BYTES, exact repeats dropped
    (dictionaries repeat whole definitions; a repeat has no single right answer)."""
    files: list[list[str]] = [[]]
    size = 0
    for para in paragraphs:
        key = hash(norm(para))
        if key in seen or _FOOTNOTE_LIKE.match(para):
            continue
        seen.add(key)
        if size >= FILE_BYTES:
            files.append([])
            size = 0
        files[-1].append(para)
        size += len(para.encode()) + 2
    return [f for f in files if f]


def build(sources: dict[str, Iterable[str]], out: Path, seed: int = 6,
          sizes: dict[str, float] | None = None) -> dict[str, Path]:
    """Write ``out/<size>/*.txt`` for each size and ``out/heldout.json``; return the folders."""
    rng = random.Random(seed)
    seen: set[int] = set()
    files: dict[str, list[str]] = {}
    held: dict[str, list[str]] = {}
    for name, paragraphs in sources.items():
        for number, paras in enumerate(chunk(paragraphs, seen)):
            fname = f"{name}-{number:04d}.txt"
            count = max(round(len(paras) * HOLD_OUT), 1) if len(paras) > 20 else 0
            back = set(rng.sample(range(len(paras)), count))
            files[fname] = [p for i, p in enumerate(paras) if i not in back]
            held[fname] = [p for i, p in enumerate(paras) if i in back]
    order = sorted(files)
    rng.shuffle(order)
    # Start every size with one file of each source, so even 1 MB mixes the styles.
    firsts = [f for f in order if f.endswith("-0000.txt")]
    order = firsts + [f for f in order if f not in firsts]
    folders: dict[str, Path] = {}
    for label, limit in (sizes or SIZES_MB).items():
        folder = out / label
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        total = 0.0
        for fname in order:
            if total >= limit * 1e6:
                break
            text = "\n\n".join(files[fname]) + "\n"
            (folder / fname).write_text(text, encoding="utf-8")
            total += len(text.encode())
        folders[label] = folder
    (out / "heldout.json").write_text(json.dumps(held), encoding="utf-8")
    return folders


def read_paragraphs(folder: Path) -> dict[str, list[str]]:
    """The paragraphs of each corpus file, as written by :func:`build`."""
    return {p.name: [ln for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()]
            for p in sorted(folder.glob("*.txt"))}


def corpus_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6
