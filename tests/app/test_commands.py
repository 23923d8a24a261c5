import pytest

from bot.app.commands import REGISTRY
from bot.app.registry import NotFound
from bot.app.services import Services
from bot.core.errors import UserError
from bot.core.rendering.cards import read_echo
from bot.core.rendering.markup import plain


def text_of(reply: object) -> str:
    cards = reply.cards  # type: ignore[attr-defined]
    return "\n".join(plain(c.title) + "\n" + plain(c.description) + "\n" +
                     "\n".join(plain(f.name) + " " + plain(f.value) for f in c.fields) +
                     "\n" + c.footer for c in cards)


def test_every_command_is_declared_with_discord_sized_descriptions() -> None:
    assert REGISTRY.names == ["fact", "quote", "verify", "passage", "search", "topics",
                              "about", "help"]
    for command in REGISTRY:
        assert 0 < len(command.description) <= 100
        for param in command.params:
            assert 0 < len(param.description) <= 100
            assert param.name.islower() and len(param.name) <= 32


def test_quote_finds_the_only_ally(services: Services) -> None:
    reply = REGISTRY.run(services, "quote", {"text": "the us is japans only ally"})
    assert reply.outcome == "ok"
    card = reply.cards[0]
    assert "**The United States (U.S.) is Japan's only ally**" in card.description
    assert card.citation and "Diplomatic Bluebook 2025" in card.citation
    full = reply.actions[0]
    assert (full.label, full.command) == ("Full passage", "highlight")
    assert full.kwargs["id"] == "dbb2025-na.overview.p2"


def test_verify_strikes_the_users_words_and_bolds_the_sources(services: Services) -> None:
    reply = REGISTRY.run(services, "verify", {"text": "the united states is japan only ally"})
    card = reply.cards[0]
    assert "1 difference" in card.title  # "United States" is ¶2's own wording
    assert "~~japan~~ **Japan's**" in card.description
    assert "The United States (U.S.) is Japan's only ally" in text_of(reply)


def test_exact_quotation_says_word_for_word(services: Services) -> None:
    reply = REGISTRY.run(services, "verify", {"text": "The United States (U.S.) is Japan's "
                                                      "only ally"})
    assert reply.cards[0].title == "Exact quotation: word for word"


def test_no_match_is_not_found_with_advice(services: Services) -> None:
    reply = REGISTRY.run(services, "quote", {"text": "bananas grow quickly on the moon"})
    assert reply.outcome == "not_found" and reply.ephemeral
    assert "not in the corpus" in reply.cards[0].description


def test_unknown_passage_suggests_near_ids(services: Services) -> None:
    with pytest.raises(NotFound) as exc:
        REGISTRY.get("passage").handler(services, id="dbb2025-na.overview.p9")  # type: ignore[union-attr]
    assert "dbb2025-na.overview.p1" in exc.value.suggestions
    reply = REGISTRY.run(services, "passage", {"id": "dbb2025-na.overview.p9"})
    assert reply.outcome == "not_found"
    assert "Did you mean: dbb2025-na.overview.p1" in plain(reply.cards[0].description)


def test_passage_shows_neighbours_and_footnote(services: Services) -> None:
    reply = REGISTRY.run(services, "passage", {"id": "dbb2025-na.overview.p4"})
    names = [f.name for f in reply.cards[0].fields]
    assert names[:2] == ["Previous", "Next"] and any("Footnote" in n for n in names)
    assert {a.kwargs["id"] for a in reply.actions} >= {"dbb2025-na.overview.n1"}


def test_over_long_input_is_a_clear_error(services: Services) -> None:
    reply = REGISTRY.run(services, "quote", {"text": "ally" * 300})
    assert reply.outcome == "bad_input"
    assert "1,200 characters long" in reply.cards[0].description
    assert "at most 1,000" in reply.cards[0].description


def test_missing_and_unknown_options_explain_usage(services: Services) -> None:
    assert "Usage: /quote text" in REGISTRY.run(services, "quote", {}).cards[0].description
    reply = REGISTRY.run(services, "fact", {"colour": "red"})
    assert reply.outcome == "bad_input" and "no option 'colour'" in reply.cards[0].description
    reply = REGISTRY.run(services, "qoute", {})
    assert reply.outcome == "bad_input" and "quote" in plain(reply.cards[0].description)


def test_fact_by_id_cites_the_source_passage(services: Services) -> None:
    reply = REGISTRY.run(services, "fact", {"id": "only-ally"})
    card = reply.cards[0]
    assert card.title == "The U.S. is Japan's only ally"
    assert card.citation and "Overview, ¶2" in card.citation
    source = next(a for a in reply.actions if a.label == "Source")
    assert source.command == "highlight" and source.kwargs["id"] == "dbb2025-na.overview.p2"
    assert "The alliance is the linchpin" in text_of(reply)  # see also


def test_fact_random_by_topic_and_errors(services: Services) -> None:
    for _ in range(5):
        reply = REGISTRY.run(services, "fact", {"topic": "canada"})
        assert reply.cards[0].title == "Canada and the G7"
    assert REGISTRY.run(services, "fact", {"id": "canada"}).cards[0].title == "Canada and the G7"
    assert REGISTRY.run(services, "fact", {"topic": "empty"}).outcome == "not_found"
    reply = REGISTRY.run(services, "fact", {"id": "only-aly"})
    assert reply.outcome == "not_found" and "only-ally" in plain(reply.cards[0].description)


def test_fact_accepts_what_the_cli_accepts(services: Services) -> None:
    # Ids and titles in any case, topics by id or label in any case: the CLI's lookups.
    for args in ({"id": "ONLY-ALLY"}, {"id": "the u.s. is japan's only ally"}):
        assert REGISTRY.run(services, "fact", args).cards[0].title == \
            "The U.S. is Japan's only ally"
    for topic in ("Canada", "CANADA"):
        reply = REGISTRY.run(services, "fact", {"topic": topic})
        assert reply.cards[0].title == "Canada and the G7"
        another = next(a for a in reply.actions if a.label == "Another fact")
        assert another.kwargs["topic"] == "canada"  # the button carries the id, not the label
    for _ in range(5):
        by_label = REGISTRY.run(services, "fact", {"topic": "japan-u.s. alliance"})
        assert by_label.cards[0].title in ("The U.S. is Japan's only ally",
                                           "The alliance is the linchpin")
    assert REGISTRY.run(services, "fact", {"id": "Canada"}).cards[0].title == "Canada and the G7"


def test_unknown_fact_and_topic_suggest_once_in_a_list(services: Services) -> None:
    reply = REGISTRY.run(services, "fact", {"id": "only-aly"})
    text = plain(reply.cards[0].description)
    assert reply.outcome == "not_found" and text.count("Did you mean") == 1
    assert text.startswith("There is no fact card 'only-aly'.") and "only-ally" in text
    reply = REGISTRY.run(services, "fact", {"topic": "canda"})
    text = plain(reply.cards[0].description)
    assert reply.outcome == "not_found" and "Did you mean: canada" in text
    reply = REGISTRY.run(services, "fact", {"topic": "zzzz"})
    assert "Topics: alliance, canada, empty" in plain(reply.cards[0].description)


def test_facts_unavailable_still_answers(services: Services) -> None:
    services.deck, services.facts_problem = None, "no facts folder"
    reply = REGISTRY.run(services, "fact", {})
    assert "Fact cards are unavailable (no facts folder)" in reply.cards[0].description
    assert REGISTRY.run(services, "quote", {"text": "Japan's only ally"}).outcome == "ok"
    assert "unavailable" in text_of(REGISTRY.run(services, "about", {}))


def test_search_pages(services: Services) -> None:
    first = REGISTRY.run(services, "search", {"query": "Japan"})
    assert "Page 1 of" in first.cards[0].footer
    nxt = next(a for a in first.actions if a.command == "search")
    second = REGISTRY.run(services, nxt.command, nxt.kwargs)
    assert "Page 2 of" in second.cards[0].footer
    assert first.cards[0].description != second.cards[0].description
    only = REGISTRY.run(services, "search", {"query": "Japan", "document": "dbb2010-na"})
    assert "2025" not in only.cards[0].description
    assert REGISTRY.run(services, "search", {"query": "Japan", "page": "99"}).error


def test_topics_about_help(services: Services) -> None:
    topics = text_of(REGISTRY.run(services, "topics", {}))
    assert "Japan-U.S. Alliance (alliance) · 2 cards" in topics
    about = text_of(REGISTRY.run(services, "about", {}))
    assert "Ministry of Foreign Affairs of Japan" in about
    assert "https://www.mofa.go.jp/policy/other/bluebook/index.html" in about
    assert "3 cards" in about and "16 passages" in about
    help_text = text_of(REGISTRY.run(services, "help", {}))
    for command in REGISTRY:
        assert command.description in help_text
    assert "/quote text" in text_of(REGISTRY.run(services, "help", {"command": "quote"}))


def test_buttons_run_through_the_registry(services: Services) -> None:
    reply = REGISTRY.run(services, "quote", {"text": "with the us as japan only ally"})
    custom_id = reply.actions[0].custom_id()
    assert custom_id is not None
    opened = REGISTRY.run_custom_id(services, custom_id)
    assert opened is not None and "Overview, ¶6" in opened.cards[0].title
    assert "**With the U.S. as Japan's only ally**" in opened.cards[0].description
    assert REGISTRY.run_custom_id(services, "not-ours") is None


def test_bind_converts_like_typed_input() -> None:
    search = REGISTRY.get("search")
    assert search is not None
    assert search.bind({"query": " x ", "page": "2"}) == {"query": "x", "page": 2}
    with pytest.raises(UserError, match="whole number"):
        search.bind({"query": "x", "page": "two"})


def test_user_text_cannot_ping_or_format(services: Services) -> None:
    reply = REGISTRY.run(services, "quote", {"text": "@everyone **look** at <@123> now please"})
    description = reply.cards[0].description
    assert "@everyone" not in description and "<@123>" not in description
    assert "**look**" not in description
    assert "@everyone **look** at <@123>" in plain(description)


def test_next_match_pages_through_the_alternatives_and_back(services: Services) -> None:
    query = "with the us as japan only ally"  # ¶6's wording; ¶2 resembles it
    first = REGISTRY.run(services, "quote", {"text": query})
    assert "Match 1 of 4" in first.cards[0].footer
    assert [a.label for a in first.actions] == ["Full passage", "Next match ▶", "Verify"]
    nxt = first.actions[1]
    assert nxt.in_place and nxt.kwargs == {"text": query, "rank": 2}
    second = REGISTRY.run(services, nxt.command, nxt.kwargs)
    assert "Match 2 of 4" in second.cards[0].footer
    assert "Overview, ¶2" in second.cards[0].citation  # type: ignore[operator]
    labels = [a.label for a in second.actions]
    assert labels == ["Full passage", "◀ Previous", "Next match ▶"]
    back = REGISTRY.run(services, "match", second.actions[1].kwargs)
    assert back.cards[0].description == first.cards[0].description
    last = REGISTRY.run(services, "match", {"text": query, "rank": "4"})
    assert "Next match ▶" not in [a.label for a in last.actions]
    beyond = REGISTRY.run(services, "match", {"text": query, "rank": "5"})
    assert beyond.outcome == "bad_input" and "only 4 matches" in beyond.cards[0].description


def test_a_long_quotation_pages_with_its_words_read_from_the_card(services: Services) -> None:
    query = ("With the U.S. as Japan's only ally, the Japan-U.S. relationship is stronger and "
             "deeper than ever before")
    reply = REGISTRY.run(services, "quote", {"text": query})
    assert reply.cards[0].fields[0].name == "Looked up"
    nxt = next(a for a in reply.actions if a.label.startswith("Next"))
    custom_id = nxt.custom_id()
    assert custom_id is not None and "text=&" in custom_id
    on_card = [(f.name, f.value) for f in reply.cards[0].fields]
    page = REGISTRY.run_custom_id(services, custom_id, read_echo(on_card))
    assert page is not None and "Match 2 of" in page.cards[0].footer
    lost = REGISTRY.run_custom_id(services, custom_id)  # a message without the field
    assert lost is not None and lost.error and "type the command again" in \
        lost.cards[0].description


def test_full_passage_and_fact_source_highlight_the_words(services: Services) -> None:
    fact = REGISTRY.run(services, "fact", {"id": "only-ally"})
    source = next(a for a in fact.actions if a.label == "Source")
    opened = REGISTRY.run(services, source.command, source.kwargs)
    assert "**The United States (U.S.) is Japan's only ally**" in opened.cards[0].description
    assert "Overview, ¶2" in opened.cards[0].title
    assert any(f.name == "Previous" for f in opened.cards[0].fields)  # still a full passage
    moved = REGISTRY.run(services, "highlight",
                         {"id": "dbb2025-na.overview.p2", "start": "10", "end": "99999"})
    assert moved.outcome == "bad_input" and "no longer in passage" in moved.cards[0].description


def test_internal_commands_run_but_are_not_listed(services: Services) -> None:
    # /scan is typed in the shell only: Discord has inline lookups instead.
    assert set(REGISTRY.internal_names) == {"match", "highlight", "scan"}
    assert not set(REGISTRY.internal_names) & set(REGISTRY.names)
    help_text = text_of(REGISTRY.run(services, "help", {}))
    assert "/match" not in help_text and "/highlight" not in help_text
    assert REGISTRY.get("highlight") is not None


def test_search_pages_in_place_and_long_queries_still_page(services: Services) -> None:
    first = REGISTRY.run(services, "search", {"query": "Japan"})
    nxt = next(a for a in first.actions if a.command == "search")
    assert nxt.in_place and not any(f.name == "Looked up" for f in first.cards[0].fields)
    query = "Japan " + "alliance cooperation partnership security " * 4
    long = REGISTRY.run(services, "search", {"query": query})
    nxt = next(a for a in long.actions if a.command == "search")
    custom_id = nxt.custom_id()
    assert custom_id is not None and "query=&" in custom_id
    echo = read_echo((f.name, f.value) for f in long.cards[0].fields)
    page = REGISTRY.run_custom_id(services, custom_id, echo)
    assert page is not None and "Page 2 of" in page.cards[0].footer
