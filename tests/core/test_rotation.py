"""The daily rotation: each card once per cycle, resumable from its saved state."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import pytest

from bot.core.daily.rotation import Rotation, cycle_order, draw, peek
from bot.core.errors import UserError

CARDS = [f"card-{i:02d}" for i in range(20)]
SEED = "guild-1:daily"


def run(state: dict[str, Any] | None, cards: list[str], n: int,
        seed: str = SEED) -> tuple[list[str], dict[str, Any] | None]:
    out = []
    for _ in range(n):
        card, state = draw(state, cards, seed)
        out.append(card)
    return out, state


def test_a_cycle_shows_every_card_exactly_once() -> None:
    first, state = run(None, CARDS, len(CARDS))
    second, _ = run(state, CARDS, len(CARDS))
    assert sorted(first) == CARDS and sorted(second) == CARDS
    assert first != CARDS, "the order is shuffled"
    assert first != second, "each cycle has its own order"


def test_a_new_cycle_never_opens_with_the_card_just_shown() -> None:
    for seed in ("a", "b", "c", "d", "e"):
        drawn, _ = run(None, ["x", "y", "z"], 30, seed)
        assert all(a != b for a, b in pairwise(drawn)), drawn


def test_saving_and_loading_the_state_changes_nothing() -> None:
    straight, _ = run(None, CARDS, 50)
    resumed: list[str] = []
    state: dict[str, Any] | None = None
    for _ in range(50):
        card, state = draw(state, CARDS, SEED)
        resumed.append(card)
        state = json.loads(json.dumps(state))  # what SQLite storage would do
        state = Rotation.from_state(state).to_state()
    assert resumed == straight


def test_the_order_depends_on_the_seed_only() -> None:
    assert run(None, CARDS, 20)[0] == run(None, list(reversed(CARDS)), 20)[0]
    assert run(None, CARDS, 20, "guild-2:daily")[0] != run(None, CARDS, 20)[0]


def test_peek_shows_the_next_draw_without_advancing() -> None:
    _, state = run(None, CARDS, 7)
    upcoming = peek(state, CARDS, SEED)
    assert peek(state, CARDS, SEED) == upcoming
    assert draw(state, CARDS, SEED)[0] == upcoming


def test_upcoming_crosses_into_the_next_cycle() -> None:
    _, state = run(None, CARDS, 18)
    rotation = Rotation.from_state(state)
    assert rotation.upcoming(CARDS, SEED, 5) == run(state, CARDS, 5)[0]
    assert rotation.cycle_progress(CARDS) == (18, 20)


def test_a_card_added_mid_cycle_joins_the_current_cycle() -> None:
    shown, state = run(None, CARDS, 10)
    before = Rotation.from_state(state).upcoming(CARDS, SEED, 10)
    grown = [*CARDS, "new-card"]
    rest, _ = run(state, grown, 11)
    assert sorted(shown + rest) == sorted(grown)
    # The other cards keep their places: the new one is slotted in among them.
    assert [c for c in rest if c != "new-card"] == before


def test_a_removed_card_drops_out() -> None:
    shown, state = run(None, CARDS, 10)
    gone = Rotation.from_state(state).peek(CARDS, SEED)
    smaller = [c for c in CARDS if c != gone]
    rest, state = run(state, smaller, 9)
    assert gone not in rest
    assert sorted(shown + rest) == sorted(smaller)
    assert Rotation.from_state(state).cycle == 0
    assert Rotation.from_state(state).cycle_progress(smaller) == (19, 19)
    nxt, state = draw(state, smaller, SEED)
    assert Rotation.from_state(state).cycle == 1 and nxt in smaller


def test_cycle_order_is_a_permutation_without_duplicates() -> None:
    assert sorted(cycle_order([*CARDS, "card-00"], SEED, 3)) == CARDS


def test_bad_states_are_refused() -> None:
    assert Rotation.from_state(None) == Rotation() == Rotation.from_state({})
    for bad in ({"version": 2}, {"version": 1, "cycle": -1, "shown": []},
                {"version": 1, "cycle": 0, "shown": "abc"},
                {"version": 1, "cycle": 0, "shown": [], "last": 5}):
        with pytest.raises(ValueError):
            Rotation.from_state(bad)


def test_an_empty_deck_is_a_user_error() -> None:
    with pytest.raises(UserError):
        draw(None, [], SEED)
