"""Turn one raw text into a :class:`~bot.core.quotes.corpus.Document` of citable passages.

Only what is not the author's text is cleaned, and every cleaning is logged as a
:class:`~bot.core.quotes.corpus.Cleaning`: navigation chrome from the web pages, a photo
caption printed twice, a bullet before a footnote, and mojibake left where an
apostrophe was mangled. Every other character of the author's words is kept.

Any text parses: structure detection is conservative (a numbered list item or a
dictionary sense is a paragraph, not a section), over-long paragraphs are split at
sentence boundaries, and an id that would repeat gets a deterministic suffix, so
loading never fails on content. Lines may carry an explicit kind, ``[heading]``,
``[paragraph]``, ``[caption]`` or ``[figure]``, which ``bluebook-bot import`` writes
where the plain layout alone would be read wrongly.
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
    re.compile(r"^\s*(?:Page\s+Top|Back\s+to\s+Top|Back\s+to\s+Index)\s*$", re.IGNORECASE),
)
# The three as one pattern: a million lines cost one match each, not three.
_CHROME_RE = re.compile("|".join(f"(?:{p.pattern})" for p in CHROME_LINES), re.IGNORECASE)
# Mojibake seen in the Bluebook's web text and the character it stands for. The
# 2010 edition's apostrophe became U+FFFD, then was shown through code page 850.
ENCODING_FAULTS = {
    "´┐Ż": "'",
    "â€™": "'",
    "â€˜": "'",
    "â€œ": "“",
    "â€\x9d": "”",
}
# A passage longer than this is split at sentence boundaries: a reply must stay
# readable, and fuzzy alignment costs time per character. The shipped passages
# are under 1,800 characters.
MAX_PASSAGE_CHARS = 2500
_FOOTNOTE_RE = re.compile(r"^\s*(?P<bullet>[•·*\-]\s*)?\((?P<num>\d{1,3})\)\s+\S")
_SUBHEADING_RE = re.compile(r"^\s*<(?P<title>[^<>]+)>\s*$")
_NUMBERED_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\s+(?P<title>\S.*)$")
_FRONT_MATTER_RE = re.compile(r"^(?:Diplomatic Bluebook \d{4}|Chapter \d+|Section \d+\b.*)$")
_MARKER_RE = re.compile(r"(?<=[^\s(])\((\d{1,3})\)")
_KIND_RE = re.compile(r"^\[(?P<kind>heading|paragraph|caption|figure)\]\s+(?=\S)")
# What a line must start with (after spaces) to be any of the three above: most
# lines fail this one match and skip the three.
_MAYBE_STRUCTURE_RE = re.compile(r"\s*[\[•·*\-(<]")
# Openings of list items, dictionary senses and notes: "2. (Zool.)", "a)", "(iv)",
# "- item". Such a line is never a heading, however short.
_LIST_ITEM_RE = re.compile(r"^\s*(?:\d+[.)]|[a-zA-Z][.)]\s|\([\w.]+\)|[•·*\-–—]\s|\[)")
_SENTENCE_BREAK_RE = re.compile(r"[.!?][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_HEADING_MAX_WORDS = 12
_SENTENCE_END = tuple('.!?:;,"”)')
_PREFIX = {"paragraph": "p", "footnote": "n", "caption": "c", "heading": "h"}


@dataclass(slots=True)
class _Block:
    line: int
    parts: list[str]
    kind: PassageKind = "paragraph"
    marker: int | None = None
    forced: bool = False  # the kind was written explicitly
    # " ".join(parts), set once the block is complete: it is read several times.
    text: str = ""


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
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:80].strip("-") or "x"


def parse_document(raw: str, meta: DocumentMeta) -> Document:
    """Clean *raw* and split it into passages, logging every cleaning."""
    log: list[Cleaning] = []
    blocks = _blocks(_clean_lines(raw, meta.id, log), meta.id, log)
    blocks = _merge_duplicate_captions(blocks, meta.id, log)
    passages = _unique_ids(_passages(blocks, meta), meta.id, log)
    return Document(meta=meta, passages=tuple(_link_footnotes(passages)), cleaning=tuple(log))


def _clean_lines(raw: str, doc_id: str, log: list[Cleaning]) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    # A fault absent from the whole text is absent from every line (none spans a
    # line break, and no repair makes another), so only the present ones are
    # looked for line by line, in the same order.
    faults = [(bad, good) for bad, good in ENCODING_FAULTS.items() if bad in raw]
    for number, line in enumerate(raw.splitlines(), start=1):
        for bad, good in faults:
            if bad in line:
                log.append(Cleaning(doc_id, number, "encoding", bad, f"restored as {good!r}"))
                line = line.replace(bad, good)
        if len(line) < 80 and _CHROME_RE.match(line):
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
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        forced = footnote = sub = None
        if _MAYBE_STRUCTURE_RE.match(line):
            forced = _KIND_RE.match(line)
            footnote = None if forced else _FOOTNOTE_RE.match(line)
            sub = None if forced else _SUBHEADING_RE.match(line)
        if forced or footnote or sub or current is None or current.kind == "heading":
            current = _Block(number, [stripped])
            blocks.append(current)
            if forced:
                kind = forced["kind"]
                current.parts = [line[forced.end():].strip()]
                current.kind = "caption" if kind == "figure" else kind  # type: ignore[assignment]
                current.forced = True
            elif footnote:
                current.kind, current.marker = "footnote", int(footnote["num"])
                if footnote["bullet"]:
                    log.append(Cleaning(doc_id, number, "bullet", footnote["bullet"].strip(),
                                        "removed list bullet before footnote"))
                    current.parts = [line[footnote.end("bullet"):].strip()]
            elif sub:
                current.kind = "heading"
        else:
            current.parts.append(stripped)  # re-join a hard-wrapped line
    for block in blocks:
        block.text = " ".join(block.parts)
    return blocks


def _merge_duplicate_captions(blocks: list[_Block], doc_id: str,
                              log: list[Cleaning]) -> list[_Block]:
    kept: list[_Block] = []
    for block in blocks:
        if (kept and block.kind == "paragraph" and not block.forced
                and kept[-1].kind in ("paragraph", "caption") and block.text == kept[-1].text):
            kept[-1].kind = "caption"
            log.append(Cleaning(doc_id, block.line, "duplicate-caption", block.text,
                                f"caption printed twice; kept the copy on line {kept[-1].line}"))
            continue
        kept.append(block)
    return kept


def _is_heading(text: str) -> bool:
    # Cheapest test first; a split that stops after the first 13 words counts a
    # long paragraph's words no differently up to 12, without splitting it all.
    return (not text.endswith(_SENTENCE_END)
            and len(text.split(None, _HEADING_MAX_WORDS)) <= _HEADING_MAX_WORDS
            and not _LIST_ITEM_RE.match(text) and any(c.isalpha() for c in text))


def looks_like_heading(text: str) -> bool:
    """Whether the loader reads *text*, a block of its own, as a plain heading."""
    return _is_heading(text) and not _SUBHEADING_RE.match(text) and not _KIND_RE.match(text)


def reads_as_structure(text: str) -> bool:
    """Whether *text*, written as a plain paragraph, would be read as something else
    (a heading, a note, a sub-heading, page chrome): the writer then marks its kind."""
    return bool(_is_heading(text) or _FOOTNOTE_RE.match(text) or _SUBHEADING_RE.match(text)
                or _KIND_RE.match(text) or any(p.match(text) for p in CHROME_LINES))


def split_long(text: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """*text* in pieces of at most *limit* characters, cut after a sentence where
    possible, else at a space, else anywhere; joined with spaces they give *text*
    back (up to the spaces at the cuts)."""
    pieces: list[str] = []
    at, end = 0, len(text)
    while end - at > limit:
        stop = at + limit
        cut = -1
        for m in _SENTENCE_BREAK_RE.finditer(text, at + limit // 3, stop):
            cut = m.end()
        if cut < 0:
            cut = text.rfind(" ", at + limit // 3, stop)
        if cut <= at:
            cut = stop
        pieces.append(text[at:cut].rstrip())
        at = cut
        while at < end and text[at].isspace():
            at += 1
    pieces.append(text[at:])
    return [p for p in pieces if p]


def _passages(blocks: list[_Block], meta: DocumentMeta) -> list[Passage]:
    state = _State()
    out: list[Passage] = []
    label = meta.label  # one string for the whole document, shared by its passages
    section: str | None = None  # slug() once per section, not once per passage
    section_slug = ""
    plain = [b.kind == "paragraph" and not b.forced and _is_heading(b.text) for b in blocks]
    for i, block in enumerate(blocks):
        kind = block.kind
        text = block.text
        sub = _SUBHEADING_RE.match(text) if kind == "heading" else None
        if sub and not block.forced:
            state.subsection = sub["title"].strip()
        elif plain[i] or (kind == "heading" and block.forced):
            kind = "heading"
            numbered = _NUMBERED_RE.match(text)
            # A plain heading straight above another one is a chapter or part
            # title ("Japan's Foreign Policy by Region"), not a section of text.
            front = _FRONT_MATTER_RE.match(text) or (
                not numbered and i + 1 < len(blocks) and plain[i + 1])
            if not front:
                state.section = (numbered["title"] if numbered else text)[:200]
                state.subsection = None
        number = block.marker if kind == "footnote" and block.marker else state.next_number(kind)
        suffix = ""
        if kind == "footnote":
            # Notes are named by their own marker; a section whose notes restart at
            # (1) must still give every note its own id, or the corpus would not load.
            seen = state.next_number(f"note {number}")
            suffix = f"-{seen}" if seen > 1 else ""
        if state.section != section:
            section, section_slug = state.section, slug(state.section)
        base = f"{meta.id}.{section_slug}.{_PREFIX[kind]}{number}{suffix}"
        pieces = split_long(text) if len(text) > MAX_PASSAGE_CHARS else [text]
        for k, piece in enumerate(pieces, start=1):
            # The parts of a split paragraph share its number: ¶7, ids p7, p7-2, p7-3.
            out.append(Passage(
                id=base if k == 1 else f"{base}-{k}",
                document_id=meta.id, kind=kind, section=state.section,
                subsection=state.subsection, number=number, text=piece,
                label=label, line=block.line,
            ))
    return out


def _unique_ids(passages: list[Passage], doc_id: str, log: list[Cleaning]) -> list[Passage]:
    """Give a repeated id (two sections whose titles make the same slug, a heading
    printed twice) the first free suffix ``-2``, ``-3``…, in reading order."""
    taken = {p.id for p in passages}
    seen: set[str] = set()
    out: list[Passage] = []
    for p in passages:
        if p.id in seen:
            k = 2
            while f"{p.id}-{k}" in taken:
                k += 1
            new = f"{p.id}-{k}"
            taken.add(new)
            log.append(Cleaning(doc_id, p.line, "duplicate-id", p.id, f"repeated id; named {new}"))
            p = replace(p, id=new)
        seen.add(p.id)
        out.append(p)
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
