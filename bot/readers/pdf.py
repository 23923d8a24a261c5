"""Read a PDF into blocks with pypdfium2 (PDFium: Apache-2.0/BSD, fast and accurate).

PDFium gives text runs with their boxes; the layout is rebuilt from those:
running headers and footers (a line in the top or bottom margin that repeats on
other pages, "DIPLOMATIC BLUEBOOK 2025", or a bare page number) are removed;
two-column pages are read column by column; lines are joined into paragraphs
where the vertical gap is normal; a word hyphenated at a line end is rejoined;
notes in a smaller type at a page's foot ("(1) …", "*1 …") become note blocks;
a line in a larger type is a heading. Every removal is logged.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium

from bot.readers.blocks import Reading, describe

_MARGIN = 0.08  # of the page height: where running headers and footers sit
_PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*[-–—])?\s*$", re.I)
_RUNNING_RE = re.compile(r"^\s*DIPLOMATIC\s+BLUEBOOK\s+\d{4}\s*$", re.IGNORECASE)
_NOTE_RE = re.compile(r"^\s*(?:\((\d{1,3})\)|\*\s*(\d{1,3})|(\d{1,3})[.)]?)\s+(?=\S)")
_END_RE = re.compile(r"[.!?:;\"”’)]$")
# A note marker printed "transfers,*1" is written "transfers,(1)", the plain format's form.
_STAR_MARKER_RE = re.compile(r"(?<=[^\s*])\*(\d{1,3})\b")


@dataclass(slots=True)
class _Line:
    left: float
    bottom: float
    right: float
    top: float
    text: str
    size: float  # the font size, in points


def _lines(page: pdfium.PdfPage) -> list[_Line]:
    """The page's text runs, runs on one baseline and close together merged."""
    textpage = page.get_textpage()
    runs: list[_Line] = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        # PDFium marks a hyphen at a line end as \x02 (or U+FFFE in the full text).
        text = textpage.get_text_bounded(left, bottom, right, top).replace("\x02", "-")
        text = re.sub(r"\s+", " ", text.replace("\ufffe", "-")).strip()
        if not text:
            continue
        index = textpage.get_index((left + right) / 2, (bottom + top) / 2, 3, 3)
        size = (pdfium.raw.FPDFText_GetFontSize(textpage.raw, index)
                if index is not None and index >= 0 else 0.0) or (top - bottom)
        runs.append(_Line(left, bottom, right, top, text, float(size)))
    runs.sort(key=lambda r: (-round(r.bottom), r.left))
    merged: list[_Line] = []
    for run in runs:
        last = merged[-1] if merged else None
        if (last and abs(last.bottom - run.bottom) < 0.3 * run.size
                and 0 <= run.left - last.right < 1.5 * run.size):
            last.text, last.right = f"{last.text} {run.text}", run.right
            last.top = max(last.top, run.top)
        else:
            merged.append(run)
    return merged


def _columns(lines: list[_Line], width: float) -> list[_Line]:
    """Reading order: full-width lines above, then the left column, the right column."""
    mid = width / 2
    left = [ln for ln in lines if ln.right <= mid + 0.02 * width]
    right = [ln for ln in lines if ln.left >= mid - 0.02 * width]
    if len(left) < 3 or len(right) < 3:
        return lines
    columns_top = max(ln.top for ln in left + right)
    full = [ln for ln in lines if ln not in left and ln not in right]
    above = [ln for ln in full if ln.bottom >= columns_top]
    below = [ln for ln in full if ln.bottom < columns_top]
    return above + left + right + below


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def read_pdf(data: bytes) -> Reading:
    """The text of the PDF in *data*, as headings, paragraphs and notes."""
    reading = Reading()
    pdf = pdfium.PdfDocument(data)
    pages: list[tuple[float, float, list[_Line]]] = []
    for page in pdf:
        width, height = page.get_size()
        pages.append((width, height, _lines(page)))
    # Lines in the margins that recur on several pages (numbers aside): running heads.
    margin_keys = Counter(_key(ln.text) for _, h, lines in pages for ln in lines
                          if ln.top > h * (1 - _MARGIN) or ln.bottom < h * _MARGIN)
    sizes = [ln.size for _, _, lines in pages for ln in lines]
    body = statistics.median(sizes) if sizes else 10.0
    describe(reading, "\n".join(ln.text for _, _, lines in pages[:1] for ln in lines[:8]))
    paragraph: list[str] = []
    note: list[str] = []

    def flush() -> None:
        if paragraph:
            text = "".join(paragraph)
            if _STAR_MARKER_RE.search(text):
                reading.clean("footnote-marker", text[:60], "wrote note markers *N as (N)")
                text = _STAR_MARKER_RE.sub(r"(\1)", text)
            reading.add("paragraph", text)
            paragraph.clear()

    def flush_note() -> None:
        if note:
            reading.add("footnote", "".join(note))
            note.clear()

    def join(parts: list[str], text: str) -> None:
        if parts and parts[-1].endswith("-") and len(parts[-1]) > 1 and parts[-1][-2].isalpha():
            if text[:1].islower():  # "transfer-" + "red": one word split by the line end
                reading.clean("hyphenation", f"{parts[-1].split()[-1]}{text.split()[0]}",
                              "rejoined a word hyphenated at a line end")
                parts[-1] = parts[-1][:-1]
            parts.append(text)  # "Japan-" + "U.S.": a real hyphen, kept, no space
        else:
            parts.append(f" {text}" if parts else text)

    for width, height, lines in pages:
        previous: _Line | None = None
        for line in _columns(lines, width):
            in_margin = line.top > height * (1 - _MARGIN) or line.bottom < height * _MARGIN
            if in_margin and (_PAGE_NUMBER_RE.match(line.text) or _RUNNING_RE.match(line.text)
                              or (len(pages) > 1 and margin_keys[_key(line.text)] > 1)):
                reading.clean("running-header", line.text, "removed running header, footer "
                              "or page number")
                continue
            small = line.size < 0.85 * body
            if small and (m := _NOTE_RE.match(line.text)):
                flush()
                flush_note()
                number = next(g for g in m.groups() if g)
                note.append(f"({number}) {line.text[m.end():]}")
                previous = line
                continue
            if small and note:
                join(note, line.text)
                previous = line
                continue
            flush_note()
            if line.size > 1.2 * body:
                flush()
                reading.add("heading", line.text)
                previous = None
                continue
            # Baseline to baseline (glyph boxes vary with descenders): a blank line
            # between paragraphs makes it well over the usual 1.2-1.4 times the type.
            pitch = (previous.bottom - line.bottom) if previous else 0.0
            new_column = previous is not None and line.top > previous.top + body
            if paragraph and previous is not None and (pitch > 1.6 * line.size or (
                    new_column and _END_RE.search(paragraph[-1]))):
                flush()
            join(paragraph, line.text)
            previous = line
        flush_note()
        # A paragraph running on to the next page continues there, unless it ended.
        if paragraph and _END_RE.search(paragraph[-1]):
            flush()
    flush()
    pdf.close()
    return reading
