"""Finding quotations in a message or a text, and the cooldown: pure, no mocks."""

from __future__ import annotations

from bot.core.inline.cooldown import Cooldown
from bot.core.inline.extract import extract

LONG = "the strong Japan US alliance is the linchpin of Japans security policy"


def test_brackets_are_found_with_line_and_column_at_most_three_per_message() -> None:
    text = "Intro\nsee [[one two three]] and [[four five six]]\n[[a b c]] [[d e f]]"
    found = extract(text)
    assert [q.text for q in found] == ["one two three", "four five six", "a b c"]
    assert (found[0].line, found[0].column) == (2, 5)
    assert (found[2].line, found[2].column) == (3, 1)
    assert len(extract(text, limit=None)) == 4


def test_brackets_mode_ignores_quoted_sentences_and_quote_lines() -> None:
    assert extract(f"He said “{LONG}”\n> {LONG}") == []


def test_quotes_mode_finds_long_quoted_sentences_and_quote_lines() -> None:
    text = f'He said “{LONG}”, and "{LONG}".\n> Japan and Canada share\n> values\nafter'
    found = extract(text, "quotes", limit=None)
    assert [q.kind for q in found] == ["quotes", "quotes", "blockquote"]
    assert found[0].text == LONG and found[0].column == 9
    assert found[2].text == "Japan and Canada share values" and found[2].line == 2


def test_short_quotes_are_scare_quotes_not_quotations() -> None:
    assert extract('the so-called "only ally" again', "quotes") == []


def test_whole_message_block_quote() -> None:
    (q,) = extract(">>> first line of it\nsecond line here", "quotes")
    assert q.text == "first line of it second line here"


def test_code_is_not_a_lookup() -> None:
    assert extract("`[[one two three]]` and\n```\n[[four five six]]\n```") == []


def test_a_bracket_inside_a_quote_line_is_looked_up_once() -> None:
    found = extract("> see [[one two three]] here", "quotes", limit=None)
    assert [(q.kind, q.text) for q in found] == [("brackets", "one two three")]


def test_unbalanced_and_empty_marks_find_nothing() -> None:
    assert extract("[[ ]] [[never closed “nor this", "quotes", limit=None) == []


def test_hostile_text_is_scanned_in_linear_time() -> None:
    # A quadratic scan would take minutes on these; each must simply finish.
    assert extract("“" * 200_000, "quotes", limit=None) == []
    assert extract("[[" * 200_000, "quotes", limit=None) == []
    many = (f'"{LONG}" ' * 20_000)
    found = extract(many, "quotes", limit=None)
    assert len(found) == 20_000 and found[-1].line == 1


def test_cooldown_per_channel_and_per_member() -> None:
    c = Cooldown(30)
    assert c.allow(1, 10, now=0)
    assert not c.allow(1, 11, now=5)  # same channel
    assert not c.allow(2, 10, now=5)  # same member
    assert c.allow(2, 11, now=5)
    assert c.allow(1, 10, now=31)


def test_cooldown_given_back_when_nothing_was_answered() -> None:
    c = Cooldown(30)
    assert c.allow(1, 10, now=0)
    c.release(1, 10)
    assert c.allow(1, 10, now=1)


def test_cooldown_zero_allows_everything_and_memory_stays_bounded() -> None:
    assert all(Cooldown(0).allow(1, 1, now=0) for _ in range(5))
    c = Cooldown(1, prune_at=100)
    for i in range(1000):
        c.allow(i, i, now=float(i * 2))
    assert len(c._channels) <= 101
