"""Words swapped for a synonym count as the quotation's content (issue #9)."""

from __future__ import annotations

import pytest

from bot.core.quotes.coverage import coverage, stem
from bot.core.quotes.matching import QuoteEngine
from bot.core.quotes.synonyms import GROUPS, synonym_stems
from bot.core.quotes.text import tokenize


def test_a_synonym_of_a_word_near_the_span_covers_it() -> None:
    source = tokenize("the resolution prohibits member states from trading with the regime")
    query = ["resolution", "bans", "trading", "regime"]
    assert coverage(query, source, 0, len(source), lambda w: 1.0).share == 1.0
    # A word with no synonym there still counts against the quotation.
    query = ["resolution", "bans", "fishing", "regime"]
    assert coverage(query, source, 0, len(source), lambda w: 1.0).share == 0.75


def test_an_irregular_past_covers_the_present() -> None:
    source = tokenize("the first leader to pay an official visit in nine years")
    query = ["leader", "paid", "official", "visit"]
    assert coverage(query, source, 0, len(source), lambda w: 1.0).share == 1.0
    assert stem("held") == stem("hold") and stem("led") == stem("lead")


def test_groups_are_symmetric_and_inflections_share_a_group() -> None:
    assert stem("confirmed") in synonym_stems(stem("agreed"), stem)
    assert stem("agreed") in synonym_stems(stem("confirmed"), stem)
    assert stem("confirms") in synonym_stems(stem("agreed"), stem)
    # No word is in a group with itself only, and no group repeats a word.
    assert all(len(set(g)) == len(g) >= 2 for g in GROUPS)


@pytest.mark.parametrize(("query", "passage"), [
    ("Ishiba traveled to the US for the first Japan-US summit with President Trump",
     "dbb2025-na.overview.p6"),
    ("in the area of humanitarian and disaster relief the two countries agreed on concrete "
     "cooperative measures", "dbb2010-na.north-america.p3"),
])
def test_a_quotation_with_a_word_swapped_is_found(engine: QuoteEngine, query: str,
                                                  passage: str) -> None:
    result = engine.find(query)
    assert result.found and result.match is not None
    assert result.match.passage.id == passage and not result.misquote


def test_a_synonym_does_not_let_another_sentence_in(engine: QuoteEngine) -> None:
    # Every word but the subject has a form in the corpus; the subject is new.
    assert not engine.find("the resolution bans trade with Iran and Venezuela").found


def test_a_paraphrase_of_one_sentence_is_found(engine: QuoteEngine) -> None:
    # Every content word is in the one sentence, in another order and other words.
    result = engine.find("in February 2025 Ishiba met President Trump and they agreed to "
                         "elevate the alliance to new heights")
    assert result.found and result.match is not None
    assert result.match.passage.id == "dbb2025-na.overview.p6" and not result.misquote


def test_a_word_the_corpus_lacks_weighs_less_when_typed_in_lower_case() -> None:
    from bot.core.quotes.coverage import idf_weight, ordinary_weight, typed_weight
    known = {"alliance", "matters"}
    weight = idf_weight(lambda w: 5 if w in known else 0, 100)
    typed = typed_weight(weight, known, frozenset({"aukus"}), ordinary_weight(100))
    assert typed("keeps") < typed("aukus") == weight("aukus")
    assert typed("alliance") == weight("alliance")
