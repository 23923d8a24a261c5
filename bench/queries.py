"""Noisy quotations, the way people type them from memory.

A real query is a window of 8 to 40 words of a corpus paragraph (its exact
character span is the truth); a fake one is the same kind of window from a
held-back paragraph. Both get the same noise: case and punctuation lost, a tenth
of the words dropped, a tenth mistyped, two neighbouring words swapped.
"""

from __future__ import annotations

import bisect
import random
import re
import string
import zlib
from dataclasses import asdict, dataclass
from typing import Any

from bench.corpora import norm

MIN_WORDS, MAX_WORDS = 8, 40
# A paragraph this short may be read as a heading by ingestion; never quote one.
MIN_PARAGRAPH_WORDS = 13
_TOKEN = re.compile(r"\S+")
_KEEP = re.compile(r"[^0-9A-Za-z]+")


@dataclass(frozen=True, slots=True)
class Query:
    id: str
    kind: str  # "real" or "fake"
    split: str  # "test" or "calib"
    text: str
    words: int
    clean: str  # the words before the noise
    passage: str | None = None  # real: the paragraph quoted ...
    start: int = 0  # ... and the span of it
    end: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def typo(word: str, rng: random.Random) -> str:
    """One edit: a swap, a dropped, a doubled or a wrong letter."""
    i = rng.randrange(len(word) - 1)
    match rng.randrange(4):
        case 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        case 1:
            return word[:i] + word[i + 1:]
        case 2:
            return word[:i] + word[i] + word[i:]
        case _:
            return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1:]


def noisy(words: list[str], rng: random.Random) -> list[str]:
    out = [w for w in (_KEEP.sub("", w).lower() for w in words) if w]
    n = len(out)
    if n < 3:
        return out  # all but punctuation: the caller skips it
    tenth = max(round(n / 10), 1)
    for i in sorted(rng.sample(range(n), tenth), reverse=True):
        del out[i]
    long_ones = [i for i, w in enumerate(out) if len(w) >= 4 and w.isalpha()]
    for i in rng.sample(long_ones, min(tenth, len(long_ones))):
        out[i] = typo(out[i], rng)
    if len(out) >= 2:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return out


class _Pool:
    """Paragraphs long enough to quote, sorted by word count for length-first sampling."""

    def __init__(self, paragraphs: list[str]) -> None:
        sized = sorted((len(_TOKEN.findall(p)), p) for p in paragraphs)
        sized = [(n, p) for n, p in sized if n >= MIN_PARAGRAPH_WORDS]
        self.counts = [n for n, _ in sized]
        self.paragraphs = [p for _, p in sized]

    def pick(self, length: int, rng: random.Random) -> tuple[str, int, int, list[str]]:
        lo = bisect.bisect_left(self.counts, length)
        para = self.paragraphs[rng.randrange(lo, len(self.paragraphs))]
        tokens = list(_TOKEN.finditer(para))
        first = rng.randrange(len(tokens) - length + 1)
        window = tokens[first:first + length]
        return para, window[0].start(), window[-1].end(), [m.group() for m in window]


NGRAM = 8
_BITS = 1 << 28


class Shingles:
    """Which 8-word runs occur in the corpus: a 32 MB bit set of their hashes.

    The dictionaries have near-twin entries ("acclimatisation" and
    "acclimatization" share a definition), so a held-back paragraph may still be
    in the corpus in all but its head word. Such a "fake" is really a quote."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.bits = bytearray(_BITS // 8)
        for para in paragraphs:
            words = norm(para).split()
            for i in range(len(words) - NGRAM + 1):
                h = zlib.crc32(" ".join(words[i:i + NGRAM]).encode()) % _BITS
                self.bits[h >> 3] |= 1 << (h & 7)

    def covered(self, words: list[str]) -> float:
        """The share of *words* inside some 8-word run that the corpus has too."""
        hit = [False] * len(words)
        for i in range(len(words) - NGRAM + 1):
            h = zlib.crc32(" ".join(words[i:i + NGRAM]).encode()) % _BITS
            if self.bits[h >> 3] & (1 << (h & 7)):
                hit[i:i + NGRAM] = [True] * NGRAM
        return sum(hit) / len(words) if words else 0.0


def generate(corpus: list[str], held: list[str], count: int, split: str, seed: int,
             shingles: Shingles | None = None) -> tuple[list[Query], int]:
    """*count* real and *count* fake queries; also how many fakes were redrawn
    because half their words or more do occur, in runs of 8, in the corpus
    (then they are not fake)."""
    rng = random.Random(f"{seed}-{split}")
    real_pool, fake_pool = _Pool(corpus), _Pool(held)
    top = min(MAX_WORDS, real_pool.counts[-1], fake_pool.counts[-1])
    queries: list[Query] = []
    redrawn = 0
    for kind, pool in (("real", real_pool), ("fake", fake_pool)):
        made = 0
        while made < count:
            length = rng.randint(MIN_WORDS, top)
            para, start, end, words = pool.pick(length, rng)
            clean = norm(" ".join(words))
            if kind == "fake" and shingles is not None and shingles.covered(clean.split()) >= 0.5:
                redrawn += 1
                continue
            noised = noisy(words, rng)
            if len(noised) < 3:
                continue
            queries.append(Query(
                id=f"{split}-{kind}-{made}", kind=kind, split=split, text=" ".join(noised),
                words=len(noised), clean=clean,
                passage=para if kind == "real" else None,
                start=start if kind == "real" else 0, end=end if kind == "real" else 0))
            made += 1
    return queries, redrawn
