"""Fact cards: short, true statements, each traceable to the Bluebook's exact words.

This module holds the data model only. Validation of card files lives in
:mod:`bot.core.facts.factcheck`, selection in :mod:`bot.core.facts.factsearch`, and the
daily rotation in :mod:`bot.core.daily.rotation`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    description: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label, "description": self.description}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a card's fact comes from: a document id and words copied verbatim from it."""

    document: str
    quote: str
    passage: str | None = None  # the passage id the quote was found in, set by validation


@dataclass(frozen=True, slots=True)
class FactCard:
    id: str
    title: str
    body: str
    topics: tuple[str, ...]
    source: Source
    year: int | None = None
    see_also: tuple[str, ...] = ()
    file: str = ""  # the YAML file the card came from, for error messages
    line: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The card as plain data: the CLI's ``--json`` contract."""
        return {"id": self.id, "title": self.title, "body": self.body,
                "topics": list(self.topics),
                "source": {"document": self.source.document, "quote": self.source.quote,
                           "passage": self.source.passage},
                "year": self.year, "see_also": list(self.see_also)}


@dataclass(frozen=True, slots=True)
class Deck:
    """All cards (in file order) and the declared topics."""

    cards: dict[str, FactCard] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.cards)

    def __iter__(self) -> Iterator[FactCard]:
        return iter(self.cards.values())

    def get(self, card_id: str) -> FactCard | None:
        return self.cards.get(card_id)

    def by_topic(self, topic: str | None) -> list[FactCard]:
        """Cards with *topic*, or every card when *topic* is None."""
        return [c for c in self.cards.values() if topic is None or topic in c.topics]
