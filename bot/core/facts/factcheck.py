"""Validate parsed fact-card data into a :class:`~bot.core.facts.model.Deck`, with every problem.

Pure: the storage layer reads the YAML and hands over plain data plus a way to
find the line of any key. Every problem names its file, line and card, and one
broken card never hides the problems (or the good cards) of the others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.core.errors import ContentError, LineLookup, Loc, Problem, pydantic_problems
from bot.core.facts.model import Deck, FactCard, Source, Topic
from bot.core.facts.quotecheck import QuoteChecker, unquoted_figures
from bot.core.quotes.matching import QuoteEngine

log = logging.getLogger(__name__)

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MIN_QUOTE_WORDS = 8


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One YAML file as plain data, with its name and line lookup for messages."""

    name: str
    data: Any
    lines: LineLookup


class _Strict(BaseModel):
    # strict: YAML already gives real ints and lists, so "2010" in quotes is a mistake
    model_config = ConfigDict(extra="forbid", strict=True)


class _TopicModel(_Strict):
    id: str = Field(pattern=SLUG, max_length=40)
    label: str = Field(min_length=1, max_length=60)
    description: str = Field(min_length=1, max_length=200)


class _TopicsFile(_Strict):
    topics: list[_TopicModel] = Field(min_length=1)


class _SourceModel(_Strict):
    document: str = Field(min_length=1)
    quote: str = Field(min_length=1, max_length=1000)


class _CardModel(_Strict):
    id: str = Field(pattern=SLUG, max_length=64)
    title: str = Field(min_length=1, max_length=256)
    body: str = Field(min_length=1, max_length=1000)
    topics: list[str] = Field(min_length=1)
    source: _SourceModel
    year: int | None = Field(default=None, ge=1900, le=2200)
    see_also: list[str] = Field(default_factory=list)


def check_topics(parsed: ParsedFile) -> tuple[dict[str, Topic], list[Problem]]:
    """The declared topics, and the problems with their file."""
    try:
        model = _TopicsFile.model_validate(parsed.data if parsed.data is not None else {})
    except ValidationError as exc:
        return {}, pydantic_problems(exc, parsed.name, parsed.lines)
    topics: dict[str, Topic] = {}
    problems: list[Problem] = []
    for i, t in enumerate(model.topics):
        if t.id in topics:
            problems.append(Problem(parsed.name, parsed.lines.line(("topics", i, "id")),
                                    f"topic {t.id!r}", "duplicate topic id"))
            continue
        topics[t.id] = Topic(t.id, t.label, t.description)
    return topics, problems


def _card_items(parsed: ParsedFile) -> tuple[list[Any], list[Problem]]:
    """The raw card entries of a card file, or why the file's shape is wrong."""
    data = parsed.data
    if not isinstance(data, dict) or not isinstance(data.get("cards"), list):
        return [], [Problem(parsed.name, parsed.lines.line(()), "",
                            "a card file is a mapping with a 'cards' list")]
    problems = [Problem(parsed.name, parsed.lines.line((key,)), str(key), "unknown key")
                for key in data if key != "cards"]
    return list(data["cards"]), problems


def _label(item: Any, i: int) -> str:
    card_id = item.get("id") if isinstance(item, dict) else None
    return f"card {card_id!r}" if isinstance(card_id, str) and card_id else f"cards[{i}]"


def _partial(item: Any, i: int) -> FactCard | None:
    """What can be read of a card that failed validation, so its other problems
    (topics, links, the quote) are reported in the same run, not after a fix."""
    if not isinstance(item, dict):
        return None

    def text(value: Any) -> str:
        return value if isinstance(value, str) else ""

    def words(value: Any) -> tuple[str, ...]:
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    raw_source = item.get("source")
    source: dict[str, Any] = raw_source if isinstance(raw_source, dict) else {}
    card_id = text(item.get("id")) or f"cards[{i}]"
    return FactCard(id=card_id, title=text(item.get("title")), body=text(item.get("body")),
                    topics=words(item.get("topics")),
                    source=Source(text(source.get("document")), text(source.get("quote"))),
                    year=None, see_also=words(item.get("see_also")), file="", line=0)


_Partial = tuple[FactCard, str, set[str]]  # what could be read, its label, its bad fields


def _parse_card(parsed: ParsedFile, item: Any, i: int
                ) -> tuple[FactCard | None, list[Problem], _Partial | None]:
    prefix: Loc = ("cards", i)
    try:
        model = _CardModel.model_validate(item)
    except ValidationError as exc:
        label = _label(item, i)
        problems = []
        bad_fields: set[str] = set()
        for p, err in zip(pydantic_problems(exc, parsed.name, parsed.lines, prefix),
                          exc.errors(), strict=True):
            bad_fields.add(str(err["loc"][0]) if err["loc"] else "")
            field = p.where.removeprefix(f"cards[{i}]").lstrip(".") or "card"
            problems.append(Problem(p.file, p.line, label, f"{field}: {p.message}"))
        partial = _partial(item, i)
        return None, problems, (partial, label, bad_fields) if partial is not None else None
    card = FactCard(
        id=model.id, title=model.title.strip(), body=model.body.strip(),
        topics=tuple(model.topics), source=Source(model.source.document, model.source.quote),
        year=model.year, see_also=tuple(model.see_also),
        file=parsed.name, line=parsed.lines.line(prefix) or 0)
    return card, [], None


def check_deck(topics_file: ParsedFile | None, card_files: Sequence[ParsedFile],
               engine: QuoteEngine) -> tuple[Deck, list[Problem]]:
    """Every card that passes all checks, and every problem found.

    *topics_file* None means the topics file could not be read; its problem is
    reported elsewhere, so unknown-topic errors are skipped rather than repeated
    for every card.
    """
    problems: list[Problem] = []
    topics: dict[str, Topic] = {}
    if topics_file is not None:
        topics, found = check_topics(topics_file)
        problems += found
    know_topics = topics_file is not None and bool(topics)

    cards: list[tuple[FactCard, ParsedFile, int]] = []
    partials: list[tuple[_Partial, ParsedFile, int, int]] = []  # ..., where its problems go
    first: dict[str, FactCard] = {}
    for parsed in card_files:
        items, found = _card_items(parsed)
        problems += found
        for i, item in enumerate(items):
            card, found, partial = _parse_card(parsed, item, i)
            problems += found
            if partial is not None:
                partials.append((partial, parsed, i, len(problems)))
            if card is None:
                continue
            if card.id in first:
                other = first[card.id]
                problems.append(Problem(parsed.name, card.line, f"card {card.id!r}",
                                        f"id: duplicate id, first used at {other.file}:"
                                        f"{other.line}"))
            else:
                first[card.id] = card
            # A duplicate is still checked, so its other problems surface now too.
            cards.append((card, parsed, i))

    quotes = QuoteChecker(engine)
    # A card that failed validation still has its valid fields checked against the
    # rest (topics, links, the quote), so `check` lists all its problems in one run.
    # Each goes right after that card's own problems, in file order.
    for (readable, label, bad), parsed, i, at in reversed(partials):
        problems[at:at] = _cross_check(readable, parsed, i, topics if know_topics else None,
                                       first, quotes, label=label, skip=bad)
    good: dict[str, FactCard] = {}
    for card, parsed, i in cards:
        found = _cross_check(card, parsed, i, topics if know_topics else None, first, quotes)
        problems += found
        if not found and first[card.id] is card:
            passage = quotes.locate(card.source.document, card.source.quote)
            source = Source(card.source.document, card.source.quote,
                            passage.id if passage else None)
            good[card.id] = _replace_source(card, source)
    log.debug("checked %d cards: %d good, %d problems", len(cards), len(good), len(problems))
    return Deck(cards=good, topics=topics), problems


def build_deck(topics_file: ParsedFile | None, card_files: Sequence[ParsedFile],
               engine: QuoteEngine) -> Deck:
    """The deck, or :class:`ContentError` listing every problem."""
    deck, problems = check_deck(topics_file, card_files, engine)
    if problems:
        raise ContentError(problems)
    return deck


def _replace_source(card: FactCard, source: Source) -> FactCard:
    return FactCard(card.id, card.title, card.body, card.topics, source, card.year,
                    card.see_also, card.file, card.line)


def _cross_check(card: FactCard, parsed: ParsedFile, i: int, topics: dict[str, Topic] | None,
                 ids: dict[str, FactCard] | None, quotes: QuoteChecker | None, *,
                 label: str | None = None, skip: frozenset[str] | set[str] = frozenset()
                 ) -> list[Problem]:
    """Checks that need more than the card itself: topics, links and the quote.
    *topics*, *ids* or *quotes* None skip those checks (done later for the deck);
    *skip* names fields already reported as invalid."""
    out: list[Problem] = []
    label = label or f"card {card.id!r}"

    def add(loc: Loc, message: str) -> None:
        out.append(Problem(parsed.name, parsed.lines.line(("cards", i, *loc)), label, message))

    if topics is not None and "topics" not in skip:
        for j, topic in enumerate(card.topics):
            if topic not in topics:
                add(("topics", j), f"topics: unknown topic {topic!r}"
                    f"{_hint(topic, list(topics))}")
    for j, other in enumerate(card.see_also if "see_also" not in skip else ()):
        if other == card.id:
            add(("see_also", j), "see_also: a card cannot refer to itself")
        elif ids is not None and other not in ids:
            add(("see_also", j), f"see_also: unknown card id {other!r}{_hint(other, list(ids))}")
    if quotes is None or "source" in skip:
        return out
    quote = card.source.quote
    doc = card.source.document
    if doc not in quotes.documents:
        add(("source", "document"), f"source.document: unknown document {doc!r}"
            f"{_hint(doc, quotes.documents)}")
        return out
    words = quotes.word_count(quote)
    if words < MIN_QUOTE_WORDS:
        add(("source", "quote"), f"source.quote: quote at least {MIN_QUOTE_WORDS} words "
            f"(this has {words}) so the fact is grounded in the text")
        return out
    problem = quotes.explain(doc, quote)
    if problem:
        add(("source", "quote"), f"source.quote: {problem}")
        return out
    if "body" in skip:
        return out
    edition = quotes.edition(doc)
    missing = unquoted_figures(card.body, quote, allowed={str(edition)} if edition else set())
    if missing:
        add(("body",), "body: figures or dates not in the quote: " + ", ".join(missing)
            + " (quote the words that say so)")
    return out


def _hint(word: str, choices: Sequence[str]) -> str:
    from rapidfuzz import process  # local: only the error path needs it

    hit = process.extractOne(word, list(choices), score_cutoff=60)
    return f"; did you mean {hit[0]!r}?" if hit else ""
