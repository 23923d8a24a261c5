"""Quote lookup on the real corpus: spans, verdicts, diffs and hostile input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.errors import UserError
from bot.core.quotes.matching import QuoteEngine


def test_an_exact_quote_is_exact_and_points_at_the_source_words(engine: QuoteEngine) -> None:
    result = engine.find("The United States (U.S.) is Japan's only ally.")
    assert result.verdict == "exact" and result.score == 100
    assert result.match is not None
    assert result.match.passage.id == "dbb2025-na.overview.p2"
    assert result.match.quote == "The United States (U.S.) is Japan's only ally"
    assert result.match.passage.text[result.match.start:result.match.end] == result.match.quote


def test_a_misquote_is_found_and_the_diff_says_what_was_wrong(engine: QuoteEngine) -> None:
    result = engine.find("The strong Japan US alliance is the lynchpin of Japans security policy")
    assert result.verdict in ("close", "partial")
    assert result.match is not None
    assert result.match.quote == ("The strong Japan-U.S. Alliance is the linchpin of Japan's "
                                  "foreign and security policy")
    changes = [(op.op, op.query, op.source) for op in result.diff if op.op != "equal"]
    assert ("changed", "lynchpin", "linchpin") in changes
    assert ("missing", "", "foreign and") in changes


def test_case_and_punctuation_alone_still_count_as_exact(engine: QuoteEngine) -> None:
    result = engine.find("the japan us alliance is the linchpin of japanese diplomacy")
    assert result.verdict == "exact"
    assert result.match is not None and result.match.passage.id == "dbb2010-na.north-america.p1"


def test_fragments_joined_with_an_ellipsis_span_the_whole_stretch(engine: QuoteEngine) -> None:
    result = engine.find("Japan and Canada cooperate closely … as members of the G8")
    assert result.found and result.match is not None
    assert result.match.quote.startswith("Japan and Canada cooperate closely")
    assert result.match.quote.endswith("as members of the G8")
    assert [op.op for op in result.diff].count("gap") == 1


def test_a_sentence_not_in_the_corpus_is_none_with_suggestions(engine: QuoteEngine) -> None:
    result = engine.find("Japan and Canada held summit talks on whaling quotas")
    assert result.verdict == "none" and result.match is None and not result.found
    assert any("Closest passage" in tip for tip in result.suggestions)


def test_a_misspelt_word_gets_a_did_you_mean(engine: QuoteEngine) -> None:
    result = engine.find("xylophone orchestras rehearsing icebraekers")
    assert not result.found
    assert any("icebreakers" in tip for tip in result.suggestions)


def test_alternatives_have_their_own_spans(engine: QuoteEngine) -> None:
    result = engine.find("the japan us alliance is the linchpin of japanese diplomacy", top=2)
    assert 1 <= len(result.alternatives) <= 2
    for alt in result.alternatives:
        assert alt.passage.text[alt.start:alt.end] == alt.quote
        assert alt.passage.id != result.match.passage.id  # type: ignore[union-attr]


@pytest.mark.parametrize("query", ["", "   \t\n", "...", "!!! ???", "ok"])
def test_empty_or_too_short_input_is_a_clear_user_error(engine: QuoteEngine, query: str) -> None:
    with pytest.raises(UserError, match=r"(?i)words"):
        engine.find(query)


def test_oversized_input_is_refused_not_processed(engine: QuoteEngine) -> None:
    with pytest.raises(UserError, match=r"too long|at most"):
        engine.find("alliance " * 1200)  # ~10,000 characters
    with pytest.raises(UserError, match="at most 100 words"):
        engine.find("word " * 150)


@pytest.mark.parametrize("query", [
    "🇯🇵🤝🇺🇸 only ally forever 🎉🎉",
    "日米同盟は日本の外交の基軸である",
    "Союз Японии и США является основой",
    "the us\x00 is\x07 japans\x1b[31m only ally",
    "@everyone the us is japans only ally <@123>",
])
def test_hostile_or_foreign_input_never_crashes(engine: QuoteEngine, query: str) -> None:
    try:
        result = engine.find(query)
    except UserError:
        return
    assert result.verdict in ("exact", "close", "partial", "none")
    if result.match is not None:
        assert result.match.quote in result.match.passage.text


def test_with_no_match_the_closest_passage_leads_the_alternatives(engine: QuoteEngine) -> None:
    result = engine.find("Japan and Canada held summit talks on whaling quotas", top=3)
    assert result.match is None
    assert result.alternatives[0].passage.id == "dbb2025-na.overview.p7"
    assert result.alternatives[0].quote.startswith("Japan and Canada held three summit")


def test_the_answer_does_not_depend_on_the_hash_seed() -> None:
    # A synonym found at one of several places: the place chosen once followed the
    # order of a set of strings, which changes with PYTHONHASHSEED between runs.
    script = ("from pathlib import Path\n"
              "from bot.storage.index_cache import load_engine\n"
              "r = load_engine(Path('corpus')).find('the Japan-US alliance has worked "
              "effectively as the basic framework supporting stability')\n"
              "print(r.match.start, r.match.end)\n")
    root = Path(__file__).resolve().parents[2]
    spans = {subprocess.run([sys.executable, "-c", script], cwd=root, check=True, text=True,
                            capture_output=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout
             for seed in ("1", "3")}
    assert len(spans) == 1, spans
