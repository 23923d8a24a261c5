"""Helpers shared by the end-to-end tests of the bot against the loopback Discord."""

from __future__ import annotations

import random
from typing import Any

from bot.app.services import Services, load_deck
from bot.core.quotes.matching import QuoteEngine
from bot.storage.config_file import parse_config_text
from tests.conftest import ROOT
from tests.fakediscord import InteractionHandle

EPHEMERAL = 64
CB_MESSAGE, CB_DEFERRED, CB_DEFERRED_UPDATE, CB_UPDATE = 4, 5, 6, 7


def make_services(engine: QuoteEngine, guild_id: int, tmp: Any,
                  ephemeral: bool = False) -> Services:
    config = parse_config_text(
        f"discord:\n  guilds: [{guild_id}]\npaths:\n  state: {tmp}/state.sqlite3\n"
        f"quote:\n  ephemeral: {str(ephemeral).lower()}\n", base=ROOT)
    deck, problem = load_deck(config.facts_dir, engine)
    assert deck is not None, problem
    return Services(engine, deck, random.Random(7), config)


async def answer_of(handle: InteractionHandle) -> dict[str, Any]:
    """The message the bot answered with: the callback's, or the follow-up after a defer."""
    callback = await handle.callback()
    if callback.type == CB_DEFERRED:
        return (await handle.followup()).data
    if callback.type == CB_DEFERRED_UPDATE:
        return (await handle.edit()).data
    assert callback.type in (CB_MESSAGE, CB_UPDATE), callback.type
    return callback.data


def no_pings(message: dict[str, Any]) -> None:
    assert message["allowed_mentions"] == {"parse": []}


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Button label -> custom_id."""
    return {b["label"]: b.get("custom_id") or b.get("url", "")
            for row in message.get("components", []) for b in row["components"]}


def is_ephemeral(message: dict[str, Any]) -> bool:
    return bool(int(message.get("flags") or 0) & EPHEMERAL)
