"""Editions: limit /quote, /verify and /search to one edition's documents, and link
a passage to the same section in the other editions.

The loader keeps each edition's documents together (:func:`bot.storage.corpus_files.
load_corpus`), so an edition is one run of ``corpus.passages``: the index's
``within`` range limits a search to it, with no second index.
"""

from __future__ import annotations

import dataclasses
import re

from bot.app.registry import NotFound, did_you_mean
from bot.core.quotes.corpus import Corpus, Document, Passage
from bot.core.quotes.ingest import slug
from bot.core.rendering.cards import ACTIONS_MAX, Action, Reply

MAX_LINKS = 3  # "the same section in 2010", at most this many other editions
_NUMBER_RE = re.compile(r"^[§\s\d.]+")


def editions(corpus: Corpus) -> list[int]:
    """The edition years in *corpus*, newest first."""
    return sorted({d.meta.edition for d in corpus.documents.values() if d.meta.edition},
                  reverse=True)


def edition_range(corpus: Corpus, edition: str | None) -> range | None:
    """Where *edition*'s passages sit in ``corpus.passages``; None for every edition."""
    if edition is None or not edition.strip():
        return None
    known = [str(e) for e in editions(corpus)]
    wanted = edition.strip().removeprefix("Diplomatic Bluebook").strip()
    if wanted not in known:
        raise NotFound(f"There is no {edition!r} edition in the corpus "
                       f"(editions: {', '.join(known) or 'none'}).",
                       did_you_mean(wanted, known))
    year = int(wanted)
    spans = [_span(corpus, d) for d in corpus.documents.values() if d.meta.edition == year]
    spans = [s for s in spans if s]
    if not spans:
        return range(0)
    return range(min(s.start for s in spans), max(s.stop for s in spans))


def _span(corpus: Corpus, doc: Document) -> range:
    start = corpus.index_of(doc.passages[0].id) if doc.passages else None
    return range(0) if start is None else range(start, start + len(doc.passages))


def with_edition(reply: Reply, edition: str | None, commands: tuple[str, ...]) -> Reply:
    """*reply* with *edition* added to the buttons that run *commands* (Next match,
    Verify, the search pages), so paging stays in the edition asked for."""
    if not edition:
        return reply
    actions = tuple(
        dataclasses.replace(a, args=(*a.args, ("edition", edition)))
        if a.command in commands and "edition" not in a.kwargs else a
        for a in reply.actions)
    return dataclasses.replace(reply, actions=actions)


def _title_key(text: str | None) -> str | None:
    """A section's name without its number: "§3 North America" -> "north-america"."""
    if not text:
        return None
    key = slug(_NUMBER_RE.sub("", text))
    return key if key != "x" else None


def same_section(corpus: Corpus, passage: Passage) -> list[Passage]:
    """The first passage of the same section in each other edition that has it:
    matched by the document's section title, else by this section's title in a
    document of the same chapter (or one covering a whole region)."""
    here = corpus.documents[passage.document_id]
    doc_key, section_key = _title_key(here.meta.section), _title_key(passage.section)
    found: dict[int, Passage] = {}
    for other in corpus.documents.values():
        year = other.meta.edition
        if not year or year == here.meta.edition or year in found or not other.passages:
            continue
        sections: dict[str | None, Passage] = {}
        for p in other.passages:
            sections.setdefault(_title_key(p.section), p)
        start = next((p for p in other.passages if p.section != "Front matter"),
                     other.passages[0])
        other_key = _title_key(other.meta.section)
        target = None
        if doc_key and doc_key == other_key:
            target = sections.get(section_key, start)
        elif doc_key and doc_key in sections:  # the whole region in one document
            target = sections[doc_key]
        elif not doc_key and section_key and section_key == other_key:
            target = start  # from the whole region to the edition's section on it
        elif (section_key in sections and here.meta.chapter
              and here.meta.chapter == other.meta.chapter):
            target = sections[section_key]
        if target is not None:
            found[year] = target
    return [found[y] for y in sorted(found, reverse=True)][:MAX_LINKS]


def with_other_editions(reply: Reply, corpus: Corpus, passage: Passage) -> Reply:
    """/passage's reply with a button per other edition's same section."""
    links = [Action.run(f"{corpus.documents[p.document_id].meta.edition} edition",
                        "passage", id=p.id) for p in same_section(corpus, passage)]
    room = ACTIONS_MAX - len(reply.actions)
    if not links or room <= 0:
        return reply
    return dataclasses.replace(reply, actions=(*reply.actions, *links[:room]))
