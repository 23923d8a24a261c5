"""The daily-post rotation: every card once per cycle, in a shuffled order, across restarts.

The whole rotation is a small plain value (:meth:`Rotation.to_state`, JSON-safe)
that the caller persists, one per schedule; given that value, the current card
ids and the schedule's seed, the next card is fully determined. No clock, no
hidden state: a restart resumes exactly where the last saved state left off,
and a caller that saves the state only after a successful post never skips a
card when a post fails.

Each cycle's order comes from ``random.Random(f"{seed}:{cycle}:{card_id}")``: a
sort key per card rather than one shuffle of the whole list, so adding or
removing a card mid-cycle leaves the order of all the other cards unchanged.
A card added mid-cycle takes its place among the cards not yet shown; a removed
card simply drops out.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.core.errors import UserError

STATE_VERSION = 1


def _key(seed: str, cycle: int, card_id: str) -> tuple[float, str]:
    return random.Random(f"{seed}:{cycle}:{card_id}").random(), card_id


def cycle_order(card_ids: Sequence[str], seed: str, cycle: int) -> list[str]:
    """The order of *card_ids* in cycle *cycle* of the rotation seeded *seed*."""
    return sorted(dict.fromkeys(card_ids), key=lambda cid: _key(seed, cycle, cid))


@dataclass(frozen=True, slots=True)
class Rotation:
    """Where a schedule is in its rotation: the cycle, and what it has shown in it."""

    cycle: int = 0
    shown: tuple[str, ...] = ()  # ids shown in this cycle, oldest first
    last: str | None = None  # the last card shown, so a new cycle does not open with it

    @classmethod
    def from_state(cls, state: Mapping[str, Any] | None) -> Rotation:
        """Rebuild from :meth:`to_state`'s value; None or ``{}`` is a fresh rotation."""
        if not state:
            return cls()
        if not isinstance(state, Mapping) or state.get("version") != STATE_VERSION:
            raise ValueError(f"not a rotation state (version {STATE_VERSION}): {state!r}")
        cycle, shown, last = state.get("cycle"), state.get("shown"), state.get("last")
        if not isinstance(cycle, int) or isinstance(cycle, bool) or cycle < 0:
            raise ValueError(f"rotation state: bad cycle {cycle!r}")
        if not isinstance(shown, list) or not all(isinstance(s, str) for s in shown):
            raise ValueError(f"rotation state: bad shown list {shown!r}")
        if last is not None and not isinstance(last, str):
            raise ValueError(f"rotation state: bad last card {last!r}")
        return cls(cycle, tuple(shown), last)

    def to_state(self) -> dict[str, Any]:
        """A JSON-serialisable value that :meth:`from_state` turns back into this rotation."""
        return {"version": STATE_VERSION, "cycle": self.cycle, "shown": list(self.shown),
                "last": self.last}

    def _next(self, card_ids: Sequence[str], seed: str) -> tuple[str, Rotation]:
        if not card_ids:
            raise UserError("There are no fact cards to post.")
        current = set(card_ids)
        # Cards removed since they were shown no longer count toward the cycle.
        shown = tuple(s for s in self.shown if s in current)
        cycle, seen = self.cycle, set(shown)
        remaining = [c for c in cycle_order(card_ids, seed, cycle) if c not in seen]
        new_cycle = not remaining
        if new_cycle:
            cycle, shown = cycle + 1, ()
            remaining = cycle_order(card_ids, seed, cycle)
            if len(remaining) > 1 and remaining[0] == self.last:
                remaining[0], remaining[1] = remaining[1], remaining[0]
        card = remaining[0]
        return card, replace(self, cycle=cycle, shown=(*shown, card), last=card)

    def peek(self, card_ids: Sequence[str], seed: str) -> str:
        """The card the next :meth:`advance` will return, without moving on."""
        return self._next(card_ids, seed)[0]

    def advance(self, card_ids: Sequence[str], seed: str) -> tuple[str, Rotation]:
        """The next card and the rotation after showing it."""
        return self._next(card_ids, seed)

    def upcoming(self, card_ids: Sequence[str], seed: str, count: int) -> list[str]:
        """The next *count* cards, crossing into later cycles if need be."""
        out: list[str] = []
        rotation = self
        for _ in range(max(count, 0)):
            card, rotation = rotation._next(card_ids, seed)
            out.append(card)
        return out

    def cycle_progress(self, card_ids: Sequence[str]) -> tuple[int, int]:
        """(cards shown in this cycle, cards in the deck), e.g. for "12 of 45"."""
        current = set(card_ids)
        return sum(1 for s in self.shown if s in current), len(current)


def draw(state: Mapping[str, Any] | None, card_ids: Sequence[str],
         seed: str) -> tuple[str, dict[str, Any]]:
    """The next card for the schedule whose saved state is *state*, and the state to save."""
    card, rotation = Rotation.from_state(state).advance(card_ids, seed)
    return card, rotation.to_state()


def peek(state: Mapping[str, Any] | None, card_ids: Sequence[str], seed: str) -> str:
    """The card :func:`draw` would return now, without changing anything."""
    return Rotation.from_state(state).peek(card_ids, seed)
