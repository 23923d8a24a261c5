"""Builders for quotation answers: where a quotation comes from (/quote, and its
"Next match" paging), whether it is faithful (/verify), and no match at all.

The quotation itself is shown on the card in :data:`~bot.core.rendering.cards.ECHO_FIELD`,
so that "Next match" and "Verify" buttons work for quotations of any length: the
button's ``custom_id`` holds the rank, the message holds the words.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.quotes.corpus import Corpus
from bot.core.quotes.matching import QuoteResult, Span
from bot.core.quotes.text import preview
from bot.core.rendering.cards import (
    Accent,
    Action,
    ActionStyle,
    Field,
    Reply,
    echo_field,
    make_card,
)
from bot.core.rendering.markup import ELLIPSIS, bold, escape, strike
from bot.core.rendering.replies import cite, highlight, meta

VERDICT_TITLES = {"exact": "Exact quotation", "close": "Close match",
                  "partial": "Partial match", "none": "No match"}
LEGEND = "~~struck~~: your words, not in the source · **bold**: the source's words"
CITE_ACTIONS = 3  # "open" buttons for alternatives


def misquote_line(result: QuoteResult) -> str:
    """"Misquoted: the source says three, not five" (every changed fact), or ""."""
    if not result.misquote:
        return ""
    said = "; ".join(f"{c.source}, not {c.query}" for c in result.changed)
    return f"Misquoted: the source says {said}"


def matches(result: QuoteResult) -> tuple[Span, ...]:
    """The match and its alternatives, best first: what "Next match" pages through."""
    return (result.match, *result.alternatives) if result.match else ()


def full_passage(label: str, span: Span, style: ActionStyle = "secondary") -> Action:
    """Open *span*'s passage in full with its words in bold."""
    return Action.run(label, "highlight", style, id=span.passage.id, start=span.start,
                      end=span.end)


def _alternatives(alts: Sequence[Span]) -> Field:
    lines = [f"{a.score:.0f}/100 · {escape(a.passage.citation)} ({escape(a.passage.id)})"
             for a in alts]
    return Field(f"{len(alts)} other passage{'s' if len(alts) != 1 else ''} resemble it",
                 "\n".join(lines))


def quote_reply(result: QuoteResult, corpus: Corpus, ephemeral: bool = False,
                rank: int = 1) -> Reply:
    """Where a quotation comes from: the passage with the matched words in bold.

    *rank* 1 is the best match; 2 and on are the other passages that resemble the
    quotation, reached with "Next match" (the caller checks *rank* is in range).
    """
    if result.match is None:
        return no_match_reply(result)
    spans = matches(result)
    span = spans[rank - 1]
    info = meta(corpus, span.passage)
    echo = echo_field(result.query)
    fields = [echo] if echo else []
    fields.append(Field("Citation", cite(span.passage)))
    changes = sum(op.op not in ("equal", "gap") for op in result.diff)
    if rank == 1:
        title = VERDICT_TITLES[result.verdict]
        accent: Accent = result.verdict
        fields.append(Field("Verdict", f"{title} · {result.score:.0f}/100", inline=True))
        if result.misquote:  # a changed fact leads, in the colour of an error
            title, accent = misquote_line(result), "error"
        if changes:
            fields.append(Field("Differences", f"{changes} · /verify shows them", inline=True))
        if result.alternatives:
            fields.append(_alternatives(result.alternatives))
    else:
        title, accent = "Another passage that resembles it", "partial"
        best = result.match
        fields += [Field("Score", f"{span.score:.0f}/100", inline=True),
                   Field("Best match", f"{result.score:.0f}/100 · {escape(best.passage.citation)}",
                         inline=True)]
    where = f"Match {rank} of {len(spans)}" if len(spans) > 1 else ""
    footer = " · ".join(x for x in (where, info.credit if info else "") if x)
    card = make_card(title, highlight(span.passage.text, span.start, span.end), tuple(fields),
                     footer=footer, url=info.source_url if info else None, accent=accent,
                     citation=span.passage.citation)
    # The words travel in the card when they do not fit in a button (see the docstring).
    text_arg = "text" if echo else None
    actions = [full_passage("Full passage", span, "primary")]
    if rank > 1:
        actions.append(Action.run("◀ Previous", "match", echo=text_arg, in_place=True,
                                  text=result.query, rank=rank - 1))
    if rank < len(spans):
        actions.append(Action.run("Next match ▶", "match", echo=text_arg, in_place=True,
                                  text=result.query, rank=rank + 1))
    if rank == 1 and changes:
        actions.append(Action.run("Verify", "verify", echo=text_arg, text=result.query))
    return Reply((card,), tuple(actions), ephemeral=ephemeral)


def diff_markup(result: QuoteResult) -> str:
    """The quotation as the user wrote it, corrected in place: their wrong words
    struck through, the source's words in bold."""
    parts: list[str] = []
    for op in result.diff:
        if op.op == "equal":
            parts.append(escape(op.source))
        elif op.op == "missing":
            parts.append(bold(op.source))
        elif op.op == "added":
            parts.append(strike(op.query))
        elif op.op == "changed":
            parts.append(f"{strike(op.query)} {bold(op.source)}")
        else:
            parts.append(ELLIPSIS)
    return " ".join(parts)


def verify_reply(result: QuoteResult, corpus: Corpus, ephemeral: bool = False) -> Reply:
    """Whether a quotation is faithful, and exactly which words differ."""
    if result.match is None:
        return no_match_reply(result)
    m = result.match
    info = meta(corpus, m.passage)
    changes = sum(op.op not in ("equal", "gap") for op in result.diff)
    accent: Accent = result.verdict
    if result.misquote:
        title, accent = misquote_line(result), "error"
        body = f"“{diff_markup(result)}”\n\n{LEGEND}"
    elif result.verdict == "exact" or not changes:
        title = f"{VERDICT_TITLES[result.verdict]}: word for word"
        body = f"“{escape(m.quote)}”"
    else:
        title = (f"{VERDICT_TITLES[result.verdict]}: {changes} "
                 f"difference{'s' if changes != 1 else ''}")
        body = f"“{diff_markup(result)}”\n\n{LEGEND}"
    fields = [Field("The source says", f"“{escape(preview(m.quote, 1000))}”"),
              Field("Citation", cite(m.passage)),
              Field("Score", f"{result.score:.0f}/100", inline=True)]
    card = make_card(title, body, tuple(fields), footer=info.credit if info else "",
                     url=info.source_url if info else None, accent=accent,
                     citation=m.passage.citation)
    actions = [full_passage("Full passage", m, "primary")]
    actions += [full_passage(f"Alternative {i}", a)
                for i, a in enumerate(result.alternatives[:CITE_ACTIONS], 1)]
    return Reply((card,), tuple(actions), ephemeral=ephemeral)


def no_match_reply(result: QuoteResult) -> Reply:
    tips = "\n".join(f"• {escape(tip)}" for tip in result.suggestions)
    card = make_card("No match", f"“{escape(preview(result.query, 300))}” is not in the "
                     f"corpus (best score {result.score:.0f}/100).\n\n{tips}".rstrip(),
                     accent="none")
    actions = tuple(Action.run(f"Closest: {a.passage.id}", "passage", id=a.passage.id)
                    for a in result.alternatives[:CITE_ACTIONS])
    return Reply((card,), actions, ephemeral=True, outcome="not_found")
