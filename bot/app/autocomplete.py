"""Autocomplete providers: plain functions both Discord autocomplete and shell tab
completion call. Each returns at most 25 :class:`Choice` s (Discord's limit), with
names and values of at most 100 characters, and stays cheap: a provider runs on
every keystroke."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.app.services import Services
from bot.core.text import preview, words

log = logging.getLogger(__name__)

MAX_CHOICES = 25
NAME_MAX = 100
VALUE_MAX = 100


@dataclass(frozen=True, slots=True)
class Choice:
    """*name* is what the person sees; *value* is what the option receives."""

    name: str
    value: str


Provider = Callable[[Services, str], list[Choice]]


def _choice(name: str, value: str) -> Choice:
    return Choice(preview(name, NAME_MAX) or value[:NAME_MAX], value[:VALUE_MAX])


def _rank(current: str, items: Iterable[tuple[str, str, str]]) -> list[Choice]:
    """Choices from ``(id, searchable text, display name)``: ids starting with
    *current* first, then ids or texts containing it, then fuzzy matches."""
    needle = current.strip().casefold()
    scored: list[tuple[float, int, Choice]] = []
    for order, (key, text, name) in enumerate(items):
        k, t = key.casefold(), text.casefold()
        if not needle:
            score = 0.0
        elif k.startswith(needle):
            score = 300.0
        elif needle in k or needle in t:
            score = 200.0
        else:
            score = fuzz.partial_ratio(needle, k)
            if score < 60:
                continue
        scored.append((-score, order, _choice(name, key)))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [c for _, _, c in scored[:MAX_CHOICES]]


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
        snippet = preview(p.text[start:], VALUE_MAX).rstrip("…").strip()
        if snippet and snippet != current:
            choices.append(Choice(preview(f"{snippet} · {p.id}", NAME_MAX), snippet))
    return choices[:MAX_CHOICES]


def passage_id(services: Services, current: str) -> list[Choice]:
    return _rank(current, ((p.id, p.text[:200], f"{p.id} · {p.text}")
                           for p in services.engine.corpus))


def fact_id(services: Services, current: str) -> list[Choice]:
    if services.deck is None:
        return []
    return _rank(current, ((c.id, c.title, f"{c.title} ({c.id})") for c in services.deck))


def topic(services: Services, current: str) -> list[Choice]:
    if services.deck is None:
        return []
    return _rank(current, ((t.id, t.label, f"{t.label} ({t.id})")
                           for t in services.deck.topics.values()))


def document(services: Services, current: str) -> list[Choice]:
    return _rank(current, ((d.id, d.meta.label, f"{d.meta.label} ({d.id})")
                           for d in services.engine.corpus.documents.values()))


def command(services: Services, current: str) -> list[Choice]:
    from bot.app.commands import REGISTRY  # local: the registry imports this module's names

    return _rank(current.lstrip("/"), ((c.name, c.description, f"/{c.name}: {c.description}")
                                       for c in REGISTRY))


PROVIDERS: dict[str, Provider] = {
    "quote_text": quote_text, "passage_id": passage_id, "fact_id": fact_id,
    "topic": topic, "document": document, "command": command,
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
