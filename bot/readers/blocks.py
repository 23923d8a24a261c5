"""What a reader produces, and how it is written in the corpus's plain format.

The plain format is what the loader reads (:mod:`bot.core.quotes.ingest`): blocks
separated by blank lines, notes as ``(1) …``, sub-headings as ``<…>``. A block whose
plain form would be read as something else is written with its kind in front
(``[paragraph] …``, ``[heading] …``, ``[caption] …``, ``[figure] …``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.core.quotes.ingest import looks_like_heading, reads_as_structure

BlockKind = Literal["heading", "subheading", "paragraph", "footnote", "caption", "figure"]
_SPACE_RE = re.compile(r"\s+")
_NOTE_RE = re.compile(r"^\((\d{1,3})\)\s+\S")
_YEAR_RE = re.compile(r"(?:Diplomatic\s+Bluebook)\s+(\d{4})", re.IGNORECASE)
_CHAPTER_RE = re.compile(r"\bChapter\s+(\d{1,2})\b")
_SECTION_RE = re.compile(r"\bSection\s+(\d{1,2})\s+([^\n|]{2,60}?)\s*(?:$|\||\n)")


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str


@dataclass(slots=True)
class Reading:
    """A document as read: its blocks, what the page says about itself, and what
    the reader cleaned (kind, original, action) for the cleaning log."""

    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    edition: int | None = None
    chapter: str | None = None
    section: str | None = None
    cleaning: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, kind: BlockKind, text: str) -> None:
        text = _SPACE_RE.sub(" ", text).strip()
        if text:
            self.blocks.append(Block(kind, text))

    def clean(self, kind: str, original: str, action: str) -> None:
        self.cleaning.append((kind, _SPACE_RE.sub(" ", original).strip()[:200], action))


def plain_text(reading: Reading) -> str:
    """The blocks in the loader's plain format, one per paragraph."""
    out: list[str] = []
    for block in reading.blocks:
        text = block.text
        if block.kind == "subheading":
            out.append(text if text.startswith("<") and text.endswith(">") else f"<{text}>")
        elif block.kind == "heading":
            out.append(text if looks_like_heading(text) else f"[heading] {text}")
        elif block.kind == "footnote":
            out.append(text if _NOTE_RE.match(text) else f"[paragraph] {text}")
        elif block.kind in ("caption", "figure"):
            out.append(f"[{block.kind}] {text}")
        else:
            out.append(f"[paragraph] {text}" if reads_as_structure(text) else text)
    return "\n\n".join(out) + "\n"


def describe(reading: Reading, text: str) -> None:
    """Fill in edition, chapter and section from *text* (a title, the first lines)
    where the page says them and the reading has none yet."""
    if reading.edition is None and (m := _YEAR_RE.search(text)):
        reading.edition = int(m[1])
    if reading.chapter is None and (m := _CHAPTER_RE.search(text)):
        reading.chapter = f"Ch. {m[1]}"
    if reading.section is None and (m := _SECTION_RE.search(text)):
        reading.section = f"§{m[1]} {m[2].strip()}"
