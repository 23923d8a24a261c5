"""Autocomplete providers: plain functions both Discord autocomplete and shell tab
completion call. Each returns at most 25 :class:`Choice` s (Discord's limit), with
names and values of at most 100 characters, and stays cheap: a provider runs on
every keystroke."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from rapidfuzz import fuzz, process

from bot.app.services import Services
from bot.core.quotes.text import preview, words

log = logging.getLogger(__name__)

MAX_CHOICES = 25
NAME_MAX = 100
VALUE_MAX = 100
FUZZY_FLOOR = 60  # partial_ratio below this is not a suggestion

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Choice:
    """*name* is what the person sees; *value* is what the option receives."""

    name: str
    value: str


Provider = Callable[[Services, str], list[Choice]]


def _choice(name: str, value: str) -> Choice:
    # preview() flattens whitespace over all it is given: a bounded prefix of a long
    # passage is enough for a 100-character name and costs the same for any length.
    return Choice(preview(name[:NAME_MAX * 4], NAME_MAX) or value[:NAME_MAX], value[:VALUE_MAX])


def _rank(current: str, items: Iterable[tuple[str, str, T]],
          name: Callable[[T], str]) -> list[Choice]:
    """Choices from ``(id, searchable text, item)``, named ``name(item)``: ids
    starting with *current* first, then ids or texts containing it, then fuzzy
    matches of the id; within each tier, in the items' order.

    Providers rank up to the whole corpus on every keystroke, so an item costs
    only a few string tests: the fuzzy tier is scored in one rapidfuzz call, and
    only when the first two leave room; names are built for the winners only."""
    needle = current.strip().casefold()
    if not needle:  # every item ties: the first ones are the answer
        return [_choice(name(item), key) for key, _, item in islice(items, MAX_CHOICES)]
    starts: list[tuple[str, T]] = []
    contains: list[tuple[str, T]] = []
    rest: list[tuple[str, T]] = []
    rest_keys: list[str] = []  # casefolded, for the fuzzy tier
    for key, text, item in items:
        k = key.casefold()
        if k.startswith(needle):
            starts.append((key, item))
            if len(starts) == MAX_CHOICES:
                break  # nothing later can outrank these
        elif len(contains) == MAX_CHOICES:
            continue  # the tiers below can no longer place
        elif needle in k or needle in text.casefold():
            contains.append((key, item))
        else:
            rest.append((key, item))
            rest_keys.append(k)
    winners = (starts + contains)[:MAX_CHOICES]
    if len(winners) < MAX_CHOICES and rest:
        # Best score first, ties in index order: the items' order, as above.
        hits = process.extract(needle, rest_keys, scorer=fuzz.partial_ratio,
                               score_cutoff=FUZZY_FLOOR, limit=MAX_CHOICES - len(winners))
        winners += [rest[i] for _, _, i in hits]
    return [_choice(name(item), key) for key, item in winners]


def quote_text(services: Services, current: str) -> list[Choice]:
    """Live previews of the passages the words typed so far would find. The value
    is a snippet of the passage's own words, so picking one quotes it exactly."""
    current = current.strip()
    if not words(current):
        return []
    choices = [Choice(current, current)] if len(current) <= VALUE_MAX else []
    needle = current.casefold()
    for p in services.engine.candidates(current, MAX_CHOICES - len(choices)):
        hit = fuzz.partial_ratio_alignment(needle, p.text.casefold())
        start = hit.dest_start if hit else 0
        # Start the snippet at the beginning of the word the match starts in.
        start = p.text.rfind(" ", 0, start) + 1 if start else 0
        snippet = preview(p.text[start:start + VALUE_MAX * 4], VALUE_MAX).rstrip("…").strip()
        if snippet and snippet != current:
            choices.append(Choice(preview(f"{snippet} · {p.id}", NAME_MAX), snippet))
    return choices[:MAX_CHOICES]


def passage_id(services: Services, current: str) -> list[Choice]:
    return _rank(current, ((p.id, p.text[:200], p) for p in services.engine.corpus),
                 lambda p: f"{p.id} · {p.text[:NAME_MAX * 4]}")


def fact_id(services: Services, current: str) -> list[Choice]:
    if services.deck is None:
        return []
    return _rank(current, ((c.id, c.title, c) for c in services.deck),
                 lambda c: f"{c.title} ({c.id})")


def topic(services: Services, current: str) -> list[Choice]:
    if services.deck is None:
        return []
    return _rank(current, ((t.id, t.label, t) for t in services.deck.topics.values()),
                 lambda t: f"{t.label} ({t.id})")


def document(services: Services, current: str) -> list[Choice]:
    return _rank(current, ((d.id, d.meta.label, d)
                           for d in services.engine.corpus.documents.values()),
                 lambda d: f"{d.meta.label} ({d.id})")


def edition(services: Services, current: str) -> list[Choice]:
    from bot.app.editions import editions  # local: editions imports the registry

    corpus = services.engine.corpus
    counts = {e: sum(1 for d in corpus.documents.values() if d.meta.edition == e)
              for e in editions(corpus)}
    return _rank(current, ((str(e), f"Diplomatic Bluebook {e}", e) for e in counts),
                 lambda e: f"Diplomatic Bluebook {e} ({counts[e]} document"
                           f"{'s' if counts[e] != 1 else ''})")


def command(services: Services, current: str) -> list[Choice]:
    from bot.app.commands import REGISTRY  # local: the registry imports this module's names

    return _rank(current.lstrip("/"), ((c.name, c.description, c) for c in REGISTRY),
                 lambda c: f"/{c.name}: {c.description}")


PROVIDERS: dict[str, Provider] = {
    "quote_text": quote_text, "passage_id": passage_id, "fact_id": fact_id,
    "topic": topic, "document": document, "command": command, "edition": edition,
}


def complete(services: Services, provider: str | None, current: str) -> list[Choice]:
    """Choices from the named provider; never raises, because a failing suggestion
    must not break typing a command."""
    func = PROVIDERS.get(provider or "")
    if func is None:
        return []
    try:
        return func(services, current)
    except Exception:
        log.exception("autocomplete provider %s failed for %r", provider, current[:100])
        return []
