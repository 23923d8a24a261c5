"""Turn one raw text into a :class:`~bot.core.quotes.corpus.Document` of citable passages.

Only what is not the author's text is cleaned, and every cleaning is logged as a
:class:`~bot.core.quotes.corpus.Cleaning`: navigation chrome from the web pages, a photo
caption printed twice, a bullet before a footnote, and mojibake left where an
apostrophe was mangled. Every other character of the author's words is kept.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from bot.core.quotes.corpus import Cleaning, Document, DocumentMeta, Passage, PassageKind

# Whole lines that are page navigation, not text.
CHROME_LINES = (
    re.compile(r"^\s*Contents\s*\|\s*Back\s*\|\s*Next\s*$", re.IGNORECASE),
    re.compile(r"^\s*Text\s+File\s*$", re.IGNORECASE),
    re.compile(r"^\s*(?:Page\s+Top|Back\s+to\s+Top)\s*$", re.IGNORECASE),
)
# Mojibake seen in the Bluebook's web text and the character it stands for. The
# 2010 edition's apostrophe became U+FFFD, then was shown through code page 850.
ENCODING_FAULTS = {
    "´┐Ż": "'",
    "â€™": "'",
    "â€˜": "'",
    "â€œ": "“",
    "â€\x9d": "”",
}
_FOOTNOTE_RE = re.compile(r"^\s*(?P<bullet>[•·*\-]\s*)?\((?P<num>\d{1,3})\)\s+\S")
_SUBHEADING_RE = re.compile(r"^\s*<(?P<title>[^<>]+)>\s*$")
_NUMBERED_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\s+(?P<title>\S.*)$")
_FRONT_MATTER_RE = re.compile(r"^(?:Diplomatic Bluebook \d{4}|Chapter \d+|Section \d+\b.*)$")
_MARKER_RE = re.compile(r"(?<=[^\s(])\((\d{1,3})\)")
_HEADING_MAX_WORDS = 12
_SENTENCE_END = tuple('.!?:;,"”)')


@dataclass(slots=True)
class _Block:
    line: int
    text: str
    kind: PassageKind = "paragraph"
    marker: int | None = None


@dataclass(slots=True)
class _State:
    section: str = "Front matter"
    subsection: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def next_number(self, kind: str) -> int:
        key = f"{self.section}\x00{kind}"
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]


def slug(text: str) -> str:
    """A lower-case, hyphenated identifier made from *text*."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def parse_document(raw: str, meta: DocumentMeta) -> Document:
    """Clean *raw* and split it into passages, logging every cleaning."""
    log: list[Cleaning] = []
    blocks = _blocks(_clean_lines(raw, meta.id, log), meta.id, log)
    blocks = _merge_duplicate_captions(blocks, meta.id, log)
    passages = _passages(blocks, meta)
    return Document(meta=meta, passages=tuple(_link_footnotes(passages)), cleaning=tuple(log))


def _clean_lines(raw: str, doc_id: str, log: list[Cleaning]) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        for bad, good in ENCODING_FAULTS.items():
            if bad in line:
                log.append(Cleaning(doc_id, number, "encoding", bad, f"restored as {good!r}"))
                line = line.replace(bad, good)
        if any(p.match(line) for p in CHROME_LINES):
            log.append(Cleaning(doc_id, number, "chrome", line.strip(), "removed page chrome"))
            line = ""
        lines.append((number, line))
    return lines


def _blocks(lines: list[tuple[int, str]], doc_id: str, log: list[Cleaning]) -> list[_Block]:
    """Group lines into blocks: blank lines separate them, and a sub-heading or a
    footnote always starts (and a sub-heading also ends) its own block, because the
    web text sometimes runs them into the neighbouring line."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, line in lines:
        if not line.strip():
            current = None
            continue
        footnote = _FOOTNOTE_RE.match(line)
        standalone = bool(footnote or _SUBHEADING_RE.match(line))
        if standalone or current is None or current.kind == "heading":
            current = _Block(number, line.strip())
            blocks.append(current)
            if footnote:
                current.kind, current.marker = "footnote", int(footnote["num"])
                if footnote["bullet"]:
                    log.append(Cleaning(doc_id, number, "bullet", footnote["bullet"].strip(),
                                        "removed list bullet before footnote"))
                    current.text = line[footnote.end("bullet"):].strip()
            elif _SUBHEADING_RE.match(line):
                current.kind = "heading"
        else:
            current.text = f"{current.text} {line.strip()}"  # re-join a hard-wrapped line
    return blocks


def _merge_duplicate_captions(blocks: list[_Block], doc_id: str,
                              log: list[Cleaning]) -> list[_Block]:
    kept: list[_Block] = []
    for block in blocks:
        if kept and block.text == kept[-1].text and block.kind == "paragraph":
            kept[-1].kind = "caption"
            log.append(Cleaning(doc_id, block.line, "duplicate-caption", block.text,
                                f"caption printed twice; kept the copy on line {kept[-1].line}"))
            continue
        kept.append(block)
    return kept


def _is_heading(text: str) -> bool:
    return len(text.split()) <= _HEADING_MAX_WORDS and not text.endswith(_SENTENCE_END)


def _passages(blocks: list[_Block], meta: DocumentMeta) -> list[Passage]:
    state = _State()
    out: list[Passage] = []
    label = meta.label  # one string for the whole document, shared by its passages
    plain = [b.kind == "paragraph" and _is_heading(b.text) for b in blocks]
    for i, block in enumerate(blocks):
        kind = block.kind
        sub = _SUBHEADING_RE.match(block.text)
        if sub:
            state.subsection = sub["title"].strip()
            kind = "heading"
        elif plain[i]:
            kind = "heading"
            numbered = _NUMBERED_RE.match(block.text)
            # A plain heading straight above another one is a chapter or part
            # title ("Japan's Foreign Policy by Region"), not a section of text.
            front = _FRONT_MATTER_RE.match(block.text) or (
                not numbered and i + 1 < len(blocks) and plain[i + 1])
            if not front:
                state.section = numbered["title"] if numbered else block.text
                state.subsection = None
        number = block.marker if kind == "footnote" and block.marker else state.next_number(kind)
        prefix = {"paragraph": "p", "footnote": "n", "caption": "c", "heading": "h"}[kind]
        suffix = ""
        if kind == "footnote":
            # Notes are named by their own marker; a section whose notes restart at
            # (1) must still give every note its own id, or the corpus would not load.
            seen = state.next_number(f"note {number}")
            suffix = f"-{seen}" if seen > 1 else ""
        out.append(Passage(
            id=f"{meta.id}.{slug(state.section)}.{prefix}{number}{suffix}",
            document_id=meta.id, kind=kind, section=state.section,
            subsection=state.subsection, number=number, text=block.text,
            label=label, line=block.line,
        ))
    return out


def _link_footnotes(passages: list[Passage]) -> list[Passage]:
    """Link each footnote to the paragraph that carries its marker, e.g. "transfers,(1)".

    A marker refers to the first note with its number *after* the paragraph, since
    numbering may restart (each section, or each page of the web edition).
    """
    where: dict[int, list[int]] = {}
    for i, p in enumerate(passages):
        if p.kind == "footnote":
            where.setdefault(p.number, []).append(i)
    cited_by: dict[str, str] = {}
    linked: list[Passage] = []
    for i, p in enumerate(passages):
        if p.kind == "paragraph" and where:
            cites = []
            for marker in _MARKER_RE.findall(p.text):
                after = where.get(int(marker), [])
                k = bisect.bisect_right(after, i)
                if k < len(after):
                    cites.append(passages[after[k]].id)
                    cited_by.setdefault(passages[after[k]].id, p.id)
            p = replace(p, cites=tuple(cites)) if cites else p
        linked.append(p)
    return [replace(p, cited_by=cited_by[p.id]) if p.id in cited_by else p for p in linked]
