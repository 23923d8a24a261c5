"""The tiny markup every reply is written in: Discord markdown, restricted.

Only two styles exist: ``**bold**`` (the source's words) and ``~~strike~~`` (the
user's wrong words). Everything else that Discord would interpret -- ``*``, ``_``,
``|``, masked links, headings, quotes, mentions -- is escaped when text from the
corpus, a fact file or the user is put into a reply, so a quoted ``**`` or an
``@everyone`` can never change how a reply looks or whom it pings. The terminal
renderer parses the same markup back (:func:`segments`), so both front ends agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

BOLD, STRIKE = "**", "~~"
ELLIPSIS = "…"
ZWSP = "\u200b"  # breaks a mention without changing what a reader sees

# Characters Discord treats as inline markdown anywhere in a line; brackets only
# matter as a masked link, "[text](url)", so only "](" is escaped.
_INLINE_RE = re.compile(r"([\\*_~`|]|\](?=\())")
# Block markdown only counts at the start of a line: "> quote", "# heading",
# "- item"; and "1. item", escaped at its dot (Discord ignores "\\1").
_BLOCK_RE = re.compile(r"^(\s*)([>#-])", re.MULTILINE)
_NUMBERED_RE = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)
# "@everyone", "@here", "<@123>", "<#123>", "<@&123>", "<t:...>", "</cmd:1>", custom emoji.
_MENTION_RE = re.compile(r"@|<(?=[@#:/ta])")
_TOKEN_RE = re.compile(r"\\.|\*\*|~~|.", re.DOTALL)


def escape(text: str) -> str:
    """*text* with every markdown character and mention neutralised."""
    text = _INLINE_RE.sub(r"\\\1", text)
    text = _BLOCK_RE.sub(r"\1\\\2", text)
    text = _NUMBERED_RE.sub(r"\1\\.", text)
    return _MENTION_RE.sub(lambda m: m.group() + ZWSP, text)


def _wrap(marker: str, text: str) -> str:
    """Escape *text* and wrap it in *marker*, keeping edge spaces outside the markers
    (Discord ignores ``** word**``)."""
    core = text.strip()
    if not core:
        return escape(text)
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    return f"{lead}{marker}{escape(core)}{marker}{trail}"


def bold(text: str) -> str:
    return _wrap(BOLD, text)


def strike(text: str) -> str:
    return _wrap(STRIKE, text)


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of plain text and the styles in force over it."""

    text: str
    bold: bool = False
    strike: bool = False


def segments(markup: str) -> Iterator[Segment]:
    """Parse markup into styled runs, with escapes and mention breakers removed."""
    is_bold = is_strike = False
    run: list[str] = []
    for tok in _TOKEN_RE.findall(markup):
        if tok in (BOLD, STRIKE):
            if run:
                yield Segment("".join(run), is_bold, is_strike)
                run = []
            if tok == BOLD:
                is_bold = not is_bold
            else:
                is_strike = not is_strike
        elif tok == ZWSP:
            continue
        else:
            run.append(tok[1] if tok.startswith("\\") and len(tok) == 2 else tok)
    if run:
        yield Segment("".join(run), is_bold, is_strike)


def plain(markup: str) -> str:
    """The text a reader sees, without any markup."""
    return "".join(s.text for s in segments(markup))


def is_balanced(markup: str) -> bool:
    """Whether every ``**`` and ``~~`` in *markup* is closed."""
    open_: list[str] = []
    for tok in _TOKEN_RE.findall(markup):
        if tok in (BOLD, STRIKE):
            if open_ and open_[-1] == tok:
                open_.pop()
            elif tok in open_:
                return False  # crossed pairs: "**a ~~b** c~~"
            else:
                open_.append(tok)
    return not open_


def truncate(markup: str, limit: int) -> str:
    """*markup* cut to at most *limit* characters with an honest ellipsis.

    Never cuts inside an escape or a marker, prefers a word boundary, and closes
    any ``**``/``~~`` left open, so the result always renders as intended.
    """
    if len(markup) <= limit:
        return markup
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    tokens = _TOKEN_RE.findall(markup)
    kept: list[str] = []
    stack: list[str] = []
    # Stacks after each kept token, to know which markers a cut there must close.
    size = 0
    best: tuple[int, list[str]] = (0, [])
    best_word: tuple[int, list[str]] | None = None
    for i, tok in enumerate(tokens):
        if tok in (BOLD, STRIKE):
            if stack and stack[-1] == tok:
                stack.pop()
            else:
                stack.append(tok)
        size += len(tok)
        closing = sum(len(m) for m in stack)
        if size + len(ELLIPSIS) + closing > limit:
            break
        kept.append(tok)
        best = (i + 1, list(stack))
        if tok.isspace():
            best_word = (i, list(stack))  # cut before the space
    cut, open_ = best
    if best_word is not None and best_word[0] > cut * 2 // 3:
        cut, open_ = best_word
    head = "".join(kept[:cut]).rstrip()
    # A marker opened just before the cut would wrap nothing: drop it.
    while open_ and head.endswith(open_[-1]) and not head.endswith("\\" + open_[-1][0]):
        head = head[: -len(open_[-1])].rstrip()
        open_.pop()
    return head + ELLIPSIS + "".join(reversed(open_))
