"""Find the quotations in a message or a text, with where each one is.

Three kinds, checked in this order (a later kind never overlaps an earlier one):

* ``[[ … ]]``: an explicit request, looked up whatever its length;
* ``> `` lines (and Discord's ``>>> `` block, which quotes the rest of the message):
  consecutive quoted lines are one quotation;
* text in double quotes, “…” or "…", of at least :data:`MIN_QUOTED_WORDS` words
  (shorter quoted words are usually scare quotes, not quotations).

Code (fenced blocks and inline spans) is skipped: people paste ``[[x]]`` and quote
marks in code without meaning a lookup. Each scan is linear in the text: every
search for a closing mark starts after the opening one and the scan never goes back.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from bot.core.quotes.text import words

Kind = Literal["brackets", "blockquote", "quotes"]
Mode = Literal["brackets", "quotes"]
MODES: tuple[Mode, ...] = ("brackets", "quotes")

MAX_PER_MESSAGE = 3  # one compact Discord reply answers at most this many
MIN_QUOTED_WORDS = 8
MIN_BLOCK_WORDS = 3  # the quote engine needs at least three words
MAX_QUOTATION_CHARS = 2000  # longer "quotations" are unbalanced marks, not quotes
_CODE_RE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_BLOCK_RE = re.compile(r"^[ \t]*>[ \t]?(?!>)(.*)$")
_WHOLE_BLOCK = ">>> "
_PAIRS = (("“", "”"), ("\"", "\""), ("„", "“"), ("«", "»"))


@dataclass(frozen=True, slots=True)
class Quotation:
    """One quotation: its words, its kind, and where its opening mark sits in the text
    (``offset`` into the text; ``line`` and ``column`` counted from 1, in characters)."""

    text: str
    kind: Kind
    offset: int
    line: int
    column: int


def _mask_code(text: str) -> str:
    """*text* with code replaced by spaces (same length, so offsets still hold)."""
    return _CODE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _brackets(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos = 0
    while True:
        start = text.find("[[", pos)
        if start < 0:
            return out
        end = text.find("]]", start + 2, start + 2 + MAX_QUOTATION_CHARS)
        if end < 0:
            pos = start + 2
            continue
        inner = " ".join(text[start + 2:end].split())
        if inner:
            out.append((start, end + 2, inner))
        pos = end + 2


def _blocks(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    lines = text.split("\n")
    offset = 0
    run: list[str] = []
    run_start = run_end = 0
    for i, line in enumerate(lines):
        if line.startswith(_WHOLE_BLOCK):
            if run:
                out.append((run_start, run_end, " ".join(run)))
                run = []
            rest = "\n".join([line[len(_WHOLE_BLOCK):], *lines[i + 1:]])
            out.append((offset, len(text), " ".join(rest.split())))
            return out
        m = _BLOCK_RE.match(line)
        if m and m.group(1).strip():
            if not run:
                run_start = offset + len(line) - len(line.lstrip(" \t"))  # at the ">"
            run.append(" ".join(m.group(1).split()))
            run_end = offset + len(line)
        elif run:
            out.append((run_start, run_end, " ".join(run)))
            run = []
        offset += len(line) + 1
    if run:
        out.append((run_start, run_end, " ".join(run)))
    return out


def _quoted(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos = 0
    # The next position of each opening mark, found again only once passed, so the
    # whole scan stays linear however many quotations the text has.
    nexts = {o: text.find(o) for o, _ in _PAIRS}
    closes = dict(_PAIRS)
    while True:
        for o, at in nexts.items():
            if 0 <= at < pos:
                nexts[o] = text.find(o, pos)
        found = [(at, o) for o, at in nexts.items() if at >= 0]
        if not found:
            return out
        start, mark = min(found)
        end = text.find(closes[mark], start + 1, start + 1 + MAX_QUOTATION_CHARS)
        if end < 0:
            pos = start + 1
            continue
        inner = " ".join(text[start + 1:end].split())
        if inner:
            out.append((start, end + 1, inner))
        pos = end + 1


def extract(text: str, mode: Mode = "brackets", limit: int | None = MAX_PER_MESSAGE
            ) -> list[Quotation]:
    """The quotations in *text*, in reading order: ``[[…]]`` only in ``brackets`` mode,
    also ``> `` lines and long quoted sentences in ``quotes`` mode. *limit*: at most
    this many (None: all, for ``bluebook-bot scan``)."""
    masked = _mask_code(text)
    spans: list[tuple[int, int, str, Kind]] = [(s, e, t, "brackets")
                                              for s, e, t in _brackets(masked)]
    if mode == "quotes":
        for s, e, t in _blocks(masked):
            if len(words(t)) >= MIN_BLOCK_WORDS:
                spans.append((s, e, t, "blockquote"))
        for s, e, t in _quoted(masked):
            if len(words(t)) >= MIN_QUOTED_WORDS:
                spans.append((s, e, t, "quotes"))
    kept: list[tuple[int, int, str, Kind]] = []  # sorted, never overlapping
    for span in spans:  # earlier kinds win an overlap
        i = bisect.bisect_left(kept, span)
        if (i == 0 or kept[i - 1][1] <= span[0]) and (i == len(kept) or span[1] <= kept[i][0]):
            kept.insert(i, span)
    if limit is not None:
        kept = kept[:limit]
    out = []
    line, line_start, seen = 1, 0, 0  # counted forwards once: the spans are in order
    for start, _, inner, kind in kept:
        newlines = text.count("\n", seen, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", seen, start) + 1
        seen = start
        out.append(Quotation(inner, kind, start, line, start - line_start + 1))
    return out
