"""``bluebook-bot card draft "QUOTE"``: a card stub with the corpus's own words."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app.services import load_deck
from bot.cli.common import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, engine_from
from bot.cli.facts_cmd import add_facts_option, facts_dir
from bot.core.errors import UserError
from bot.core.facts.draft import draft_card
from bot.core.facts.factsearch import NotInDeck, resolve_topic
from bot.core.facts.model import Deck

_HEADER = "# yaml-language-server: $schema=schema.json\ncards:\n"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    card = sub.add_parser("card", help="help write fact cards")
    actions = card.add_subparsers(dest="action", metavar="ACTION", required=True)
    draft = actions.add_parser(
        "draft", help="a card stub for a quotation, with the corpus's exact words",
        description="Find the passage QUOTE comes from and print a card stub that passes "
                    "`check` once its title and body are written.")
    draft.add_argument("quote", metavar="QUOTE", help="the quotation, as you remember it")
    draft.add_argument("--topic", action="append", default=[], metavar="T",
                       help="a topic for the card (repeatable; default: suggested)")
    draft.add_argument("--append", type=Path, default=None, metavar="FILE",
                       help="append the stub to this card file instead of printing it")
    add_facts_option(draft)
    draft.set_defaults(handler=run_draft)


def run_draft(args: argparse.Namespace) -> int:
    engine = engine_from(args)
    deck, _ = load_deck(facts_dir(args), engine)
    deck = deck or Deck()
    try:
        topics = tuple(resolve_topic(deck, t) for t in args.topic)
    except NotInDeck as exc:
        print(f"bluebook-bot card draft: {exc.reason}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = engine.find(args.quote, top=0)
    except UserError as exc:
        print(f"bluebook-bot card draft: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if result.match is None:
        print("bluebook-bot card draft: no passage has these words; "
              "try `bluebook-bot quote` with more of them", file=sys.stderr)
        return EXIT_NOT_FOUND
    stub = draft_card(engine.corpus, result.match, deck, topics).yaml()
    if args.append is None:
        sys.stdout.write(stub)
        return EXIT_OK
    path: Path = args.append
    existing = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    if not existing.endswith("\n"):
        existing += "\n"
    path.write_text(existing + stub, encoding="utf-8")
    print(f"appended a card stub to {path}: write its title and body, then run "
          "bluebook-bot check")
    return EXIT_OK
