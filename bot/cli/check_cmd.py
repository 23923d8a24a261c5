"""``bluebook-bot check``: validate config, corpus and facts together, listing every problem.

The command an editor runs before committing a card, and CI runs on the shipped
content. Other checks plug in as *problem sources*: callables that return the
problems they find (an empty list when all is well).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.cli.common import EXIT_OK, EXIT_USAGE, shipped_dir
from bot.cli.facts_cmd import add_facts_option
from bot.core.errors import ContentError, Problem
from bot.storage.config_file import Config, config_path, load_config
from bot.storage.corpus_files import corpus_problems
from bot.storage.facts_files import check_folder
from bot.storage.index_cache import load_engine

log = logging.getLogger(__name__)

ProblemSource = Callable[[], list[Problem]]


@dataclass(slots=True)
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was (or was not) checked


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("check", help="validate config, corpus and fact cards",
                            description="Validate the config, the corpus and every fact card "
                                        "together; exit 2 listing every problem.")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="config file to validate as well")
    add_facts_option(parser)
    parser.set_defaults(handler=run)


def config_source(path: Path) -> ProblemSource:
    """A check of the config file at *path*."""

    def check() -> list[Problem]:
        try:
            load_config(path)
        except ContentError as exc:
            return exc.problems
        return []

    return check


def daily_topic_problems(config: Config, name: str, topics: Collection[str]) -> list[Problem]:
    """Daily schedules whose topic the deck lacks: they would fail every day."""
    return [Problem(name, None, f"daily[{i}].topic",
                    f"no topic {entry.topic!r} among the fact cards' topics")
            for i, entry in enumerate(config.daily)
            if entry.topic is not None and entry.topic not in topics]


def run_check(corpus_dir: Path, facts_dir: Path, *, use_cache: bool = True,
              extra: Sequence[ProblemSource] = (), config: Config | None = None,
              config_name: str = "config") -> CheckReport:
    """Every problem in the corpus, the facts, *config*'s daily topics and the *extra* sources."""
    report = CheckReport()
    for source in extra:
        report.problems += source()
    # Files the loader leaves out (bad ones: problems; other formats: notes with the
    # command that imports them), also when the corpus comes from the cache.
    scan = corpus_problems(corpus_dir)
    report.notes += scan.unread
    try:
        engine = load_engine(corpus_dir, use_cache=use_cache)
    except ContentError as exc:
        report.problems += [p for p in exc.problems if p not in scan.problems]
        report.problems += scan.problems
        report.notes.append("fact cards not checked: their quotes need a valid corpus")
        return report
    report.problems += scan.problems
    report.notes.append(f"corpus: {len(engine.corpus.documents)} documents, "
                        f"{len(engine.corpus)} passages")
    deck, problems = check_folder(facts_dir, engine)
    report.problems += problems
    report.notes.append(f"facts: {len(deck)} valid cards in {len(deck.topics)} topics")
    if config is not None:
        report.problems += daily_topic_problems(config, config_name, deck.topics)
        report.notes.append(f"daily posts: {len(config.daily)} schedule(s) in the config")
    return report


def run(args: argparse.Namespace) -> int:
    path = config_path(args.config)
    config: Config | None = None
    problems: list[Problem] = []
    if path is not None:
        try:
            config = load_config(path)
        except ContentError as exc:
            problems = exc.problems
    # The folders the bot would use: the flags, else the config's, else the shipped ones.
    corpus = args.corpus or (config.corpus_dir if config else shipped_dir("corpus"))
    facts = args.facts or (config.facts_dir if config else shipped_dir("facts"))
    report = run_check(corpus, facts, use_cache=not args.no_cache, extra=[lambda: problems],
                       config=config, config_name=str(path))
    if config is not None:
        # A missing folder named in the config is reported at its key and line,
        # instead of as a bare path.
        keyed = {str(getattr(config, f"{k}_dir")): found for k, flag in
                 (("corpus", args.corpus), ("facts", args.facts))
                 if flag is None and (found := config.folder_problem(k)) is not None}  # type: ignore[arg-type]
        report.problems = [keyed.pop(p.file) if p.file in keyed and p.line is None
                           and p.message.endswith("folder not found") else p
                           for p in report.problems]
    for note in report.notes:
        print(note)
    if report.problems:
        print(f"bluebook-bot check: {len(report.problems)} problem(s):", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    print("OK")
    return EXIT_OK
