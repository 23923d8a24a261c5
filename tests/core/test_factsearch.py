"""Finding cards: search on realistic queries, "did you mean", topics and random picks."""

from __future__ import annotations

import random
from functools import cache

import pytest

from bot.core.errors import UserError
from bot.core.facts.factsearch import did_you_mean, find_card, pick_random, resolve_topic, search
from bot.core.facts.model import Deck, FactCard, Source, Topic
from bot.core.quotes.matching import QuoteEngine
from bot.storage.facts_files import load_deck
from tests.factkit import FACTS


@pytest.fixture()
def deck(engine: QuoteEngine) -> Deck:
    return _shipped(engine)


@cache
def _shipped(engine: QuoteEngine) -> Deck:
    return load_deck(FACTS, engine)


def ids(cards: list[FactCard]) -> list[str]:
    return [c.id for c in cards]


@pytest.mark.parametrize(("query", "first"), [
    ("Hatoyama", "hatoyama-linchpin"),
    ("Hatoyma", "hatoyama-linchpin"),  # mistyped
    ("state dinner Kishida", "kishida-state-visit"),
    ("resolution 2375", "resolution-2375"),
    ("icebreakers", "arctic-icebreakers"),
    ("Okada Clinton press conference", "okada-clinton-hawaii"),
    ("North Korea missiles", "security-environment-severe"),
    ("Trump", "ishiba-trump"),
])
def test_search_puts_the_obvious_card_first(deck: Deck, query: str, first: str) -> None:
    assert ids(search(deck, query))[0] == first


def test_exact_phrase_outranks_scattered_words(deck: Deck) -> None:
    found = ids(search(deck, "linchpin of Japanese diplomacy"))
    assert found[:2] == ["linchpin-2010", "hatoyama-linchpin"]
    assert set(ids(search(deck, "linchpin"))) == {"linchpin-2010", "hatoyama-linchpin",
                                                  "linchpin-2025"}


def test_search_covers_topic_and_quote_words(deck: Deck) -> None:
    # "Summits and visits" is a topic label; "ICBM" only appears in a quote.
    assert "emperor-empress-canada" in ids(search(deck, "visits", limit=50))
    assert ids(search(deck, "ICBM")) == ["security-environment-severe"]


def test_abbreviations_match_however_they_are_written(deck: Deck) -> None:
    assert ids(search(deck, "US Finland")) == ids(search(deck, "U.S. Finland"))


def test_search_finds_nothing_for_unrelated_words(deck: Deck) -> None:
    assert search(deck, "tariffs semiconductors") == []
    assert did_you_mean(deck, "tariffs semiconductors") == []


def test_search_respects_the_limit_and_rejects_empty_queries(deck: Deck) -> None:
    assert len(search(deck, "Japan", limit=3)) == 3
    with pytest.raises(UserError):
        search(deck, "  ?! ")


def test_did_you_mean_on_ids_and_titles(deck: Deck) -> None:
    assert did_you_mean(deck, "onlyally")[0] == "only-ally"
    assert did_you_mean(deck, "linchpin 2010")[0] == "linchpin-2010"
    assert "okada-clinton-hawaii" in did_you_mean(deck, "Okada and Clinton")


def test_did_you_mean_names_each_card_once_with_its_title(deck: Deck) -> None:
    near = did_you_mean(deck, "only-aly")
    assert near.count("only-ally") == 1 and "The United States is Japan's only ally" not in near
    with pytest.raises(UserError) as info:
        find_card(deck, "only-aly")
    assert "Did you mean: only-ally (“The United States is Japan's only ally”)" in str(info.value)
    assert "only-ally, The United States" not in str(info.value)


def test_find_card_by_id_or_title_else_suggests(deck: Deck) -> None:
    assert find_card(deck, "Only-Ally").id == "only-ally"
    assert find_card(deck, "Okada and Clinton in Hawaii").id == "okada-clinton-hawaii"
    with pytest.raises(UserError, match="Did you mean: only-ally"):
        find_card(deck, "only-aly")


def test_resolve_topic_by_id_or_label(deck: Deck) -> None:
    assert resolve_topic(deck, "Japan and Canada") == "canada"
    assert resolve_topic(deck, "CANADA") == "canada"
    with pytest.raises(UserError, match="Did you mean 'summitry'"):
        resolve_topic(deck, "summit")


def test_pick_random_is_repeatable_and_stays_in_its_topic(deck: Deck) -> None:
    picks = [pick_random(deck, random.Random(7), "editions").id for _ in range(3)]
    assert len(set(picks)) == 1
    rng = random.Random(1)
    drawn = {pick_random(deck, rng, "canada").id for _ in range(200)}
    assert drawn == {c.id for c in deck.by_topic("canada")}


def test_pick_random_with_nothing_to_pick() -> None:
    card = FactCard("a", "A", "Body.", ("x",), Source("d", "q"))
    deck = Deck(cards={"a": card}, topics={"x": Topic("x", "X", "x"), "y": Topic("y", "Y", "y")})
    with pytest.raises(UserError, match="no fact cards in topic 'y'"):
        pick_random(deck, random.Random(0), "y")
    with pytest.raises(UserError, match="no fact cards"):
        pick_random(Deck(), random.Random(0))
