"""``bluebook-bot fact``, ``facts`` and ``topics``: read the curated fact cards."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    add_corpus_option,
    emit_json,
    engine_from,
    shipped_dir,
)
from bot.core.errors import UserError
from bot.core.facts.factsearch import (
    describe,
    did_you_mean,
    find_card,
    pick_random,
    resolve_topic,
    search,
)
from bot.core.facts.model import Deck, FactCard
from bot.core.quotes.matching import QuoteEngine
from bot.core.quotes.text import preview
from bot.storage.facts_files import load_deck

SEARCH_LIMIT = 10


def add_facts_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--facts", type=Path, default=None, metavar="DIR",
                        help="fact card folder (default: the shipped facts)")
    add_corpus_option(parser)


def facts_dir(args: argparse.Namespace) -> Path:
    return Path(args.facts) if args.facts else shipped_dir("facts")


def deck_from(args: argparse.Namespace) -> tuple[Deck, QuoteEngine]:
    """The engine and the validated deck; a content error stops the command (exit 2)."""
    engine = engine_from(args)
    return load_deck(facts_dir(args), engine), engine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fact = sub.add_parser("fact", help="show one fact card, by id or at random",
                          description="Show a fact card with its source quotation. With no "
                                      "ID, show a random card (from --topic if given).")
    fact.add_argument("id", nargs="?", help="card id, e.g. only-ally")
    fact.add_argument("--topic", metavar="T", help="pick at random from this topic")
    fact.add_argument("--random", action="store_true", help="pick a card at random (default)")
    fact.add_argument("--seed", type=int, default=None, help="seed for a repeatable random pick")
    fact.add_argument("--json", action="store_true", help="print JSON")
    add_facts_option(fact)
    fact.set_defaults(handler=run_fact)

    facts = sub.add_parser("facts", help="list or search the fact cards",
                           description="List fact cards, by topic, or ranked by a search "
                                       "over title, body, topics and quotation.")
    facts.add_argument("--topic", metavar="T", help="only cards with this topic")
    facts.add_argument("--search", metavar="Q", help="words to search for")
    facts.add_argument("--limit", type=int, default=None, metavar="N",
                       help="show at most N cards (default: 10 search results, every "
                            "card in a list)")
    facts.add_argument("--json", action="store_true", help="print JSON")
    add_facts_option(facts)
    facts.set_defaults(handler=run_facts)

    topics = sub.add_parser("topics", help="list the fact card topics")
    topics.add_argument("--json", action="store_true", help="print JSON")
    add_facts_option(topics)
    topics.set_defaults(handler=run_topics)


def _fail(command: str, message: str, code: int, as_json: bool, **extra: Any) -> int:
    if as_json:
        emit_json({"error": message, **extra})
    print(f"bluebook-bot {command}: {message}", file=sys.stderr)
    return code


def run_fact(args: argparse.Namespace) -> int:
    if args.id and (args.topic or args.random):
        return _fail("fact", "give a card ID, or --topic/--random, not both", EXIT_USAGE,
                     args.json)
    deck, engine = deck_from(args)
    try:
        if args.id:
            card = find_card(deck, args.id)
        else:
            card = pick_random(deck, random.Random(args.seed), args.topic)
    except UserError as exc:
        return _fail("fact", str(exc), EXIT_NOT_FOUND, args.json)
    if args.json:
        emit_json(card_view(card, engine))
    else:
        print(format_card(card, deck, engine))
    return EXIT_OK


def run_facts(args: argparse.Namespace) -> int:
    deck, engine = deck_from(args)
    try:
        topic = resolve_topic(deck, args.topic) if args.topic else None
        if args.search is not None:
            limit = SEARCH_LIMIT if args.limit is None else args.limit
            cards = [c for c in search(deck, args.search, limit=len(deck))
                     if topic is None or topic in c.topics][:max(limit, 0)]
        else:
            cards = list(deck.by_topic(topic))
            if args.limit is not None:  # a list is cut only when asked
                cards = cards[:max(args.limit, 0)]
    except UserError as exc:
        return _fail("facts", str(exc), EXIT_USAGE, args.json)
    hints = did_you_mean(deck, args.search) if args.search and not cards else []
    if args.json:
        emit_json({"query": args.search, "topic": topic,
                   "cards": [card_view(c, engine) for c in cards], "did_you_mean": hints})
        return EXIT_OK if cards else EXIT_NOT_FOUND
    if not cards:
        what = f"matches {args.search!r}" if args.search else "has that topic"
        print(f"No fact card {what}.")
        if hints:
            print(f"Did you mean: {'; '.join(describe(deck, hints))}?")
        return EXIT_NOT_FOUND
    width = max(len(c.id) for c in cards)
    for card in cards:
        print(f"{card.id:<{width}}  {card.title}  [{', '.join(card.topics)}]")
    if args.search is None:
        print(f"\n{len(cards)} card(s).")
    return EXIT_OK


def run_topics(args: argparse.Namespace) -> int:
    deck, _ = deck_from(args)
    counts = {t: len(deck.by_topic(t)) for t in deck.topics}
    if args.json:
        emit_json({"topics": [{**t.as_dict(), "cards": counts[t.id]}
                              for t in deck.topics.values()]})
        return EXIT_OK
    width = max((len(t) for t in deck.topics), default=0)
    for topic in deck.topics.values():
        print(f"{topic.id:<{width}}  {topic.label} ({counts[topic.id]} cards)\n"
              f"{'':<{width}}  {topic.description}")
    return EXIT_OK


def card_view(card: FactCard, engine: QuoteEngine) -> dict[str, Any]:
    """The ``--json`` object for a card: its fields plus the quote's citation."""
    passage = engine.corpus.get(card.source.passage) if card.source.passage else None
    return {**card.as_dict(), "citation": passage.citation if passage else None}


def format_card(card: FactCard, deck: Deck, engine: QuoteEngine) -> str:
    passage = engine.corpus.get(card.source.passage) if card.source.passage else None
    cite = f"{passage.citation}  [{passage.id}]" if passage else card.source.document
    labels = [deck.topics[t].label if t in deck.topics else t for t in card.topics]
    lines = [f"{card.title}  [{card.id}]", "", card.body, "",
             f"  “{preview(card.source.quote, 400)}”", f"  — {cite}", "",
             f"Topics: {', '.join(labels)}"]
    if card.year is not None:
        lines[-1] += f" · Year: {card.year}"
    if card.see_also:
        lines.append(f"See also: {', '.join(card.see_also)}")
    return "\n".join(lines)
