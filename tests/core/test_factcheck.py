"""Pure validation of parsed card data, and the figures rule that keeps bodies grounded."""

from __future__ import annotations

from bot.core.facts.factcheck import ParsedFile, build_deck, check_deck, check_topics
from bot.core.facts.quotecheck import describe_diff, figures, unquoted_figures
from bot.core.quotes.diff import DiffOp
from bot.core.quotes.matching import QuoteEngine
from bot.storage.yamlfile import parse_yaml
from tests.factkit import GOOD, LINCHPIN, TOPICS, cards


def parsed(text: str, name: str = "cards.yaml") -> ParsedFile:
    data, lines = parse_yaml(text, name)
    return ParsedFile(name, data, lines)


def test_figures_finds_digits_number_words_and_months() -> None:
    body = "Five summit meetings between January 2024 and May 2025, the 50th year; it may rain."
    assert figures(body) == ["five", "2024", "2025", "50th", "january", "may"]


def test_unquoted_figures_lists_only_what_the_quote_lacks() -> None:
    quote = "holding five summit meetings between January 2024 and the end of February 2025"
    assert unquoted_figures("Five summits from January 2024 to February 2025.", quote) == []
    assert unquoted_figures("Six summits in March 2024.", quote) == ["six", "march"]
    assert unquoted_figures("The 2025 Bluebook counts six.", "nothing here at all",
                            allowed={"2025"}) == ["six"]


def test_describe_diff_names_each_change() -> None:
    ops = [DiffOp("equal", "the", "the"), DiffOp("changed", "cornerstone", "linchpin"),
           DiffOp("missing", "", "strong"), DiffOp("added", "very", "")]
    assert describe_diff(ops) == ("differences: “cornerstone” should be “linchpin”; "
                                  "missing “strong”; not in the source “very”")


def test_duplicate_topic_ids_are_reported() -> None:
    topics, problems = check_topics(parsed(TOPICS + TOPICS.removeprefix("topics:\n"), "t.yaml"))
    assert list(topics) == ["alliance", "canada"]
    assert [(p.where, p.line) for p in problems] == [("topic 'alliance'", 8),
                                                     ("topic 'canada'", 11)]


def test_check_deck_keeps_good_cards_and_reports_the_rest(engine: QuoteEngine) -> None:
    broken = GOOD.format(id="bad").replace("[alliance]", "[alliance, canadaa]")
    deck, problems = check_deck(parsed(TOPICS, "topics.yaml"),
                                [parsed(cards(broken, LINCHPIN))], engine)
    assert list(deck.cards) == ["linchpin-2010"]
    assert list(deck.topics) == ["alliance", "canada"]
    assert [str(p) for p in problems] == [
        "cards.yaml:5: card 'bad': topics: unknown topic 'canadaa'; did you mean 'canada'?"]


def test_unreadable_topics_file_skips_topic_errors(engine: QuoteEngine) -> None:
    # The topics file's own error is reported by the loader; repeating
    # "unknown topic" for every card would bury it.
    deck, problems = check_deck(None, [parsed(cards(LINCHPIN))], engine)
    assert problems == [] and list(deck.cards) == ["linchpin-2010"]


def test_card_without_an_id_is_named_by_position(engine: QuoteEngine) -> None:
    text = cards(LINCHPIN.replace("  - id: linchpin-2010\n    title:", "  - title:"))
    _, problems = check_deck(parsed(TOPICS), [parsed(text)], engine)
    assert [(p.where, p.message) for p in problems] == [("cards[0]", "id: Field required")]


def test_self_reference_in_see_also(engine: QuoteEngine) -> None:
    text = cards(LINCHPIN + "    see_also: [linchpin-2010]\n")
    _, problems = check_deck(parsed(TOPICS), [parsed(text)], engine)
    assert [(p.line, p.message) for p in problems] == [
        (9, "see_also: a card cannot refer to itself")]


def test_build_deck_sets_file_line_and_passage(engine: QuoteEngine) -> None:
    deck = build_deck(parsed(TOPICS), [parsed(cards(GOOD.format(id="x"), LINCHPIN))], engine)
    card = deck.cards["linchpin-2010"]
    assert (card.file, card.line, card.source.passage) == (
        "cards.yaml", 9, "dbb2010-na.north-america.p1")


def test_every_problem_of_one_card_is_reported_at_once(engine: QuoteEngine) -> None:
    # A bad id, an unknown topic, a see_also to nowhere and a quote that is not in
    # the text: one run of `check` lists all four, not one round per fix.
    card = (GOOD.format(id="Bad Id").replace("[alliance]", "[alliance, nosuch]")
            .replace("Japan's only ally.\n", "Japan's only friend in the world.\n")
            + "    see_also: [nowhere]\n")
    _, problems = check_deck(parsed(TOPICS), [parsed(cards(card, LINCHPIN))], engine)
    messages = [p.message.split(":")[0] for p in problems]
    assert messages == ["id", "topics", "see_also", "source.quote"], problems
    assert {p.where for p in problems} == {"card 'Bad Id'"}
    assert "String should match pattern" in problems[0].message


def test_an_invalid_field_is_not_reported_twice(engine: QuoteEngine) -> None:
    card = GOOD.format(id="x").replace("    source:\n      document: dbb2025-na\n", "    source:\n")
    _, problems = check_deck(parsed(TOPICS), [parsed(cards(card))], engine)
    assert [p.message for p in problems] == ["source.document: Field required"]
