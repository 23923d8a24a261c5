"""Choosing fact cards: by id, by topic, at random, and by full-text search.

Search ranks cards by how many of the query's words they contain and where:
a word in the title or topics says more about a card than one in its quote.
Words are compared after :func:`~bot.core.quotes.text.tokenize` normalisation, so
"US", "U.S." and "u.s" are one word, and a mistyped word ("Hatoyma") still
matches its source word (:func:`~bot.core.quotes.diff.is_typo`).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.core.errors import UserError
from bot.core.facts.model import Deck, FactCard, Topic
from bot.core.quotes.diff import is_typo
from bot.core.quotes.text import normalize, words

# Field weights: where a word is found says how much the card is about it.
TITLE, TOPICS, BODY, QUOTE, LABEL = 3.0, 2.5, 1.5, 1.0, 1.0
PREFIX, TYPO = 0.8, 0.7  # partial credit for "alli" -> "alliance", "aliance" -> "alliance"
PHRASE_BONUS = 2.0
MIN_COVERAGE = 0.5  # share of the query's words a card must contain to be listed
SUGGEST_CUTOFF = 70.0
SUGGEST_WINDOW = 15.0  # only names nearly as close as the closest one
STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "with", "what",
    "who", "which", "when", "how", "did", "does", "do", "about"))


class NotInDeck(UserError):
    """No card or topic by that name. ``str()`` is the whole message, with its "did
    you mean" (what the CLI prints); *reason* and *suggestions* are its two halves,
    for front ends that show suggestions their own way (:class:`bot.app.registry.NotFound`)."""

    def __init__(self, message: str, suggestions: Sequence[str] = (), *,
                 reason: str | None = None) -> None:
        super().__init__(message)
        self.suggestions = tuple(suggestions)
        self.reason = reason if reason is not None else message


@dataclass(frozen=True, slots=True)
class _Fields:
    card: FactCard
    fields: tuple[tuple[float, frozenset[str]], ...]
    phrases: tuple[str, ...]


def _fields(card: FactCard, topics: dict[str, Topic]) -> _Fields:
    topic_words: set[str] = set()
    label_words: set[str] = set()
    for t in card.topics:
        topic_words.update(words(t))
        if t in topics:  # labels are broad ("G7, G8 and other groupings"): they weigh less
            label_words.update(words(topics[t].label))
    texts = (card.title, card.body, card.source.quote)
    return _Fields(card, (
        (TITLE, frozenset(words(card.title))),
        (TOPICS, frozenset(topic_words)),
        (BODY, frozenset(words(card.body))),
        (QUOTE, frozenset(words(card.source.quote))),
        (LABEL, frozenset(label_words)),
    ), tuple(f" {normalize(t)} " for t in texts))


def _credit(word: str, vocab: frozenset[str]) -> float:
    if word in vocab:
        return 1.0
    if len(word) >= 3 and any(v.startswith(word) for v in vocab):
        return PREFIX
    if len(word) >= 4 and any(is_typo(word, v) for v in vocab):
        return TYPO
    return 0.0


def query_words(query: str) -> list[str]:
    """The words of *query* that carry meaning (all of them if every one is a stopword)."""
    found = words(query)
    content = [w for w in found if w not in STOPWORDS]
    return list(dict.fromkeys(content or found))


def search(deck: Deck, query: str, limit: int = 10) -> list[FactCard]:
    """Cards matching *query*, best first: most query words found, then where and how rare."""
    terms = query_words(query)
    if not terms:
        raise UserError("Type a word or two to search the fact cards for.")
    indexed = [_fields(card, deck.topics) for card in deck]
    # Rare words decide more: "Hatoyama" picks one card, "Japan" picks them all.
    df = Counter(w for f in indexed for w in set().union(*(v for _, v in f.fields)))
    n = max(len(indexed), 1)
    idf = {w: math.log(1 + n / max(df.get(w, 0), 1)) for w in terms}
    phrase = f" {' '.join(terms)} " if len(terms) > 1 else None
    scored: list[tuple[int, float, int, FactCard]] = []
    for order, f in enumerate(indexed):
        matched, score = 0, 0.0
        for w in terms:
            best = max(weight * _credit(w, vocab) for weight, vocab in f.fields)
            if best > 0:
                matched += 1
                score += best * idf[w]
        if matched / len(terms) < MIN_COVERAGE:
            continue
        if phrase and any(phrase in text for text in f.phrases):
            score += PHRASE_BONUS * len(terms)
        scored.append((matched, score, order, f.card))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    return [s[3] for s in scored[:max(limit, 0)]]


def did_you_mean(deck: Deck, text: str, limit: int = 3) -> list[str]:
    """The ids of the cards whose id or title looks like *text*, best first, each
    card once (an id and its own title are one suggestion, not two)."""
    by_title = {c.title: c.id for c in deck}
    choices = [c.id for c in deck] + [c.title for c in deck]
    hits = process.extract(text, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                           limit=limit * 2, score_cutoff=SUGGEST_CUTOFF)
    out: list[str] = []
    top = hits[0][1] if hits else 0.0
    for name, score, _ in hits:
        card_id = by_title.get(name, name)
        if score >= top - SUGGEST_WINDOW and card_id not in out:
            out.append(card_id)
    return out[:limit]


def describe(deck: Deck, card_ids: Sequence[str]) -> list[str]:
    """Suggested ids with their titles, e.g. ``only-ally (“The United States is
    Japan's only ally”)``: one readable item per card."""
    return [f"{i} (“{card.title}”)" if (card := deck.get(i)) is not None else i
            for i in card_ids]


def find_card(deck: Deck, card_id: str) -> FactCard:
    """The card with id *card_id* (or exactly that title), any case; :class:`NotInDeck`
    with suggestions."""
    card = deck.get(card_id.strip().casefold())
    if card is None:
        wanted = card_id.strip().casefold()
        card = next((c for c in deck if c.title.casefold() == wanted), None)
    if card is not None:
        return card
    near = describe(deck, did_you_mean(deck, card_id))
    reason = f"There is no fact card {card_id!r}."
    hint = f" Did you mean: {'; '.join(near)}?" if near else ""
    raise NotInDeck(reason + hint, near, reason=reason)


def resolve_topic(deck: Deck, text: str) -> str:
    """The topic id for *text* (an id or a label, any case); :class:`NotInDeck` if unknown."""
    wanted = text.strip().casefold()
    for topic in deck.topics.values():
        if wanted in (topic.id, topic.label.casefold()):
            return topic.id
    names = list(deck.topics)
    hit = process.extractOne(text, names, scorer=fuzz.WRatio, processor=utils.default_process,
                             score_cutoff=SUGGEST_CUTOFF)
    reason = f"There is no topic {text!r}."
    if hit:
        raise NotInDeck(f"{reason} Did you mean {hit[0]!r}?", [hit[0]], reason=reason)
    raise NotInDeck(f"{reason} Topics: {', '.join(names)}.")


def pick_random(deck: Deck, rng: random.Random, topic: str | None = None) -> FactCard:
    """A card chosen with *rng*, from *topic* when given; :class:`NotInDeck` when there is none."""
    topic_id = resolve_topic(deck, topic) if topic is not None else None
    cards: Sequence[FactCard] = deck.by_topic(topic_id)
    if not cards:
        where = f" in topic {topic_id!r}" if topic_id else ""
        raise NotInDeck(f"There are no fact cards{where} yet.")
    return rng.choice(cards)
