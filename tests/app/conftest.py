"""A small deck whose quotes are real sentences of the shipped corpus, with the
passages the fact loader would resolve them to."""

from __future__ import annotations

import random

import pytest

from bot.app.services import Services
from bot.core.facts.model import Deck, FactCard, Source, Topic
from bot.core.quotes.matching import QuoteEngine


def make_deck() -> Deck:
    cards = [
        FactCard("only-ally", "The U.S. is Japan's only ally",
                 "The 2025 Bluebook calls the United States Japan's only ally.",
                 ("alliance",),
                 Source("dbb2025-na", "The United States (U.S.) is Japan's only ally",
                        "dbb2025-na.overview.p2"),
                 year=2025, see_also=("linchpin",)),
        FactCard("linchpin", "The alliance is the linchpin",
                 "In 2010 the alliance was called the linchpin of Japanese diplomacy.",
                 ("alliance",), Source("dbb2010-na", "the Japan-U.S. alliance is the linchpin "
                                                     "of Japanese diplomacy",
                                                     "dbb2010-na.north-america.p1"), year=2010),
        FactCard("canada-g7", "Canada and the G7", "Canada prepared for its 2025 G7 Presidency.",
                 ("canada",), Source("dbb2025-na", "With an eye toward serving as the G7 "
                                                   "Presidency in 2025",
                                                   "dbb2025-na.overview.p4")),
    ]
    topics = [Topic("alliance", "Japan-U.S. Alliance", "The alliance with the United States."),
              Topic("canada", "Canada", "Relations with Canada."),
              Topic("empty", "Empty", "A topic with no cards yet.")]
    return Deck({c.id: c for c in cards}, {t.id: t for t in topics})


@pytest.fixture
def services(engine: QuoteEngine) -> Services:
    return Services(engine, make_deck(), random.Random(4))
