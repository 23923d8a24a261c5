"""Builders from core results to :class:`~bot.core.cards.Reply`: one per kind of answer.

Corpus and user text always goes through :func:`~bot.core.markup.escape` (or
:func:`bold`/:func:`strike`, which escape); only the builders write markup.
Facts have their own module, :mod:`bot.core.fact_replies`.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.cards import Action, Card, Field, Reply, make_card
from bot.core.corpus import Corpus, DocumentMeta, Passage
from bot.core.markup import ELLIPSIS, bold, escape, strike
from bot.core.matching import QuoteResult, Span
from bot.core.text import preview

VERDICT_TITLES = {"exact": "Exact quotation", "close": "Close match",
                  "partial": "Partial match", "none": "No match"}
LEGEND = "~~struck~~: your words, not in the source · **bold**: the source's words"
CONTEXT_BUDGET = 3000  # characters of passage shown around a match
CITE_ACTIONS = 3  # "open" buttons for alternatives


def _meta(corpus: Corpus, passage: Passage) -> DocumentMeta | None:
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


def _alternatives(alts: Sequence[Span]) -> Field:
    lines = [f"{a.score:.0f}/100 · {escape(a.passage.citation)} ({escape(a.passage.id)})"
             for a in alts]
    return Field(f"{len(alts)} other passage{'s' if len(alts) != 1 else ''} resemble it",
                 "\n".join(lines))


def _open_actions(result: QuoteResult) -> tuple[Action, ...]:
    assert result.match is not None
    actions = [Action.run("Open passage", "passage", "primary", id=result.match.passage.id)]
    actions += [Action.run(f"Alternative {i}", "passage", id=a.passage.id)
                for i, a in enumerate(result.alternatives[:CITE_ACTIONS], 1)]
    return tuple(actions)


def quote_reply(result: QuoteResult, corpus: Corpus, ephemeral: bool = False) -> Reply:
    """Where a quotation comes from: the passage with the matched words in bold."""
    if result.match is None:
        return no_match_reply(result)
    m = result.match
    meta = _meta(corpus, m.passage)
    changes = sum(op.op not in ("equal", "gap") for op in result.diff)
    fields = [Field("Citation", cite(m.passage)),
              Field("Verdict", f"{VERDICT_TITLES[result.verdict]} · {result.score:.0f}/100",
                    inline=True)]
    if changes:
        fields.append(Field("Differences", f"{changes} · /verify shows them", inline=True))
    if result.alternatives:
        fields.append(_alternatives(result.alternatives))
    card = make_card(VERDICT_TITLES[result.verdict], highlight(m.passage.text, m.start, m.end),
                     tuple(fields), footer=meta.credit if meta else "",
                     url=meta.source_url if meta else None, accent=result.verdict,
                     citation=m.passage.citation)
    verify = Action.run("Verify", "verify", text=result.query)
    actions = _open_actions(result)
    if verify.custom_id() is not None and changes:
        actions = (*actions, verify)
    return Reply((card,), actions, ephemeral=ephemeral)


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
    meta = _meta(corpus, m.passage)
    changes = sum(op.op not in ("equal", "gap") for op in result.diff)
    if result.verdict == "exact" or not changes:
        title = f"{VERDICT_TITLES[result.verdict]}: word for word"
        body = f"“{escape(m.quote)}”"
    else:
        title = (f"{VERDICT_TITLES[result.verdict]}: {changes} "
                 f"difference{'s' if changes != 1 else ''}")
        body = f"“{diff_markup(result)}”\n\n{LEGEND}"
    fields = [Field("The source says", f"“{escape(preview(m.quote, 1000))}”"),
              Field("Citation", cite(m.passage)),
              Field("Score", f"{result.score:.0f}/100", inline=True)]
    card = make_card(title, body, tuple(fields), footer=meta.credit if meta else "",
                     url=meta.source_url if meta else None, accent=result.verdict,
                     citation=m.passage.citation)
    return Reply((card,), _open_actions(result), ephemeral=ephemeral)


def no_match_reply(result: QuoteResult) -> Reply:
    tips = "\n".join(f"• {escape(tip)}" for tip in result.suggestions)
    card = make_card("No match", f"“{escape(preview(result.query, 300))}” is not in the "
                     f"corpus (best score {result.score:.0f}/100).\n\n{tips}".rstrip(),
                     accent="none")
    actions = tuple(Action.run(f"Closest: {a.passage.id}", "passage", id=a.passage.id)
                    for a in result.alternatives[:CITE_ACTIONS])
    return Reply((card,), actions, ephemeral=True, outcome="not_found")


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


def passage_reply(corpus: Corpus, passage: Passage) -> Reply:
    """One passage in full, with its neighbours and footnotes as next steps."""
    meta = _meta(corpus, passage)
    before, after = corpus.neighbours(passage.id)
    fields: list[Field] = []
    actions: list[Action] = []
    for label, other in (("Previous", before), ("Next", after)):
        if other is not None:
            fields.append(Field(label, f"{escape(preview(other.text, 200))}\n{escape(other.id)}"))
            actions.append(Action.run(f"{label} passage", "passage", id=other.id))
    for note_id in passage.cites:
        note = corpus.get(note_id)
        if note is not None:
            fields.append(Field(f"Footnote {escape(note.id)}", escape(preview(note.text, 600))))
            actions.append(Action.run(f"Footnote {note.number}", "passage", id=note.id))
    if passage.cited_by:
        fields.append(Field("Footnote to", escape(passage.cited_by)))
        actions.append(Action.run("Back to the text", "passage", id=passage.cited_by))
    footer = " · ".join(x for x in (meta.credit if meta else "", passage.id) if x)
    card = make_card(escape(passage.citation), escape(passage.text), tuple(fields), footer=footer,
                     url=meta.source_url if meta else None, citation=passage.citation)
    return Reply((card,), tuple(actions))


def search_reply(query: str, hits: Sequence[tuple[Passage, float]], page: int, pages: int,
                 total: int, document: str | None, start: int) -> Reply:
    """One page of passages ranked for *query*, numbered from *start* + 1."""
    lines = [f"{start + i}. **{escape(p.citation)}** ({escape(p.id)}) · {score:.0f}/100\n"
             f"{escape(preview(p.text, 300))}" for i, (p, score) in enumerate(hits, 1)]
    where = f" in {document}" if document else ""
    card = make_card(f"Search: {escape(preview(query, 200))}{escape(where)}", "\n\n".join(lines),
                     footer=f"Page {page} of {pages} · {total} passage{'s' if total != 1 else ''}")
    actions = [Action.run(f"Open {start + i}", "passage", id=p.id)
               for i, (p, _) in enumerate(hits, 1)]
    if page > 1:
        actions.append(Action.run("◀ Previous page", "search", query=query, document=document,
                                  page=page - 1))
    if page < pages:
        actions.append(Action.run("Next page ▶", "search", "primary", query=query,
                                  document=document, page=page + 1))
    return Reply((card,), tuple(actions))


def help_reply(commands: Sequence[tuple[str, str]], intro: str) -> Reply:
    """Every command, as ``(usage, description)`` pairs."""
    card = make_card("Bluebook Bot commands", escape(intro),
                     tuple(Field(escape(usage), escape(desc)) for usage, desc in commands))
    return Reply((card,), ephemeral=True)


def about_reply(corpus: Corpus, version: str, facts: int | None, facts_note: str = "") -> Reply:
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
              Field("Source", "Diplomatic Bluebook, published by the Ministry of Foreign "
                              "Affairs of Japan\nhttps://www.mofa.go.jp/policy/other/bluebook/"
                              "index.html"))
    card = make_card("About Bluebook Bot",
                     "Fact cards and fuzzy-matched quotations from Japan's Diplomatic Bluebook, "
                     "each with its exact words and citation.", fields,
                     url="https://www.mofa.go.jp/policy/other/bluebook/index.html")
    return Reply((card,), ephemeral=True)


__all__ = ["Card", "Reply", "about_reply", "diff_markup", "error_reply", "help_reply",
           "highlight", "no_match_reply", "passage_reply", "quote_reply", "search_reply",
           "verify_reply"]
