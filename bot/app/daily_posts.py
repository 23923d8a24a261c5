"""The card a daily schedule posts: the next one in its rotation, rendered as /fact shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from bot.app.autocomplete import MAX_CHOICES, VALUE_MAX, Choice
from bot.app.commands import fact_card_reply
from bot.app.services import Services
from bot.core.daily.admin import daily_card
from bot.core.daily.rotation import draw, peek
from bot.core.daily.schedule import Schedule
from bot.core.daily.schedule_config import zone_names
from bot.core.errors import UserError
from bot.core.facts.factsearch import resolve_topic
from bot.core.rendering.cards import Reply


def card_ids(services: Services, schedule: Schedule) -> list[str]:
    """The ids a schedule rotates through: its topic's cards, or every card."""
    deck = services.require_deck()
    ids = [c.id for c in deck.by_topic(schedule.topic)]
    if not ids:
        what = f"on topic {schedule.topic!r}" if schedule.topic else "at all"
        raise UserError(f"There are no fact cards {what} to post.")
    return ids


def _post(services: Services, schedule: Schedule, card_id: str, day: dt.date) -> Reply:
    card = services.require_deck().cards[card_id]
    reply = fact_card_reply(services, card, schedule.topic)
    first, *rest = reply.cards
    return Reply((daily_card(first, schedule.id, day), *rest), reply.actions)


def next_post(services: Services, schedule: Schedule, day: dt.date,
              rotation: Mapping[str, Any] | None) -> tuple[Reply, dict[str, Any]]:
    """The post for *day* and the rotation state to store once it is confirmed.

    Deterministic in the stored state, so a retry (or a restart) posts the same card.
    """
    card_id, new_state = draw(rotation, card_ids(services, schedule), schedule.id)
    return _post(services, schedule, card_id, day), new_state


def preview_post(services: Services, schedule: Schedule, day: dt.date,
                 rotation: Mapping[str, Any] | None) -> Reply:
    """What :func:`next_post` will post, without moving the rotation."""
    return _post(services, schedule, peek(rotation, card_ids(services, schedule), schedule.id),
                 day)


def check_topic(services: Services, topic: str) -> str:
    """The topic id for *topic* (an id or label, as /fact takes it), else a clear error
    with the nearest topic."""
    return resolve_topic(services.require_deck(), topic)


@lru_cache(maxsize=1)
def _timezones() -> tuple[str, ...]:
    # "posix/" and "right/" are aliases nobody means to pick.
    return tuple(z for z in zone_names()
                 if not z.startswith(("posix/", "right/")) and len(z) <= VALUE_MAX)


def timezone_choices(current: str) -> list[Choice]:
    """IANA time zones for autocomplete: names starting with what was typed, then
    names containing it (so "tokyo" finds Asia/Tokyo); at most 25."""
    needle = current.strip().casefold().replace(" ", "_")
    zones = _timezones()
    if not needle:
        popular = ("Asia/Tokyo", "UTC", "Europe/London", "America/New_York",
                   "America/Los_Angeles", "Europe/Paris", "Australia/Sydney")
        return [Choice(z, z) for z in popular if z in zones]
    first = [z for z in zones if z.casefold().startswith(needle)]
    then = [z for z in zones if needle in z.casefold() and z not in first]
    return [Choice(z, z) for z in (first + then)[:MAX_CHOICES]]
