"""The corpus as citable passages: documents -> sections -> passages.

Pure data. :mod:`bot.core.quotes.ingest` builds these from raw text; the storage layer
reads the files. A passage id is derived only from its own document, section and
position in that section, so adding text elsewhere in the corpus never changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

PassageKind = Literal["paragraph", "footnote", "caption", "heading"]


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What the manifest (or the file name) says about one document."""

    id: str
    title: str
    edition: int | None = None
    period: str | None = None
    chapter: str | None = None
    section: str | None = None
    publisher: str = "Ministry of Foreign Affairs of Japan"
    credit: str = "Diplomatic Bluebook, Ministry of Foreign Affairs of Japan"
    source_url: str | None = None

    @property
    def label(self) -> str:
        """The citation prefix, e.g. "Diplomatic Bluebook 2025, Ch. 2 §3 North America"."""
        parts = [self.title]
        where = " ".join(p for p in (self.chapter, self.section) if p)
        if where:
            parts.append(where)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Cleaning:
    """One thing ingestion removed or repaired, so nothing is changed silently."""

    document_id: str
    line: int
    kind: str  # "chrome", "duplicate-caption", "encoding", "bullet"
    original: str
    action: str


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph, footnote, caption or heading: the unit a quotation is matched to.

    ``label`` is the document's citation prefix (:attr:`DocumentMeta.label`), one
    string shared by all of a document's passages: a stored citation per passage
    cost more memory than the passage texts on a large archive, so
    :attr:`citation` is put together when asked for.
    """

    id: str
    document_id: str
    kind: PassageKind
    section: str
    subsection: str | None
    number: int
    text: str
    label: str
    line: int
    cites: tuple[str, ...] = ()
    cited_by: str | None = None

    @property
    def citation(self) -> str:
        """E.g. "Diplomatic Bluebook 2025, Ch. 2 §3 North America — Overview, ¶7"."""
        return f"{self.label} — {self.section}, {_WHERE[self.kind](self.number)}"


# How a citation names a passage of each kind within its section.
_WHERE: dict[str, Callable[[int], str]] = {
    "paragraph": lambda n: f"¶{n}", "footnote": lambda n: f"note {n}",
    "caption": lambda n: f"caption {n}", "heading": lambda n: "heading",
}


@dataclass(frozen=True, slots=True)
class Document:
    meta: DocumentMeta
    passages: tuple[Passage, ...]
    cleaning: tuple[Cleaning, ...] = ()

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def text(self) -> str:
        """The cleaned text of the whole document, passage by passage."""
        return "\n\n".join(p.text for p in self.passages)


@dataclass(slots=True)
class Corpus:
    """All documents, with passages addressable by id and in reading order."""

    documents: dict[str, Document] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)
    _by_id: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, documents: Iterable[Document]) -> Corpus:
        corpus = cls()
        for doc in documents:
            corpus.add(doc)
        return corpus

    def add(self, doc: Document) -> None:
        if doc.id in self.documents:
            raise ValueError(f"duplicate document id {doc.id!r}")
        self.documents[doc.id] = doc
        for passage in doc.passages:
            if passage.id in self._by_id:
                raise ValueError(f"duplicate passage id {passage.id!r}")
            self._by_id[passage.id] = len(self.passages)
            self.passages.append(passage)

    def __len__(self) -> int:
        return len(self.passages)

    def __iter__(self) -> Iterator[Passage]:
        return iter(self.passages)

    def get(self, passage_id: str) -> Passage | None:
        index = self._by_id.get(passage_id)
        return None if index is None else self.passages[index]

    def index_of(self, passage_id: str) -> int | None:
        return self._by_id.get(passage_id)

    def neighbours(self, passage_id: str) -> tuple[Passage | None, Passage | None]:
        """The passages just before and after *passage_id* in the same document."""
        index = self._by_id.get(passage_id)
        if index is None:
            return None, None
        here = self.passages[index]
        before = self.passages[index - 1] if index > 0 else None
        after = self.passages[index + 1] if index + 1 < len(self.passages) else None
        return (
            before if before and before.document_id == here.document_id else None,
            after if after and after.document_id == here.document_id else None,
        )

    @property
    def cleaning(self) -> list[Cleaning]:
        return [c for doc in self.documents.values() for c in doc.cleaning]
