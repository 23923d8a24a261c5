"""A fact card stub for a quotation: the corpus's exact words, the document, the
year, topics suggested from the cards most like it, and the citation."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.core.facts.model import Deck
from bot.core.quotes.corpus import Corpus
from bot.core.quotes.ingest import slug
from bot.core.quotes.matching import Span
from bot.core.quotes.text import words

MIN_WORDS = 8  # what `check` asks of a card's quote
MAX_QUOTE_CHARS = 1000
# A sentence ends after a lower-case word or a figure, not after "U.S." or "Mr.".
_SENTENCE_RE = re.compile(r"(?<=[a-z0-9)%][.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ID_WORDS = 6
_MIN_WORD = 4  # shorter words say little about the subject


@dataclass(frozen=True, slots=True)
class Draft:
    id: str
    document: str
    quote: str
    year: int | None
    topics: tuple[str, ...]
    citation: str
    passage_id: str

    def yaml(self) -> str:
        """The card as an item of a ``cards:`` list, title and body left to write."""
        year = f"\n    year: {self.year}" if self.year else ""
        return (f"  # {self.citation}  [{self.passage_id}]\n"
                f"  - id: {self.id}\n"
                f'    title: ""  # write: at most 256 characters\n'
                f'    body: ""  # write: one to three sentences; figures and dates must be '
                f"in the quote\n"
                f"    topics: [{', '.join(self.topics)}]\n"
                f"    source:\n"
                f"      document: {self.document}\n"
                f"      quote: {json.dumps(self.quote, ensure_ascii=False)}{year}\n")


def quote_of(span: Span) -> str:
    """The passage's own words for *span*: widened to whole sentences when it is
    shorter than a card's quote must be."""
    text = span.passage.text
    if len(words(span.quote)) >= MIN_WORDS:
        return span.quote[:MAX_QUOTE_CHARS]
    starts = [0, *(m.end() for m in _SENTENCE_RE.finditer(text))]
    start = max(s for s in starts if s <= span.start)
    later = [s for s in starts if s >= span.end]
    end = later[0] if later else len(text)
    while len(words(text[start:end])) < MIN_WORDS and later[1:]:
        later = later[1:]
        end = later[0]
    if len(words(text[start:end])) < MIN_WORDS:
        end = len(text)
    return text[start:end].strip()[:MAX_QUOTE_CHARS]


def suggest_topics(deck: Deck, quote: str, document: str, limit: int = 3) -> tuple[str, ...]:
    """Topics of the cards most like *quote* (shared words, same document first)."""
    mine = {w for w in words(quote) if len(w) >= _MIN_WORD}
    scored = []
    for card in deck:
        theirs = {w for w in words(f"{card.source.quote} {card.title} {card.body}")
                  if len(w) >= _MIN_WORD}
        overlap = len(mine & theirs) / max(len(mine | theirs), 1)
        scored.append((overlap + (0.05 if card.source.document == document else 0.0), card))
    topics: list[str] = []
    for _, card in sorted(scored, key=lambda s: -s[0])[:3]:
        topics += [t for t in card.topics if t not in topics]
    return tuple(topics[:limit])


def draft_card(corpus: Corpus, span: Span, deck: Deck, topics: tuple[str, ...] = ()) -> Draft:
    passage = span.passage
    quote = quote_of(span)
    doc = corpus.documents[passage.document_id]
    base = slug(" ".join([w for w in words(quote) if len(w) >= _MIN_WORD][:_ID_WORDS]))[:48]
    card_id, k = base.strip("-") or "card", 2
    while card_id in deck.cards:
        card_id, k = f"{base}-{k}", k + 1
    return Draft(card_id, doc.id, quote, doc.meta.edition,
                 topics or suggest_topics(deck, quote, doc.id), passage.citation, passage.id)
