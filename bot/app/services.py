"""What command handlers need, in one object both front ends build the same way."""

from __future__ import annotations

import importlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from bot.core.errors import ContentError, UserError
from bot.core.facts.model import Deck
from bot.core.quotes.matching import QuoteEngine
from bot.storage.config_file import Config
from bot.storage.corpus_files import corpus_problems
from bot.storage.index_cache import load_engine

log = logging.getLogger(__name__)

DeckLoader = Callable[[Path, QuoteEngine], Deck]


@dataclass(slots=True)
class Services:
    """The quote engine, the fact deck (None when facts failed to load, with the
    reason in ``facts_problem``), a random source for /fact, and the config."""

    engine: QuoteEngine
    deck: Deck | None = None
    rng: random.Random = field(default_factory=random.Random)
    config: Config = field(default_factory=Config)
    facts_problem: str = ""
    # Whether inline lookups can work in this run, and why not: set by the Discord
    # client, shown by /about and /settings; empty where they do not apply (the shell).
    inline_status: str = ""

    def require_deck(self) -> Deck:
        """The deck, or a :class:`UserError` that says why facts are unavailable."""
        if self.deck is None:
            why = f" ({self.facts_problem})" if self.facts_problem else ""
            raise UserError(f"Fact cards are unavailable{why}. /quote, /verify, /passage "
                            "and /search still work.")
        return self.deck


def _deck_loader() -> DeckLoader | None:
    # Imported by name so this module works before the fact loader exists, and so
    # a broken facts package never stops quotations from working.
    try:
        module = importlib.import_module("bot.storage.facts_files")
    except ImportError:
        return None
    return cast(DeckLoader | None, getattr(module, "load_deck", None))


def load_deck(facts_dir: Path, engine: QuoteEngine) -> tuple[Deck | None, str]:
    """The deck in *facts_dir*, or None and a one-line reason; never raises."""
    loader = _deck_loader()
    if loader is None:
        return None, "the fact card loader is not installed"
    if not facts_dir.is_dir():
        return None, f"no facts folder at {facts_dir}"
    try:
        deck = loader(facts_dir, engine)
    except ContentError as exc:
        for problem in exc.problems:
            log.warning("fact cards: %s", problem)
        first = exc.problems[0] if exc.problems else "unknown problem"
        return None, f"{len(exc.problems)} problem(s) in the fact files, first: {first}"
    if len(deck) == 0:
        return deck, "no fact cards yet"
    return deck, ""


def load_services(config: Config, *, use_cache: bool = True, seed: int | None = None) -> Services:
    """Everything the commands need, from *config*. Corpus problems raise
    :class:`ContentError` (nothing works without it); fact problems only disable facts."""
    missing = config.folder_problem("corpus")
    if missing is not None:  # named at the config key and line, not as a bare path
        raise ContentError([missing])
    engine = load_engine(config.corpus_dir, use_cache=use_cache)
    scan = corpus_problems(config.corpus_dir)
    for bad in scan.problems:
        log.warning("corpus: %s (not loaded; the other documents serve)", bad)
    for line in scan.unread:
        log.warning("corpus: %s", line)
    missing = config.folder_problem("facts")
    if missing is not None:
        return Services(engine, None, random.Random(seed), config, str(missing))
    deck, problem = load_deck(config.facts_dir, engine)
    return Services(engine, deck, random.Random(seed), config, problem)
