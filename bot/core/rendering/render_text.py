"""Render a :class:`~bot.core.rendering.cards.Reply` as terminal text.

With ``ansi=True`` bold and strike-through become terminal styles and the title
takes the card's accent colour; without it (output piped to a file or another
program) the ``**``/``~~`` markers stay, so the distinction survives as text.
"""

from __future__ import annotations

from bot.core.rendering.cards import Accent, Card, Reply
from bot.core.rendering.markup import BOLD, STRIKE, plain, segments

_BOLD_ON, _BOLD_OFF = "\x1b[1m", "\x1b[22m"
_STRIKE_ON, _STRIKE_OFF = "\x1b[9m", "\x1b[29m"
_DIM_ON, _RESET = "\x1b[2m", "\x1b[0m"
_COLOURS: dict[Accent, str] = {"info": "34", "exact": "32", "close": "32", "partial": "33",
                               "none": "31", "fact": "36", "error": "31"}
RULE = "─"


def style(markup: str, ansi: bool) -> str:
    """*markup* as terminal text: escapes removed, styles as ANSI or as markers."""
    out: list[str] = []
    for seg in segments(markup):
        text = seg.text
        if ansi:
            if seg.strike:
                text = _STRIKE_ON + text + _STRIKE_OFF
            if seg.bold:
                text = _BOLD_ON + text + _BOLD_OFF
        else:
            if seg.strike:
                text = STRIKE + text + STRIKE
            if seg.bold:
                text = BOLD + text + BOLD
        out.append(text)
    # Adjacent runs of one style come back as one, e.g. "**a****b**" -> "**ab**".
    joined = "".join(out)
    return joined if ansi else joined.replace(BOLD * 2, "").replace(STRIKE * 2, "")


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def render_card(card: Card, ansi: bool = False) -> str:
    # Titles and footers show no inline styles on Discord either: plain text.
    head = f"{RULE * 2} {plain(card.title)} {RULE * 2}"
    if ansi:
        head = f"\x1b[1;{_COLOURS[card.accent]}m{head}{_RESET}"
    lines = [head]
    if card.description:
        lines += ["", style(card.description, ansi)]
    if card.fields:
        lines.append("")
    for f in card.fields:
        name, value = style(f.name, ansi), style(f.value, ansi)
        if f.inline and "\n" not in value:
            lines.append(f"{name}: {value}")
        else:
            lines += [f"{name}:", _indent(value)]
    # On Discord the url is the title's link; in a terminal it is printed, once:
    # not again when the card's text already shows it (as /about's Source does).
    shown = [card.description, *(f.value for f in card.fields)]
    if card.url and not any(card.url in text for text in shown if text):
        lines += ["", card.url]
    if card.footer:
        footer = f"— {plain(card.footer)}"
        lines += ["", f"{_DIM_ON}{footer}{_RESET}" if ansi else footer]
    return "\n".join(lines)


def render(reply: Reply, ansi: bool = False) -> str:
    """The whole reply: its cards, then its actions as numbered commands to type."""
    parts = [render_card(card, ansi) for card in reply.cards]
    if reply.actions:
        width = max(len(a.label) for a in reply.actions)
        lines = [f"  [{i}] {a.label.ljust(width)}  {a.url or a.shell_command()}"
                 for i, a in enumerate(reply.actions, 1)]
        parts.append("Next (type the number or the command):\n" + "\n".join(lines))
    return "\n\n".join(parts)
