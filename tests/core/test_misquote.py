"""How people really misremember (issue #9): equivalent forms, spans, misquotes."""

from __future__ import annotations

import pytest

from bot.core.quotes.matching import QuoteEngine
from bot.core.quotes.misquote import changed_facts
from bot.core.quotes.numbers import number_value
from bot.core.quotes.text import sentence_starts, tokenize
from bot.core.quotes.variants import SourceForms, expands, rewrite, spelling_variants
from bot.core.rendering.quote_replies import quote_reply, verify_reply
from bot.core.rendering.views import quote_dict


def test_the_readme_example_finds_the_defining_sentence_first(engine: QuoteEngine) -> None:
    result = engine.find("the us is japans only ally")
    assert result.match is not None and result.match.passage.id == "dbb2025-na.overview.p2"
    assert result.match.quote.startswith("The United States (U.S.) is Japan's only ally")
    assert result.verdict == "exact" and not result.misquote


def test_a_span_does_not_spill_into_the_next_sentence(engine: QuoteEngine) -> None:
    result = engine.find("the alliance is the linchpin of japanese diplomacy")
    assert result.match is not None and result.match.quote.endswith("Japanese diplomacy")
    assert not [op for op in result.diff if op.op == "missing" and op.source == "The"]


def test_a_changed_figure_is_found_and_flagged_never_close(engine: QuoteEngine) -> None:
    result = engine.find("Japan and Canada held five summit meetings in 2023")
    assert result.found and result.match is not None
    assert result.match.passage.id == "dbb2025-na.overview.p7"
    assert result.verdict not in ("exact", "close") and result.misquote
    assert ("five", "three", "number") in [(c.query, c.source, c.kind) for c in result.changed]
    data = quote_dict(result)
    assert data["misquote"] is True and data["changed"][0] == {
        "query": "five", "source": "three", "kind": "number"}


@pytest.mark.parametrize("query", [
    "for more than sixty years since the end of World War II",
    "the United States is Japan's only ally",
    "the US announced its Indo-Pacific Strategy and NSS",
    "Canada's revised National Defence Policy in April 2024",
    "cooperation in building ice breakers",
    "for more than six decades since the end of World War II",
])
def test_an_equivalent_form_is_never_a_change(engine: QuoteEngine, query: str) -> None:
    result = engine.find(query)
    assert result.found and not result.misquote and result.changed == ()


def _changes(query: str, text: str, span_words: int | None = None,
             known: frozenset[str] = frozenset(), start: int = 0) -> list[tuple[str, str, str]]:
    """changed_facts of *query* against *span_words* words of *text* from word *start*
    (all of them by default), the whole text its context, as (query, source, kind)."""
    source = tokenize(text)
    end = None if span_words is None else start + span_words
    got = changed_facts(tokenize(query), query, source[start:end], text, source, known)
    return [(c.query, c.source, c.kind) for c in got]


def test_another_amount_of_time_is_a_change() -> None:
    # "seven decades" is 70 years, not the source's 60.
    text = "peace for more than 60 years since the end of the war"
    assert _changes("peace for more than seven decades since the end", text) == [
        ("seven", "60", "number")]


def test_a_figure_is_compared_with_the_figure_in_its_place() -> None:
    # The edit script pairs 1718 with the year; the changed figure is the resolution's.
    text = "resolution 2397 (adopted in December 2017) bans the transfers"
    assert _changes("resolution 2321 bans the transfers", text) == [("2321", "2397", "number")]


def test_a_reworded_clause_is_not_a_changed_name() -> None:
    text = ("The Canadian Minister of International Trade and Minister of Foreign Affairs "
            "visited Japan in April")
    for query in ("The Obama administration announced a new trade agreement with Japan in April",
                  "The Canadian minister released a statement in April"):
        got = _changes(query, text, known=frozenset(t.norm for t in tokenize(text)))
        assert [c for c in got if c[2] == "name"] == [], query


def test_names_that_trade_places_are_a_change() -> None:
    text = "In 2024, Japan and Canada held three summit meetings"
    assert _changes("Canada and Mexico held three summit meetings", text) == [
        ("Mexico", "Japan", "name")]
    # The same names in another order are no change.
    assert _changes("Canada and Japan held three summit meetings", text) == []


def test_a_misquote_leads_the_replies_in_the_error_colour(engine: QuoteEngine) -> None:
    result = engine.find("holding seven summit meetings including one telephone call")
    for reply in (verify_reply(result, engine.corpus), quote_reply(result, engine.corpus)):
        card = reply.cards[0]
        assert card.title == "Misquoted: the source says five, not seven"
        assert card.accent == "error"


def test_a_sentence_borrowing_a_corpus_phrase_is_not_found(engine: QuoteEngine) -> None:
    assert not engine.find("Japan and the U.S. agreed to deepen cooperation under AUKUS "
                           "Pillar II").found
    assert not engine.find("building icebreakers with Norway and Sweden").found


def test_numbers_in_words_and_digits_are_one_value() -> None:
    assert number_value("sixty") == number_value("60") == ("c", 60)
    assert number_value("fiftieth") == number_value("50th") == ("o", 50)
    assert number_value("summit") is None


def test_british_spellings_map_to_american_ones() -> None:
    assert "defense" in spelling_variants("defence")
    assert "emphasizing" in spelling_variants("emphasising")


def test_a_quotation_is_put_into_the_passage_forms() -> None:
    text = "the U.S. announced its National Security Strategy, building icebreakers for 60 years"
    forms = SourceForms(tokenize(text), text)
    got = [t.norm for t in rewrite(tokenize("the United States NSS ice breakers sixty"), forms,
                                   frozenset({"nss"}))]
    assert got == ["the", "us", "national", "security", "strategy", "icebreakers", "60"]


def test_only_a_word_written_in_capitals_is_an_acronym_of_the_quotation() -> None:
    # "stability in the Euro-Atlantic" has the initials of "sea"; the passage's "Sea"
    # is a word, so the quotation keeps its words (and its changed name shows).
    text = "peace and stability in the Indo-Pacific and the South China Sea, with the ROK"
    forms = SourceForms(tokenize(text), text)
    got = [t.norm for t in rewrite(tokenize("stability in the Euro-Atlantic"), forms)]
    assert got == ["stability", "in", "the", "euro", "atlantic"]
    got = [t.norm for t in rewrite(tokenize("the Republic of Korea"), forms)]
    assert got == ["the", "rok"]


def test_a_name_changed_at_the_end_of_a_long_quotation_is_flagged(engine: QuoteEngine) -> None:
    result = engine.find("the Japan-US Alliance is the linchpin of Japan's foreign and security "
                         "policy, and the foundation of peace and stability in the Euro-Atlantic")
    assert result.misquote and result.match is not None
    assert result.match.passage.id == "dbb2025-na.overview.p2"


def test_an_expansion_matches_the_acronym_where_the_passage_also_writes_it_out() -> None:
    text = "Japan and the United States are allies. The Japan-U.S. alliance is strong."
    forms = SourceForms(tokenize(text), text)
    query = tokenize("the Japan-United States alliance is strong")
    assert expands([query], forms)
    assert [t.norm for t in rewrite(query, forms)][:4] == ["the", "japan", "united", "states"]
    assert [t.norm for t in rewrite(query, forms, contract=True)][:3] == ["the", "japan", "us"]


def test_sentence_boundaries_skip_initials_and_abbreviations() -> None:
    text = "President Donald J. Trump met the U.S. and Canada. The visit went to the U.S. The end."
    tokens = tokenize(text)
    assert [tokens[i].norm for i in sorted(sentence_starts(tokens, text))] == ["the", "the"]


def test_a_paraphrase_is_aligned_with_the_sentence_of_its_rarest_word(
        engine: QuoteEngine) -> None:
    # The Hatoyama sentence aligns a little better word for word; the quotation is
    # about the Obama one, so no name is "changed".
    result = engine.find("Obama's administration keeps saying the Japan-US alliance matters")
    assert result.found and result.match is not None and not result.misquote
    assert result.match.quote.startswith("Obama administration")


def test_a_span_starts_at_its_sentence_when_a_clause_in_it_is_skipped(
        engine: QuoteEngine) -> None:
    result = engine.find("the Obama administration has repeatedly made clear that it attaches "
                         "importance to the alliance")
    assert result.match is not None
    assert result.match.quote.startswith("The Obama administration")
    assert "Hatoyama" not in result.match.quote


def test_of_two_passages_a_misquote_resembles_the_one_with_fewer_errors_wins(
        engine: QuoteEngine) -> None:
    # Japan and Canada held three summits and four ministerial meetings; Japan and the
    # U.S. five and six. "the US ... five ... eight" is one error from the second.
    result = engine.find("Japan and the US held five summit meetings and eight foreign "
                         "ministers' meetings")
    assert result.match is not None and result.match.passage.id == "dbb2025-na.overview.p6"
    assert [(c.query, c.source) for c in result.changed] == [("eight", "six")]


def test_a_span_balances_its_brackets(engine: QuoteEngine) -> None:
    result = engine.find("the Japan-Canada Bilateral Exercise KAEDEX24")
    assert result.match is not None and result.match.quote.endswith("(KAEDEX24)")
    result = engine.find("Canada chaired the CPTPP in 2024 and led on a free and fair "
                         "economic order")
    assert result.match is not None and result.match.quote.startswith("(CPTPP) in 2024")


def test_a_span_drops_edge_words_not_quoted_and_stops_at_the_full_stop(
        engine: QuoteEngine) -> None:
    result = engine.find("four foreign ministerial meetings including one telephone call and "
                         "three summit meetings")
    assert result.match is not None
    assert result.match.quote.endswith("(including one telephone call)")


def test_a_figure_the_sentence_has_elsewhere_is_still_a_change() -> None:
    text = "holding five summit meetings and six foreign ministers' meetings"
    assert _changes("holding six summit meetings", text, span_words=4) == [
        ("six", "five", "number")]


def test_a_word_for_its_opposite_is_a_changed_fact(engine: QuoteEngine) -> None:
    result = engine.find("to maintain and strengthen Japan-US relations, which have become "
                         "weaker than ever")
    assert result.misquote and result.verdict not in ("exact", "close")
    assert [(c.query, c.source, c.kind) for c in result.changed] == [
        ("weaker", "stronger", "word")]
    text = "the council is becoming increasingly divided over the harbour plan"
    assert _changes("the council is becoming increasingly united over the harbour plan",
                    text) == [("united", "divided", "word")]
    # Synonyms of the source's word are no change.
    assert _changes("the council is becoming increasingly polarized over the harbour plan",
                    text) == []


def test_a_span_covers_what_was_quoted_past_a_dropped_clause(engine: QuoteEngine) -> None:
    result = engine.find("Canada worked with like-minded countries in the Indo-Pacific region to "
                         "combat ship-to-ship transfers and conduct joint training with other "
                         "countries")
    assert result.match is not None
    assert result.match.quote.endswith("conduct joint training with other countries")
    missing = " ".join(op.source for op in result.diff if op.op == "missing")
    assert "including Japan" in missing and "fishing activities" in missing


def test_one_name_changed_in_a_long_reordered_quotation_is_found_and_flagged(
        engine: QuoteEngine) -> None:
    result = engine.find("the Japan-US alliance as the linchpin of Japanese diplomacy is where "
                         "the Kan administration, inaugurated in September, continues to place it")
    assert result.misquote and result.match is not None
    assert [(c.query, c.source) for c in result.changed] == [("Kan", "Hatoyama")]
    # A short sentence about another country is not a misquote of this one.
    assert not engine.find("the Kan administration was inaugurated in June").found


def test_a_figure_past_a_dropped_clause_is_compared_with_the_one_in_its_words() -> None:
    # The alignment pairs only the start; "four" sits where the sentence has "five
    # summit meetings", beyond a clause the quotation drops.
    text = ("The two ministers met often and worked together on many files, holding five "
            "summit meetings and seven ministerial meetings in the year")
    assert _changes("The two ministers met often, holding four summit meetings in the year",
                    text, span_words=6) == [("four", "five", "number")]
    # A date in a reordered sentence: "January 2023" where it says "January 2024".
    text = "Between January 2024 and March 2025, the two leaders held three summits"
    assert _changes("the two leaders held three summits between January 2023 and March 2025",
                    text, span_words=6) == [("2023", "2024", "date")]
    # The sentence has the figure elsewhere, in other words: still a change here.
    text = "The city revised its plan in April 2024, after its strategy of 2022"
    assert _changes("the city revised its plan in April 2022", text, span_words=7) == [
        ("2022", "2024", "date")]


def test_a_figure_in_other_words_is_not_paired_across_the_sentence() -> None:
    text = ("The two ministers met often and worked together on many files, holding five "
            "summit meetings and seven ministerial meetings in the year")
    # Nothing around "twelve" matches the sentence's figures: an addition, not a change.
    assert _changes("The two ministers met often, twelve times", text, span_words=6) == []
    # "six decades" is 60 years: the same amount in another unit.
    text = "it kept the peace for more than 60 years after the war"
    assert _changes("after the war it kept the peace for more than six decades", text,
                    span_words=6) == []


def test_a_month_abbreviation_is_the_month(engine: QuoteEngine) -> None:
    result = engine.find("Ishiba visited the US for the first summit with Trump in Feb 2025")
    assert result.found and not result.misquote and result.match is not None
    assert result.match.passage.id == "dbb2025-na.overview.p6"
    text = "the minister visited the capital in April 2024"
    assert _changes("the minister visited the capital in Feb 2024", text) == [
        ("Feb", "April", "date")]


def test_a_name_of_two_words_is_one_change() -> None:
    text = "which the city council of Springfield adopted in March prohibits"
    assert _changes("which the city council of Shelbyville adopted in March prohibits",
                    text) == [("Shelbyville", "Springfield", "name")]
    text = "measures which the UN Security Council adopted in 2017 prohibit"
    assert _changes("measures which the UN General Assembly adopted in 2017 prohibit",
                    text) == [("General Assembly", "Security Council", "name")]
    # Name words with other words between them are not one name: "G20 summit in
    # Brazil" is another wording of the sentence, not a name for "Joseph Biden".
    text = "Prime Minister Ishiba and President Joseph Biden held a meeting in November"
    assert _changes("Prime Minister Ishiba attended the G20 summit in Brazil in November",
                    text) == []


def test_a_long_misquote_with_a_name_of_two_words_is_found(engine: QuoteEngine) -> None:
    result = engine.find("It is also essential to have cooperation with New Zealand, a member of "
                         "the G7 and Japan's important partner in the Indo-Pacific region")
    assert result.misquote and result.match is not None
    assert result.match.passage.id == "dbb2025-na.overview.p2"
    assert [(c.query, c.source) for c in result.changed] == [("New Zealand", "Canada")]
    result = engine.find("North Korea-flagged vessels of any goods or items at sea, which the UN "
                         "General Assembly resolution 2375 prohibits UN member states from "
                         "facilitating or engaging in")
    assert result.misquote and [(c.query, c.source) for c in result.changed] == [
        ("General Assembly", "Security Council")]
    # A short sentence borrowing a phrase is not read as a misquote of it.
    assert not engine.find("The European Union announced its Indo-Pacific Strategy in 2021").found


def test_a_possessive_is_the_name_itself() -> None:
    text = "In March, Mayor Okonkwo was the first mayor in a decade to open the new bridge"
    assert _changes("Okonkwo's opening of the new bridge in May", text, span_words=4,
                    start=4) == [
        ("May", "March", "date")]


def test_a_date_across_from_other_words_is_an_added_date() -> None:
    # The span ends "with State"; "in May" stands across from it, not from a date.
    text = "In April, the mayor paid an official visit with state honours to the city"
    assert _changes("the mayor made an official visit to the city in May", text,
                    span_words=7, start=5) == [("May", "April", "date")]


def test_a_figure_in_the_same_words_matches_across_plurals() -> None:
    text = "In 2024, the two cities held three summit meetings and four forums"
    assert _changes("five summits between the two cities", text, span_words=4) == [
        ("five", "three", "number")]


def test_a_short_form_of_a_given_name_is_the_name(engine: QuoteEngine) -> None:
    result = engine.find("the summit between Prime Minister Ishiba and President Joe Biden "
                         "in November")
    assert result.found and not result.misquote
    text = "talks between Mayor Jane Okafor and Governor Robert Lindqvist in May"
    assert _changes("talks between Mayor Jane Okafor and Governor Bob Lindqvist in May",
                    text) == []
    assert _changes("talks between Mayor Jane Okafor and Governor Carl Lindqvist in May",
                    text) == [("Carl", "Robert", "name")]


def test_a_name_past_the_span_is_compared_with_the_one_in_its_words() -> None:
    # The span stops before the last name; the two words before it match the source's.
    text = "ships patrol by day in the North Sea and Irish Sea, which keeps them busy"
    assert _changes("ships patrol by day in the North Sea and the Bay of Biscay", text,
                    span_words=9) == [("Bay of Biscay", "Irish Sea", "name")]
    # Or the two words after it: "resolution 12" in both.
    text = "goods which the River Board resolution 12 bans"
    assert _changes("goods which the Harbour Trust resolution 12 bans", text) == [
        ("Harbour Trust", "River Board", "name")]


def test_a_name_written_apart_or_misspelt_is_not_a_changed_name() -> None:
    text = "ships patrol by day in the North Sea and Irish Sea, which keeps them busy"
    # A comma ends a name: "Sea, Irish" are two.
    assert _changes("ships patrol by day in the North Sea, Irish Sea", text) == []
    # "Irish See" is the name misspelt.
    assert _changes("ships patrol by day in the North Sea and Irish See", text,
                    span_words=9) == []


def test_a_numbered_name_is_compared_with_the_same_name_numbered_otherwise() -> None:
    # The edit script pairs "HARBEX25" with "Island"; the change is to "HARBEX24".
    text = "cooperation in the Island Joint Exercise (HARBEX24) and patrols of the coast"
    assert _changes("we held the HARBEX25 joint exercise and patrols of the coast", text,
                    span_words=6, start=3) == [("HARBEX25", "HARBEX24", "name")]
    text = "the two towns work together as members of the G8 and of the league"
    assert _changes("the two towns work together as members of the G20", text,
                    span_words=10) == [("G20", "G8", "name")]


def test_a_figure_typed_twice_where_the_source_has_it_once_is_a_change() -> None:
    text = "the two towns held three council meetings and four market days"
    assert _changes("the two towns held four council meetings and four market days",
                    text) == [("four", "three", "number")]
    # Twice in both: no change.
    text = "the two towns held four council meetings and four market days"
    assert _changes("the two towns held four council meetings and four market days",
                    text) == []


def test_ones_is_a_function_word(engine: QuoteEngine) -> None:
    # "ICBM-class ones" for "those of ICBM-class": "ones" is no content.
    result = engine.find("North Korea launched ballistic missiles including ICBM-class ones")
    assert result.found and result.match is not None
    assert result.match.passage.id == "dbb2025-na.overview.p2"


def test_a_given_name_in_short_and_an_initial_left_out_are_the_name(
        engine: QuoteEngine) -> None:
    for query in ("In Feb 2025 PM Ishiba visited the US for the first Japan-US summit with "
                  "President Donald Trump",
                  "President Joseph R. Biden and Prime Minister Ishiba met in November 2024",
                  "Ishiba and Joe Biden met in November"):
        result = engine.find(query)
        assert result.found and not result.misquote, query


def test_a_changed_name_is_shown_whole_and_a_month_is_a_date(engine: QuoteEngine) -> None:
    result = engine.find("In February 2025 Ishiba visited the US for the first summit with "
                         "President Joe Biden")
    assert [(c.query, c.source) for c in result.changed] == [("Joe Biden", "Donald J. Trump")]
    result = engine.find("President Donald J. Trump and PM Ishiba held the first Japan-US "
                         "summit in March 2025")
    assert [(c.query, c.source, c.kind) for c in result.changed] == [
        ("March", "February", "date")]


def test_an_ordinal_is_a_number_not_a_numbered_name() -> None:
    text = "marking the 50th anniversary of the town charter in 2010"
    assert _changes("marking the 60th anniversary of the town charter in 2010", text) == [
        ("60th", "50th", "number")]
