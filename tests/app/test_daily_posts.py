"""The card a daily schedule posts, and the /daily set helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot.app.commands import REGISTRY
from bot.app.daily_posts import check_topic, next_post, preview_post, timezone_choices
from bot.app.services import Services
from bot.core.daily.schedule import Schedule
from bot.core.errors import UserError

DAY = dt.date(2025, 1, 15)


def _schedule(topic: str | None = None) -> Schedule:
    return Schedule("cmd-1", "command", 1, dt.time(7, 30), topic=topic)


def test_the_post_is_the_fact_card_with_its_marker_and_the_preview_matches(
        services: Services) -> None:
    schedule = _schedule("alliance")
    shown = preview_post(services, schedule, DAY, None)
    posted, state = next_post(services, schedule, DAY, None)
    assert shown == posted  # the preview does not move the rotation, and shows what is next
    card = posted.cards[0]
    assert card.footer.endswith("Daily cmd-1 2025-01-15")
    card_id = card.footer.split(" · ")[0].removeprefix("Fact ")
    same = REGISTRY.run(services, "fact", {"id": card_id}).cards[0]
    assert (card.title, card.description, card.fields) == (same.title, same.description,
                                                           same.fields)
    second, _ = next_post(services, schedule, DAY, state)
    assert second.cards[0].title != card.title  # the stored state moves the rotation on


def test_a_daily_card_is_the_fact_card_and_its_source_highlights_the_quote(
        services: Services) -> None:
    deck = services.require_deck()
    schedule, state = _schedule(), None
    for _ in deck.cards:  # one whole cycle: every card once
        daily, state = next_post(services, schedule, DAY, state)
        card = daily.cards[0]
        card_id = card.footer.split(" · ")[0].removeprefix("Fact ")
        fact = REGISTRY.run(services, "fact", {"id": card_id})
        # Identical but for the daily marker: same fields, same buttons.
        assert replace(card, footer=fact.cards[0].footer) == fact.cards[0]
        assert daily.actions == fact.actions
        source = next(a for a in daily.actions if a.label == "Source")
        opened = REGISTRY.run(services, source.command, source.kwargs)
        quote = deck.cards[card_id].source.quote
        assert source.command == "highlight" and f"**{quote}" in opened.cards[0].description


def test_a_topic_without_cards_or_an_unknown_topic_is_a_clear_error(services: Services) -> None:
    with pytest.raises(UserError, match="no fact cards on topic 'empty'"):
        next_post(services, _schedule("empty"), DAY, None)
    assert check_topic(services, "canada") == "canada"
    with pytest.raises(UserError, match="canada"):
        check_topic(services, "canda")


@pytest.mark.parametrize(("typed", "wanted"), [("tokyo", "Asia/Tokyo"), ("asia/tok", "Asia/Tokyo"),
                                               ("new york", "America/New_York"), ("", "UTC")])
def test_timezone_choices(typed: str, wanted: str) -> None:
    choices = timezone_choices(typed)
    assert wanted in [c.value for c in choices]
    assert len(choices) <= 25 and all(len(c.name) <= 100 for c in choices)
    assert not any(c.value.startswith(("posix/", "right/")) for c in choices)
