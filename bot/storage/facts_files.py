"""Load the ``facts/`` folder: ``topics.yaml`` plus any number of card files.

Every other ``*.yaml`` file in the folder (sorted by name, subfolders included)
is a card file with a ``cards:`` list; how cards are spread over files is the
editors' choice. YAML errors in one file are reported with the problems of all
the others, never instead of them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.core.errors import ContentError, Problem
from bot.core.facts.factcheck import ParsedFile, check_deck
from bot.core.facts.model import Deck
from bot.core.quotes.matching import QuoteEngine
from bot.storage.yamlfile import read_yaml

log = logging.getLogger(__name__)

TOPICS_FILE = "topics.yaml"


def card_paths(facts_dir: Path) -> list[Path]:
    """The card files of *facts_dir*, in load order."""
    return sorted(p for p in facts_dir.rglob("*.yaml") if p != facts_dir / TOPICS_FILE)


def _read(path: Path, problems: list[Problem]) -> ParsedFile | None:
    try:
        data, lines = read_yaml(path)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
    return ParsedFile(str(path), data, lines)


def check_folder(facts_dir: Path, engine: QuoteEngine) -> tuple[Deck, list[Problem]]:
    """The cards that pass every check, and every problem in the folder."""
    facts_dir = Path(facts_dir)
    if not facts_dir.is_dir():
        return Deck(), [Problem(str(facts_dir), None, "", "facts folder not found")]
    problems: list[Problem] = []
    topics_path = facts_dir / TOPICS_FILE
    topics = None
    if topics_path.is_file():
        topics = _read(topics_path, problems)
    else:
        problems.append(Problem(str(topics_path), None, "",
                                "missing: declare the topics (id, label, description) here"))
    files = [f for f in (_read(p, problems) for p in card_paths(facts_dir)) if f is not None]
    deck, found = check_deck(topics, files, engine)
    return deck, problems + found


def load_deck(facts_dir: Path, engine: QuoteEngine) -> Deck:
    """The deck in *facts_dir*; :class:`ContentError` listing every problem if any."""
    deck, problems = check_folder(facts_dir, engine)
    if problems:
        raise ContentError(problems)
    log.info("loaded %d fact cards in %d topics from %s", len(deck), len(deck.topics), facts_dir)
    return deck


class DeckHolder:
    """The deck a running bot serves: a reload with errors keeps the last good deck."""

    def __init__(self, facts_dir: Path, engine: QuoteEngine, deck: Deck | None = None) -> None:
        """Load the deck now, raising :class:`ContentError` so a bot never starts
        broken; or serve *deck*, already loaded from *facts_dir* (no second load)."""
        self.facts_dir = Path(facts_dir)
        self.engine = engine
        self.deck = deck if deck is not None else load_deck(self.facts_dir, engine)

    def reload(self, engine: QuoteEngine | None = None) -> list[Problem]:
        """Load the folder again (against *engine* if the corpus changed too).

        Returns the problems; when there are any, the previous deck stays in
        service, and so does the previous engine.
        """
        candidate = engine or self.engine
        try:
            deck = load_deck(self.facts_dir, candidate)
        except ContentError as exc:
            # Every problem, not just the count: the log is where editors see them.
            for problem in exc.problems:
                log.warning("fact reload: %s", problem)
            log.warning("fact reload failed with %d problem(s); keeping the last good deck "
                        "(%d cards)", len(exc.problems), len(self.deck))
            return exc.problems
        self.deck, self.engine = deck, candidate
        return []
