"""Wrap rendered terminal text to a width without breaking a word.

``textwrap`` counts ANSI escape sequences as text and knows nothing of wide
characters, so lines with styles wrapped early and CJK lines late; and the
typeable next steps (``/highlight id:dbb2025-na.overview.p2``) must never be
split mid-word, or the command can no longer be copied. Words longer than the
width stay whole, on a line of their own.
"""

from __future__ import annotations

import re
import unicodedata

_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
_WORD_RE = re.compile(r"( *)(\S+)")
# The numbered next steps: "  [3] Full passage      /highlight id:…" continue under the label.
_STEP_RE = re.compile(r"^( *\[\d+\] )")
# Where a next step's label ends and its command (or link) begins: two spaces or more.
_COMMAND_RE = re.compile(r"( {2,})((?:/|https?://)\S.*)$")


def visible_width(text: str) -> int:
    """Columns *text* takes in a terminal: escapes take none, wide characters two."""
    width = 0
    for ch in _ANSI_RE.sub("", text):
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def wrap_line(line: str, width: int) -> list[str]:
    """*line* as lines of at most *width* columns, broken only at spaces; the
    continuation lines keep the first line's indent (or a next step's label)."""
    if width <= 0 or visible_width(line) <= width:
        return [line]
    step = _STEP_RE.match(line)
    lead = step.group(1) if step else line[: len(line) - len(line.lstrip(" "))]
    indent = " " * visible_width(lead)
    if len(indent) > width // 2:  # a deep indent would leave no room for words
        indent = ""
    command = _COMMAND_RE.search(line, len(lead)) if step else None
    if command is not None and len(indent) + visible_width(command.group(2)) <= width:
        # A next step's command moves whole to its own line, so it can be copied as one.
        return [*wrap_line(line[: command.start()], width), indent + command.group(2)]
    out: list[str] = []
    current, used, fresh = lead, visible_width(lead), True
    # Each word with the spaces before it, so padding within a line (the aligned
    # labels of the next steps) survives; a break drops the spaces it falls on.
    for gap, word in _WORD_RE.findall(line[len(lead):]):
        size = visible_width(word)
        if fresh:
            current, used, fresh = current + word, used + size, False
        elif used + len(gap) + size <= width:
            current, used = current + gap + word, used + len(gap) + size
        else:
            out.append(current)
            current, used = indent + word, len(indent) + size
    out.append(current)
    return out


def wrap_text(text: str, width: int | None) -> str:
    """Every line of *text* wrapped to *width*; None or 0 leaves it as it is."""
    if not width:
        return text
    return "\n".join(part for line in text.split("\n") for part in wrap_line(line, width))
