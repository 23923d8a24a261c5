import pytest

from bot.core.facts.model import Deck, FactCard, Source, Topic
from bot.core.quotes.matching import QuoteEngine
from bot.core.rendering.cards import (
    DESCRIPTION_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    TITLE_MAX,
    TOTAL_MAX,
    Action,
    Card,
    Field,
    Reply,
    decode_custom_id,
    echo_field,
    make_card,
    pages_in_place,
    read_echo,
)
from bot.core.rendering.fact_replies import fact_reply
from bot.core.rendering.markup import is_balanced
from bot.core.rendering.quote_replies import quote_reply, verify_reply
from bot.core.rendering.render_text import render
from bot.core.rendering.replies import highlight, passage_reply


def assert_within_limits(card: Card) -> None:
    assert len(card.title) <= TITLE_MAX
    assert len(card.description) <= DESCRIPTION_MAX
    assert len(card.fields) <= FIELDS_MAX
    for f in card.fields:
        assert 0 < len(f.name) <= FIELD_NAME_MAX and 0 < len(f.value) <= FIELD_VALUE_MAX
        assert is_balanced(f.value) and is_balanced(f.name)
    assert len(card.footer) <= FOOTER_MAX
    assert card.size <= TOTAL_MAX
    assert is_balanced(card.description)


def test_make_card_cuts_everything_to_discord_limits() -> None:
    big = "**" + "word " * 3000 + "**"
    card = make_card("t" * 400, big, tuple(Field("n" * 300, big) for _ in range(30)),
                     footer="f" * 3000)
    assert_within_limits(card)
    assert card.title.endswith("…")
    assert card.description.endswith("…**")
    assert any("more not shown" in f.value for f in card.fields) or len(card.fields) < 25


def test_oversize_card_is_refused() -> None:
    with pytest.raises(ValueError, match="limits"):
        Card("x" * (TITLE_MAX + 1))


def test_longest_passage_fits(engine: QuoteEngine) -> None:
    longest = max(engine.corpus, key=lambda p: len(p.text))
    assert_within_limits(passage_reply(engine.corpus, longest).cards[0])
    # A passage far beyond the corpus's longest still fits, with the match kept bold.
    text = "alpha " * 2000 + "the only ally" + " omega" * 2000
    marked = highlight(text, 12000, 12013)
    card = make_card("x", marked)
    assert_within_limits(card)
    assert "**the only ally**" in card.description


def test_quote_and_verify_cards_fit(engine: QuoteEngine) -> None:
    longest = max(engine.corpus, key=lambda p: len(p.text))
    words = longest.text.split()[:90]
    result = engine.find(" ".join(words))
    for reply in (quote_reply(result, engine.corpus), verify_reply(result, engine.corpus)):
        for card in reply.cards:
            assert_within_limits(card)


def test_fact_card_with_1000_char_body_fits(engine: QuoteEngine) -> None:
    card = FactCard("long", "T" * 300, "Body **with** stars @everyone " * 34,
                    ("alliance",), Source("dbb2025-na", "Japan's only ally " * 60),
                    year=2025, see_also=("other",))
    deck = Deck({"long": card}, {"alliance": Topic("alliance", "Alliance", "d")})
    embed = fact_reply(card, deck, "c" * 2000).cards[0]
    assert_within_limits(embed)
    assert "@everyone" not in embed.description


def test_action_round_trips_through_custom_id() -> None:
    action = Action.run("Next", "search", query="only ally", page=2, document=None)
    custom_id = action.custom_id()
    assert custom_id is not None and len(custom_id) <= 100
    assert decode_custom_id(custom_id) == ("search", {"query": "only ally", "page": "2"})
    assert Action.run("x", "verify", text="w " * 80).custom_id() is None
    assert decode_custom_id("someone-else:1") is None


def test_reply_limits() -> None:
    with pytest.raises(ValueError):
        Reply(())
    card = make_card("x", "y" * 4000)
    with pytest.raises(ValueError):
        Reply((card, card))  # 8,000 characters in one message


def test_render_text_plain_and_ansi(engine: QuoteEngine) -> None:
    result = engine.find("the united states is japan only ally")
    reply = verify_reply(result, engine.corpus)
    plain = render(reply, ansi=False)
    assert "~~japan~~ **Japan's**" in plain and "\x1b[" not in plain
    ansi = render(reply, ansi=True)
    assert "\x1b[9mjapan\x1b[29m" in ansi and "\x1b[1mJapan's\x1b[22m" in ansi
    assert "[1] Full passage" in plain


def test_a_long_echoed_argument_is_left_to_the_card() -> None:
    query = "the united states is japans only ally and the linchpin of its diplomacy " * 3
    page = Action.run("Next", "match", echo="text", in_place=True, text=query, rank=2)
    custom_id = page.custom_id()
    assert custom_id is not None and len(custom_id) <= 100
    assert decode_custom_id(custom_id) == ("match", {"text": "", "rank": "2"})
    assert pages_in_place(custom_id)
    short = Action.run("Next", "match", echo="text", text="only ally", rank=2).custom_id()
    assert short is not None and decode_custom_id(short) == (
        "match", {"text": "only ally", "rank": "2"})
    assert not pages_in_place(short)
    assert Action.run("x", "verify", text=query).custom_id() is None  # nothing to fall back on
    assert page.shell_command().startswith('/match text:"the united')


def test_echo_field_reads_back_the_exact_words() -> None:
    words = "**bold** _x_ @everyone <@123> > quote\n1. list ~~no~~ `c` | [a](b) \\ end"
    field = echo_field(words)
    assert field is not None and "@everyone" not in field.value
    assert read_echo([("Citation", "x"), (field.name, field.value)]) == words
    assert read_echo([("Citation", "x")]) is None
    assert echo_field("*" * 600) is None  # escaped it would have to be cut

