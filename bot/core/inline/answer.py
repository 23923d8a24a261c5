"""What a checked quotation says, and the answers built from several of them: the
compact inline reply in Discord (one message for up to three quotations) and the
``/scan`` report in the shell."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.core.inline.extract import Quotation
from bot.core.quotes.matching import QuoteResult
from bot.core.quotes.text import preview
from bot.core.rendering.cards import Accent, Field, Reply, make_card
from bot.core.rendering.markup import escape
from bot.core.rendering.quote_replies import (
    VERDICT_TITLES,
    diff_markup,
    full_passage,
    misquote_line,
)

Status = Literal["right", "differs", "misquote", "not_found", "error"]
RIGHT_VERDICTS = ("exact", "close")
SOURCE_PREVIEW = 600  # characters of the source's words on an inline card
SCAN_LINES = 20  # /scan lists this many quotations on its card


@dataclass(frozen=True, slots=True)
class Checked:
    """One quotation and its lookup: a result, or why it could not be looked up."""

    quotation: Quotation
    result: QuoteResult | None
    error: str = ""

    @property
    def status(self) -> Status:
        # A changed fact is a misquote whatever the verdict; otherwise a verdict other
        # than exact or close "differs": recognisably this passage, but not its words.
        if self.result is None:
            return "error"
        if not self.result.found:
            return "not_found"
        if self.result.misquote:
            return "misquote"
        return "right" if self.result.verdict in RIGHT_VERDICTS else "differs"

    @property
    def changes(self) -> int:
        if self.result is None:
            return 0
        return sum(op.op not in ("equal", "gap") for op in self.result.diff)


def all_right(checked: Sequence[Checked]) -> bool:
    return all(c.status == "right" for c in checked)


def answerable(checked: Sequence[Checked]) -> list[Checked]:
    """What an inline reply shows: every ``[[…]]`` request, but quoted sentences and
    ``> `` lines only when they were found (otherwise the bot says nothing of them)."""
    return [c for c in checked
            if c.quotation.kind == "brackets" or c.status in ("right", "differs", "misquote")]


def _card_for(c: Checked, number: int, of: int) -> tuple[str, str, tuple[Field, ...], Accent]:
    where = f"{number}/{of} · " if of > 1 else ""
    r = c.result
    if r is None:
        return (f"{where}Not looked up", escape(c.error), (), "error")
    if r.match is None:
        return (f"{where}No match",
                f"“{escape(preview(r.query, 300))}” is not in the corpus.", (), "none")
    m = r.match
    body = f"“{escape(preview(m.quote, SOURCE_PREVIEW))}”\n— {escape(m.passage.citation)}"
    fields: tuple[Field, ...] = ()
    if c.changes:
        fields = (Field(f"What differs ({c.changes})", diff_markup(r)),)
    if r.misquote:  # the changed facts lead, in the colour of an error
        return f"{where}{misquote_line(r)}", body, fields, "error"
    title = f"{where}{VERDICT_TITLES[r.verdict]} · {r.score:.0f}/100"
    return title, body, fields, r.verdict


def inline_reply(checked: Sequence[Checked]) -> Reply | None:
    """One reply for a message's quotations (see :func:`answerable`), or None when there
    is nothing to say."""
    shown = answerable(checked)
    if not shown:
        return None
    cards, actions = [], []
    for i, c in enumerate(shown, 1):
        title, body, fields, accent = _card_for(c, i, len(shown))
        citation = c.result.match.passage.citation if c.result and c.result.match else None
        cards.append(make_card(title, body, fields, accent=accent, citation=citation))
        if c.result is not None and c.result.match is not None:
            label = "Full passage" if len(shown) == 1 else f"Full passage {i}"
            actions.append(full_passage(label, c.result.match))
    return Reply(tuple(cards), tuple(actions))


def verdict_label(result: QuoteResult) -> str:
    """A found quotation's verdict for a one-line report: a misquote leads with what
    the source says instead, as /verify does."""
    return misquote_line(result) if result.misquote else result.verdict


def scan_line(c: Checked) -> str:
    """``3:12 exact · Diplomatic Bluebook 2025, … [id] · 2 differences``: one quotation."""
    q = c.quotation
    where = f"{q.line}:{q.column}"
    r = c.result
    if r is None:
        return f"{where} not checked · {c.error}"
    if r.match is None:
        return f"{where} not found · “{preview(q.text, 80)}”"
    m = r.match
    line = f"{where} {verdict_label(r)} · {m.passage.citation} [{m.passage.id}]"
    if c.changes:
        line += f" · {c.changes} difference{'s' if c.changes != 1 else ''}"
    return line


def scan_reply(checked: Sequence[Checked]) -> Reply:
    """The shell's ``/scan``: every quotation on one card; "not found" when any is
    wrong or missing, so ``-c`` exits 1 then."""
    if not checked:
        card = make_card("No quotations", "Nothing to check: write [[…]], a “quoted sentence” "
                         "of 8 words or more, or > quoted lines.")
        return Reply((card,))
    lines = [escape(scan_line(c)) for c in checked[:SCAN_LINES]]
    if len(checked) > SCAN_LINES:
        lines.append(f"… and {len(checked) - SCAN_LINES} more (bluebook-bot scan lists all)")
    good = sum(c.status == "right" for c in checked)
    title = f"{good} of {len(checked)} quotation{'s' if len(checked) != 1 else ''} right"
    ok = all_right(checked)
    card = make_card(title, "\n".join(lines), accent="exact" if ok else "partial")
    actions = tuple(full_passage(f"Quotation {i}", c.result.match)
                    for i, c in enumerate(checked[:5], 1)
                    if c.result is not None and c.result.match is not None)
    return Reply((card,), actions, outcome="ok" if ok else "not_found")
