"""Builders from core results to :class:`~bot.core.rendering.cards.Reply`: one per kind of answer.

Corpus and user text always goes through :func:`~bot.core.rendering.markup.escape` (or
:func:`bold`/:func:`strike`, which escape); only the builders write markup.
Quotations have their own module, :mod:`bot.core.rendering.quote_replies`, and facts theirs,
:mod:`bot.core.rendering.fact_replies`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.core.errors import UserError
from bot.core.quotes.corpus import Corpus, DocumentMeta, Passage
from bot.core.quotes.text import preview
from bot.core.rendering.cards import Action, Card, Field, Reply, echo_field, make_card
from bot.core.rendering.markup import ELLIPSIS, bold, escape

CONTEXT_BUDGET = 3000  # characters of passage shown around a match


def meta(corpus: Corpus, passage: Passage) -> DocumentMeta | None:
    doc = corpus.documents.get(passage.document_id)
    return doc.meta if doc else None


def _cut_left(text: str, room: int) -> str:
    """The last *room* characters of *text*, from a word start, after an ellipsis."""
    if len(text) <= room:
        return text
    tail = text[len(text) - room:]
    space = tail.find(" ")
    return ELLIPSIS + (tail[space + 1:] if 0 <= space < room // 2 else tail)


def _cut_right(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    return preview(text, room)


def highlight(text: str, start: int, end: int, budget: int = CONTEXT_BUDGET) -> str:
    """*text* with ``[start, end)`` in bold and as much context either side as fits."""
    room = max(budget - (end - start), 0) // 2
    before, after = _cut_left(text[:start], room), _cut_right(text[end:], room)
    return escape(before) + bold(text[start:end]) + escape(after)


def cite(passage: Passage) -> str:
    return f"{escape(passage.citation)}\n{escape(passage.id)}"


def error_reply(message: str, suggestions: Sequence[str] = (), *, not_found: bool = False,
                title: str | None = None, actions: Sequence[Action] = ()) -> Reply:
    """A problem with the request: what went wrong and what to try instead."""
    body = escape(message)
    if suggestions:
        body += "\n\nDid you mean: " + ", ".join(escape(s) for s in suggestions)
    card = make_card(title or ("Not found" if not_found else "Cannot do that"), body,
                     accent="error")
    return Reply((card,), tuple(actions), ephemeral=True,
                 outcome="not_found" if not_found else "bad_input")


def passage_reply(corpus: Corpus, passage: Passage,
                  span: tuple[int, int] | None = None) -> Reply:
    """One passage in full, with its neighbours and footnotes as next steps; with
    *span*, the words ``passage.text[start:end]`` in bold (a fact's source, a match).
    A span outside the passage (the corpus changed since the button was made) is a
    :class:`UserError`."""
    if span is not None and not 0 <= span[0] < span[1] <= len(passage.text):
        raise UserError(f"Those words are no longer in passage {passage.id}: the corpus "
                        "has changed since. /passage shows it as it is now.")
    info = meta(corpus, passage)
    before, after = corpus.neighbours(passage.id)
    fields: list[Field] = []
    actions: list[Action] = []
    # A neighbour that is also this passage's footnote (or the text it belongs to)
    # gets one button, under its specific name: Discord refuses a message whose
    # buttons repeat a custom_id, and two steps to one place only confuse.
    specific = {*passage.cites, passage.cited_by}
    for label, other in (("Previous", before), ("Next", after)):
        if other is not None:
            fields.append(Field(label, f"{escape(preview(other.text, 200))}\n{escape(other.id)}"))
            if other.id not in specific:
                actions.append(Action.run(f"{label} passage", "passage", id=other.id))
    for note_id in dict.fromkeys(passage.cites):  # a note cited twice is one step
        note = corpus.get(note_id)
        if note is not None:
            fields.append(Field(f"Footnote {escape(note.id)}", escape(preview(note.text, 600))))
            actions.append(Action.run(f"Footnote {note.number}", "passage", id=note.id))
    if passage.cited_by:
        fields.append(Field("Footnote to", escape(passage.cited_by)))
        actions.append(Action.run("Back to the text", "passage", id=passage.cited_by))
    footer = " · ".join(x for x in (info.credit if info else "", passage.id) if x)
    body = highlight(passage.text, *span) if span else escape(passage.text)
    card = make_card(escape(passage.citation), body, tuple(fields), footer=footer,
                     url=info.source_url if info else None, citation=passage.citation)
    return Reply((card,), tuple(actions))


def search_reply(query: str, hits: Sequence[tuple[Passage, float]], page: int, pages: int,
                 total: int, document: str | None, start: int) -> Reply:
    """One page of passages ranked for *query*, numbered from *start* + 1."""
    lines = [f"{start + i}. **{escape(p.citation)}** ({escape(p.id)}) · {score:.0f}/100\n"
             f"{escape(preview(p.text, 300))}" for i, (p, score) in enumerate(hits, 1)]
    actions = [Action.run(f"Open {start + i}", "passage", id=p.id)
               for i, (p, _) in enumerate(hits, 1)]
    pagers = []
    if page > 1:
        pagers.append(Action.run("◀ Previous page", "search", in_place=True, echo="query",
                                 query=query, document=document, page=page - 1))
    if page < pages:
        pagers.append(Action.run("Next page ▶", "search", "primary", in_place=True,
                                 echo="query", query=query, document=document, page=page + 1))
    # A query too long for a button's custom_id is shown whole, for the button to read.
    echo = None
    if any(replace(a, echo=None).custom_id() is None for a in pagers):
        echo = echo_field(query)
        if echo is None:
            pagers = [replace(a, echo=None) for a in pagers]
    where = f" in {document}" if document else ""
    card = make_card(f"Search: {escape(preview(query, 200))}{escape(where)}", "\n\n".join(lines),
                     (echo,) if echo else (),
                     footer=f"Page {page} of {pages} · {total} passage{'s' if total != 1 else ''}")
    actions += pagers
    return Reply((card,), tuple(actions))


def help_reply(commands: Sequence[tuple[str, str]], intro: str) -> Reply:
    """Every command, as ``(usage, description)`` pairs."""
    card = make_card("Bluebook Bot commands", escape(intro),
                     tuple(Field(escape(usage), escape(desc)) for usage, desc in commands))
    return Reply((card,), ephemeral=True)


def about_reply(corpus: Corpus, version: str, facts: int | None, facts_note: str = "",
                *, inline: str = "") -> Reply:
    """What the bot serves, from whom, and which version."""
    counts: dict[str, int] = {}
    for p in corpus:
        counts[p.document_id] = counts.get(p.document_id, 0) + 1
    docs = "\n".join(f"• {escape(d.meta.label)} ({escape(d.id)}): {counts.get(d.id, 0)} passages"
                     for d in corpus.documents.values())
    fact_text = (f"{facts} card{'s' if facts != 1 else ''}" if facts is not None
                 else f"unavailable{': ' + escape(facts_note) if facts_note else ''}")
    fields = (Field("Documents", docs or "none"),
              Field("Fact cards", fact_text, inline=True),
              Field("Version", escape(version), inline=True),
              *((Field("Inline lookups", escape(inline)),) if inline else ()),
              Field("Source", "Diplomatic Bluebook, published by the Ministry of Foreign "
                              "Affairs of Japan\nhttps://www.mofa.go.jp/policy/other/bluebook/"
                              "index.html"))
    card = make_card("About Bluebook Bot",
                     "Fact cards and fuzzy-matched quotations from Japan's Diplomatic Bluebook, "
                     "each with its exact words and citation.", fields,
                     url="https://www.mofa.go.jp/policy/other/bluebook/index.html")
    return Reply((card,), ephemeral=True)


__all__ = ["Card", "Reply", "about_reply", "cite", "error_reply", "help_reply", "highlight",
           "meta", "passage_reply", "search_reply"]
