"""Fact cards: short, true statements, each traceable to the Bluebook's exact words.

This module holds the data model only. Validation of card files lives in
:mod:`bot.core.factcheck`, selection in :mod:`bot.core.factsearch`, and the
daily rotation in :mod:`bot.core.rotation`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    description: str


@dataclass(frozen=True, slots=True)
class Source:
    """Where a card's fact comes from: a document id and words copied verbatim from it."""

    document: str
    quote: str


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
