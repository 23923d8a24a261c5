"""Loading a facts folder: every kind of broken card is reported with file, line and id."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import ContentError, Problem
from bot.core.quotes.matching import QuoteEngine
from bot.storage.facts_files import DeckHolder, check_folder, load_deck
from tests.factkit import GOOD, LINCHPIN, cards, line_of, write_facts


def problems_for(folder: Path, engine: QuoteEngine) -> list[Problem]:
    with pytest.raises(ContentError) as info:
        load_deck(folder, engine)
    return info.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_a_good_folder_loads_with_each_quote_resolved_to_its_passage(
        tmp_path: Path, engine: QuoteEngine) -> None:
    folder = write_facts(tmp_path, {"a.yaml": cards(GOOD.format(id="only-ally"), LINCHPIN)})
    deck = load_deck(folder, engine)
    assert [c.id for c in deck] == ["only-ally", "linchpin-2010"]
    assert deck.cards["only-ally"].source.passage == "dbb2025-na.overview.p2"
    assert deck.cards["linchpin-2010"].source.passage == "dbb2010-na.north-america.p1"


def test_unknown_key_names_file_line_and_card(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="only-ally").replace("    topics:", "    colour: red\n    topics:"))
    folder = write_facts(tmp_path, {"a.yaml": text})
    p = only(problems_for(folder, engine))
    assert p.file == str(folder / "a.yaml")
    assert p.line == line_of(text, "colour:")
    assert p.where == "card 'only-ally'"
    assert "colour: unknown key" in p.message


def test_missing_key_points_at_the_card(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="only-ally").replace(
        "    body: The 2025 Bluebook states plainly that the United States is Japan's only ally.\n",
        ""))
    folder = write_facts(tmp_path, {"a.yaml": text})
    p = only(problems_for(folder, engine))
    assert (p.line, p.where) == (line_of(text, "- id: only-ally"), "card 'only-ally'")
    assert p.message.startswith("body:") and "required" in p.message.lower()


def test_wrong_types_are_each_reported(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="only-ally").replace("topics: [alliance]", "topics: alliance")
                 .replace("    source:", '    year: "2025"\n    source:'))
    folder = write_facts(tmp_path, {"a.yaml": text})
    problems = problems_for(folder, engine)
    by_field = {p.message.split(":")[0]: p for p in problems}
    assert set(by_field) == {"topics", "year"}
    assert by_field["topics"].line == line_of(text, "topics: alliance")
    assert by_field["year"].line == line_of(text, "year:")
    assert all(p.where == "card 'only-ally'" for p in problems)


def test_over_long_title_and_body(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="only-ally")
                 .replace("title: The United States is Japan's only ally", "title: " + "x" * 257)
                 .replace("body: The 2025", "body: " + "y " * 500 + "The 2025"))
    folder = write_facts(tmp_path, {"a.yaml": text})
    problems = problems_for(folder, engine)
    assert sorted(p.message.split(":")[0] for p in problems) == ["body", "title"]
    assert all("at most" in p.message for p in problems)
    title = next(p for p in problems if p.message.startswith("title"))
    assert title.line == line_of(text, "title:")


def test_duplicate_id_across_files_cites_the_first(tmp_path: Path, engine: QuoteEngine) -> None:
    first, second = cards(GOOD.format(id="only-ally")), cards(GOOD.format(id="only-ally"))
    folder = write_facts(tmp_path, {"a.yaml": first, "b.yaml": second})
    p = only(problems_for(folder, engine))
    assert (p.file, p.line, p.where) == (str(folder / "b.yaml"), 2, "card 'only-ally'")
    assert f"first used at {folder / 'a.yaml'}:2" in p.message


def test_unknown_topic_suggests_the_declared_one(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="only-ally").replace("[alliance]", "[aliance]"))
    folder = write_facts(tmp_path, {"a.yaml": text})
    p = only(problems_for(folder, engine))
    assert p.line == line_of(text, "topics:")
    assert "unknown topic 'aliance'" in p.message and "did you mean 'alliance'" in p.message


def test_unknown_see_also_id(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="only-ally") + "    see_also: [linchpin-2010, linchpin-2011]\n",
                 LINCHPIN)
    folder = write_facts(tmp_path, {"a.yaml": text})
    p = only(problems_for(folder, engine))
    assert (p.where, p.line) == ("card 'only-ally'", line_of(text, "see_also:"))
    assert "unknown card id 'linchpin-2011'" in p.message


def test_quote_not_in_document_shows_closest_passage_and_diff(
        tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="linchpin-2025").replace(
        "quote: The United States (U.S.) is Japan's only ally.",
        "quote: The strong Japan-U.S. Alliance is the cornerstone of Japan's foreign and "
        "security policy"))
    folder = write_facts(tmp_path, {"a.yaml": text})
    p = only(problems_for(folder, engine))
    assert (p.file, p.line, p.where) == (str(folder / "a.yaml"), line_of(text, "quote:"),
                                         "card 'linchpin-2025'")
    assert "not found verbatim in dbb2025-na" in p.message
    assert "closest passage dbb2025-na.overview.p2" in p.message
    assert "“cornerstone” should be “linchpin”" in p.message


def test_punctuation_differences_are_not_verbatim(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="only-ally").replace(
        "quote: The United States (U.S.) is Japan's only ally.",
        "quote: The strong Japan U.S. Alliance is the linchpin of Japan's foreign and security"))
    folder = write_facts(tmp_path, {"a.yaml": text})
    p = only(problems_for(folder, engine))
    assert "punctuation" in p.message and "dbb2025-na.overview.p2" in p.message


def test_whitespace_and_quote_marks_may_differ(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="ishiba-trump").replace(
        "quote: The United States (U.S.) is Japan's only ally.",
        "quote: >-\n        cooperate closely to realize a \"Free and Open\n"
        "        Indo-Pacific (FOIP)\" and elevate the Japan-U.S.   Alliance"))
    folder = write_facts(tmp_path, {"a.yaml": text})
    # The body figures check still applies, so the body must not add anything.
    deck = load_deck(folder, engine)
    assert deck.cards["ishiba-trump"].source.passage == "dbb2025-na.overview.p6"


def test_quote_from_the_other_document(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(LINCHPIN.replace("document: dbb2010-na", "document: dbb2025-na"))
    folder = write_facts(tmp_path, {"a.yaml": text})
    p = only(problems_for(folder, engine))
    assert p.where == "card 'linchpin-2010'" and p.line == line_of(text, "quote:")
    assert "in dbb2010-na (dbb2010-na.north-america.p1); fix source.document" in p.message


def test_unknown_document_and_short_quote(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="a").replace("document: dbb2025-na", "document: dbb2024-na"),
                 GOOD.format(id="b").replace("(U.S.) is Japan's only ally.", "(U.S.)"))
    folder = write_facts(tmp_path, {"a.yaml": text})
    problems = problems_for(folder, engine)
    assert [(p.where, p.line) for p in problems] == [
        ("card 'a'", line_of(text, "document: dbb2024-na")),
        ("card 'b'", line_of(text, "(U.S.)", nth=2))]
    assert "unknown document 'dbb2024-na'" in problems[0].message
    assert "did you mean 'dbb2025-na'" in problems[0].message
    assert "at least 8 words (this has 4)" in problems[1].message


def test_body_figure_missing_from_quote(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="only-ally").replace(
        "body: The 2025 Bluebook states",
        "body: Since 1951 and for sixty years the 2025 Bluebook states"))
    folder = write_facts(tmp_path, {"a.yaml": text})
    p = only(problems_for(folder, engine))
    assert (p.where, p.line) == ("card 'only-ally'", line_of(text, "body:"))
    # 2025 is the cited edition's year, so it may be named without quoting it.
    assert p.message.startswith("body: figures or dates not in the quote: 1951, sixty")


def test_bad_yaml_in_one_file_does_not_hide_the_others(tmp_path: Path,
                                                       engine: QuoteEngine) -> None:
    good = cards(GOOD.format(id="only-ally").replace("[alliance]", "[nope]"))
    folder = write_facts(tmp_path, {"a.yaml": "cards:\n  - id: [unclosed\n", "b.yaml": good})
    problems = problems_for(folder, engine)
    assert [Path(p.file).name for p in problems] == ["a.yaml", "b.yaml"]
    assert "invalid YAML" in problems[0].message and problems[0].line is not None


def test_missing_topics_file(tmp_path: Path, engine: QuoteEngine) -> None:
    folder = write_facts(tmp_path, {"a.yaml": cards(GOOD.format(id="only-ally"))}, topics=None)
    p = only(problems_for(folder, engine))
    assert p.file == str(folder / "topics.yaml") and "missing" in p.message


def test_file_without_cards_list(tmp_path: Path, engine: QuoteEngine) -> None:
    folder = write_facts(tmp_path, {"a.yaml": "- id: x\n"})
    p = only(problems_for(folder, engine))
    assert p.file.endswith("a.yaml") and "'cards' list" in p.message


def test_a_broken_card_leaves_the_good_ones_usable(tmp_path: Path, engine: QuoteEngine) -> None:
    text = cards(GOOD.format(id="only-ally").replace("[alliance]", "[nope]"), LINCHPIN)
    deck, problems = check_folder(write_facts(tmp_path, {"a.yaml": text}), engine)
    assert [c.id for c in deck] == ["linchpin-2010"]
    assert [p.where for p in problems] == ["card 'only-ally'"]


def test_holder_refuses_to_start_on_errors(tmp_path: Path, engine: QuoteEngine) -> None:
    folder = write_facts(tmp_path, {"a.yaml": cards(GOOD.format(id="Bad Id"))})
    with pytest.raises(ContentError) as info:
        DeckHolder(folder, engine)
    assert info.value.problems[0].where == "card 'Bad Id'"


def test_reload_keeps_the_last_good_deck(tmp_path: Path, engine: QuoteEngine) -> None:
    folder = write_facts(tmp_path, {"a.yaml": cards(GOOD.format(id="only-ally"))})
    holder = DeckHolder(folder, engine)
    (folder / "b.yaml").write_text(cards(GOOD.format(id="only-ally")), encoding="utf-8")
    problems = holder.reload()
    assert problems and "duplicate id" in problems[0].message
    assert [c.id for c in holder.deck] == ["only-ally"]
    (folder / "b.yaml").write_text(cards(LINCHPIN), encoding="utf-8")
    assert holder.reload() == []
    assert [c.id for c in holder.deck] == ["only-ally", "linchpin-2010"]
