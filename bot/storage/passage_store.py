"""The corpus's passages as flat arrays in the cache, read when a passage is asked for.

A warm start used to build every :class:`Passage` object of the archive (two
seconds and hundreds of MB for 400k passages) though a query looks at thirty.
Here each column is stored flat: strings as one UTF-8 blob with offsets, small
fields as integer arrays, repeated section names once in a string table. The
corpus gets :class:`StoredPassages`, a sequence that makes a passage when it is
indexed, and :class:`SortedTerms` over the sorted passage ids for lookups by id.

The normalised words of every passage (``normalize(text)``) are stored too, so
the rerank can read them (:meth:`StoredPassages.normalized`) instead of
normalising thirty passages per query.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import astuple
from typing import Any, cast, overload

import numpy as np
import numpy.typing as npt

from bot.core.quotes.corpus import Cleaning, Corpus, Document, DocumentMeta, Passage
from bot.core.quotes.index import SortedTerms
from bot.core.quotes.text import normalize

Array = npt.NDArray[Any]
KINDS = ("paragraph", "footnote", "caption", "heading")
_SEP = "\x1f"  # between the ids a passage cites: never inside an id


def strings(name: str, values: Sequence[str]) -> dict[str, Array]:
    """*values* as ``<name>_blob`` (UTF-8) and ``<name>_off`` (start offsets, n+1)."""
    joined = "".join(values)
    if joined.isascii():
        # One character, one byte: the whole column is encoded at once, and each
        # value's length in characters is its length in bytes.
        blob = joined.encode("ascii")
        sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    else:
        encoded = [v.encode("utf-8", "surrogatepass") for v in values]
        blob = b"".join(encoded)
        sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    del joined
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return {f"{name}_blob": np.frombuffer(blob, dtype=np.uint8), f"{name}_off": offsets}


def _view(a: Array) -> Any:
    """*a* as a typed memoryview: indexing one gives a Python int at a tenth of the
    cost of a numpy scalar, and making a passage reads a dozen of them."""
    code: Any = a.dtype.char
    return (a.data.cast("B") if a.size else memoryview(b"")).cast(code)


class _Strings:
    def __init__(self, sections: Mapping[str, Array], name: str) -> None:
        self.blob = _view(sections[f"{name}_blob"])
        self.off = _view(sections[f"{name}_off"])

    def __len__(self) -> int:
        return len(self.off) - 1

    def __getitem__(self, i: int) -> str:
        return str(self.blob[self.off[i]:self.off[i + 1]], "utf-8", "surrogatepass")


def pack(corpus: Corpus, norms: Sequence[str] | None = None,
         ) -> tuple[dict[str, Any], dict[str, Array]]:
    """The corpus as a JSON-able header part and arrays (see the module doc);
    *norms*: each passage's ``normalize(text)``, if the caller has them already."""
    ps = corpus.passages
    table: dict[str, int] = {}

    def code(value: str | None) -> int:
        return -1 if value is None else table.setdefault(value, len(table))

    ids = sorted(range(len(ps)), key=lambda i: ps[i].id.encode())
    inverse = np.zeros(len(ps), dtype=np.int32)
    inverse[np.asarray(ids, dtype=np.int64)] = np.arange(len(ps), dtype=np.int32)
    sections = {
        **strings("text", [p.text for p in ps]),
        **strings("norm", norms if norms is not None else [normalize(p.text) for p in ps]),
        **strings("ids", [ps[i].id for i in ids]),
        "ids_pos": np.asarray(ids, dtype=np.int32), "ids_inv": inverse,
        "kind": np.asarray([KINDS.index(p.kind) for p in ps], dtype=np.uint8),
        "section": np.asarray([code(p.section) for p in ps], dtype=np.int32),
        "subsection": np.asarray([code(p.subsection) for p in ps], dtype=np.int32),
        "number": np.asarray([p.number for p in ps], dtype=np.int64),
        "line": np.asarray([p.line for p in ps], dtype=np.int64),
        **strings("cites", [_SEP.join(p.cites) for p in ps]),
        **strings("cited", [p.cited_by or "" for p in ps]),
    }
    sections.update(strings("names", list(table)))
    docs = [[list(astuple(d.meta)), len(d.passages), [list(astuple(c)) for c in d.cleaning]]
            for d in corpus.documents.values()]
    return {"documents": docs}, sections


class StoredPassages(Sequence[Passage]):
    """The corpus's passages, each made from the arrays when it is indexed."""

    def __init__(self, sections: Mapping[str, Array], metas: Sequence[DocumentMeta],
                 starts: Sequence[int]) -> None:
        self._n = len(sections["kind"])
        self._kind, self._section = _view(sections["kind"]), _view(sections["section"])
        self._sub, self._number = _view(sections["subsection"]), _view(sections["number"])
        self._line, self._inv = _view(sections["line"]), _view(sections["ids_inv"])
        self._text, self._norm = _Strings(sections, "text"), _Strings(sections, "norm")
        self._ids, self._cites = _Strings(sections, "ids"), _Strings(sections, "cites")
        self._cited, names = _Strings(sections, "cited"), _Strings(sections, "names")
        self._names = [names[i] for i in range(len(names))]
        self._metas, self._starts = metas, list(starts)
        self.id_lookup = SortedTerms(sections["ids_blob"], sections["ids_off"])

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...

    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("passage number out of range")
        meta = self._metas[bisect_right(self._starts, i) - 1]
        sub = self._sub[i]
        cites = self._cites[i]
        return Passage(
            id=self._ids[self._inv[i]], document_id=meta.id,
            kind=cast(Any, KINDS[self._kind[i]]), section=self._names[self._section[i]],
            subsection=self._names[sub] if sub >= 0 else None,
            number=self._number[i], text=self._text[i], label=meta.label,
            line=self._line[i], cites=tuple(cites.split(_SEP)) if cites else (),
            cited_by=self._cited[i] or None)

    def __iter__(self) -> Iterator[Passage]:
        return (self[i] for i in range(len(self)))

    def normalized(self, i: int) -> str:
        """``normalize(self[i].text)``, stored at build time."""
        return self._norm[i]


class _IdMap(Mapping[str, int]):
    """Passage id -> position, by bisection over the sorted ids."""

    def __init__(self, passages: StoredPassages, positions: Array) -> None:
        self._terms, self._pos = passages.id_lookup, positions

    def __getitem__(self, key: str) -> int:
        return int(self._pos[self._terms[key]])

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)


class _Slice(Sequence[Passage]):
    """One document's run of the stored passages."""

    def __init__(self, passages: StoredPassages, start: int, stop: int) -> None:
        self._p, self._r = passages, range(start, stop)

    def __len__(self) -> int:
        return len(self._r)

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...

    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return [self._p[j] for j in self._r[i]]
        return self._p[self._r[i]]


def unpack(header: Mapping[str, Any], sections: Mapping[str, Array]) -> Corpus:
    """A corpus over the stored arrays: passages are made when they are read."""
    metas, counts, cleanings = [], [], []
    for meta_row, count, cleaning in header["documents"]:
        metas.append(DocumentMeta(*meta_row))
        counts.append(int(count))
        cleanings.append(tuple(Cleaning(*c) for c in cleaning))
    starts = [0, *np.cumsum(counts, dtype=np.int64).tolist()]
    if starts[-1] != len(sections["kind"]):
        raise ValueError("document counts do not add up to the passages")
    passages = StoredPassages(sections, metas, starts[:-1])
    documents = {m.id: Document(m, cast(Any, _Slice(passages, a, b)), c)
                 for m, a, b, c in zip(metas, starts[:-1], starts[1:], cleanings, strict=True)}
    # Corpus declares a list and a dict; these are read-only stand-ins with the
    # same reading methods (indexing, len, iteration, get).
    return Corpus(documents=documents, passages=cast(list[Passage], passages),
                  _by_id=cast(dict[str, int], _IdMap(passages, sections["ids_pos"])))
