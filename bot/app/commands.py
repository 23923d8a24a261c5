"""Every command of the bot, declared once: both the shell and the Discord cogs read
:data:`REGISTRY`. A handler's docstring summary is its description everywhere
(at most 100 characters: Discord's limit)."""

from __future__ import annotations

import logging
import math

from rapidfuzz import fuzz

from bot import __version__
from bot.app.editions import edition_range, with_edition, with_other_editions
from bot.app.inline import check_text
from bot.app.registry import NotFound, Param, Registry, did_you_mean
from bot.app.services import Services
from bot.core.errors import UserError
from bot.core.facts.factsearch import NotInDeck, find_card, pick_random, resolve_topic
from bot.core.facts.model import Deck, FactCard
from bot.core.inline.answer import scan_reply
from bot.core.quotes.corpus import Corpus, Passage
from bot.core.quotes.text import find_span, normalize, words
from bot.core.rendering.cards import Reply
from bot.core.rendering.fact_replies import fact_reply, topics_reply
from bot.core.rendering.quote_replies import matches, quote_reply, verify_reply
from bot.core.rendering.replies import about_reply, help_reply, passage_reply, search_reply

log = logging.getLogger(__name__)

REGISTRY = Registry()
SEARCH_POOL = 50  # BM25 candidates re-ranked for /search
PAGE_SIZE = 5  # one button per result fits a single row
HELP_INTRO = ("The same commands work as Discord slash commands and in the local shell "
              "(bluebook-bot shell). Quotations are matched even when misremembered.")

_TEXT = Param("text", "the quotation, as well as you remember it", required=True,
              autocomplete="quote_text", rest=True)
_EDITION = Param("edition", "only this edition of the Bluebook (a year)", autocomplete="edition")


@REGISTRY.command(
    Param("id", "a fact card id", autocomplete="fact_id"),
    Param("topic", "pick a random card on this topic", autocomplete="topic"),
)
def fact(services: Services, id: str | None = None, topic: str | None = None) -> Reply:
    """Show a fact card from the Diplomatic Bluebook: by id, or at random (optionally by topic)."""
    deck = services.require_deck()
    # The same lookups as ``bluebook-bot fact``, so every front end accepts the same
    # words: ids and titles in any case, topic ids or labels ("Japan and Canada").
    try:
        topic_id = resolve_topic(deck, topic) if topic is not None else None
        card = find_card(deck, id) if id is not None else None
    except NotInDeck as exc:
        # "/fact alliance": a topic given where an id goes.
        topic_id = _topic_or_none(deck, id) if id is not None and topic is None else None
        if topic_id is None:
            raise NotFound(exc.reason, exc.suggestions) from exc
        card = None
    if card is None:
        try:
            card = pick_random(deck, services.rng, topic_id)
        except NotInDeck as exc:
            raise NotFound(exc.reason, exc.suggestions) from exc
    return fact_card_reply(services, card, topic_id)


def _topic_or_none(deck: Deck, text: str) -> str | None:
    try:
        return resolve_topic(deck, text)
    except NotInDeck:
        return None


def fact_card_reply(services: Services, card: FactCard, topic: str | None = None) -> Reply:
    """*card* as /fact shows it: citation, credit, and a Source button that opens its
    passage with the quote in bold. Daily posts build their card here too, so the
    two never drift apart. *topic*: the one "Another fact" stays on."""
    deck = services.require_deck()
    corpus = services.engine.corpus
    # The loader resolved the quote's passage when it validated the card.
    passage = corpus.get(card.source.passage) if card.source.passage else None
    doc = corpus.documents.get(card.source.document)
    citation = passage.citation if passage else (doc.meta.label if doc else card.source.document)
    span = find_span(passage.text, card.source.quote) if passage else None
    return fact_reply(card, deck, citation, passage_id=passage.id if passage else None,
                      span=span, credit=doc.meta.credit if doc else "",
                      url=doc.meta.source_url if doc else None, topic=topic)


@REGISTRY.command(_TEXT, _EDITION)
def quote(services: Services, text: str, edition: str | None = None) -> Reply:
    """Find the Bluebook passage a quotation comes from, with its exact words and citation."""
    return match(services, text, 1, edition)


@REGISTRY.command(_TEXT, Param("rank", "which match: 1 is the best, then the other passages",
                               kind="int", required=True, min_value=1, max_value=10),
                  _EDITION, internal=True)
def match(services: Services, text: str, rank: int, edition: str | None = None) -> Reply:
    """Show a quotation's best match, or another passage that resembles it (Next match)."""
    settings = services.config.quote
    engine = services.engine
    result = engine.find(text, top=settings.alternatives,
                         within=edition_range(engine.corpus, edition))
    found = len(matches(result))
    if found and rank > found:
        raise UserError(f"That quotation has only {found} match{'es' if found != 1 else ''}.")
    return with_edition(quote_reply(result, engine.corpus, ephemeral=settings.ephemeral,
                                    rank=rank), edition, ("match", "verify"))


@REGISTRY.command(_TEXT, _EDITION)
def verify(services: Services, text: str, edition: str | None = None) -> Reply:
    """Check a quotation word by word: your wrong words struck out, the source's in bold."""
    settings = services.config.quote
    engine = services.engine
    result = engine.find(text, top=settings.alternatives,
                         within=edition_range(engine.corpus, edition))
    return verify_reply(result, engine.corpus, ephemeral=settings.ephemeral)


@REGISTRY.command(Param("id", "a passage id, e.g. dbb2025-na.overview.p6", required=True,
                        autocomplete="passage_id"))
def passage(services: Services, id: str) -> Reply:
    """Show one passage in full, with its citation, neighbours and footnotes."""
    corpus = services.engine.corpus
    found = _passage(corpus, id)
    return with_other_editions(passage_reply(corpus, found), corpus, found)


@REGISTRY.command(Param("id", "a passage id", required=True, autocomplete="passage_id"),
                  Param("start", "where the words start (a character offset)", "int",
                        required=True, min_value=0, max_value=1_000_000),
                  Param("end", "where they end (exclusive)", "int", required=True, min_value=1,
                        max_value=1_000_000),
                  internal=True)
def highlight(services: Services, id: str, start: int, end: int) -> Reply:
    """Show one passage in full with some of its words in bold (a fact's source, a match)."""
    corpus = services.engine.corpus
    return passage_reply(corpus, _passage(corpus, id), (start, end))


def _passage(corpus: Corpus, passage_id: str) -> Passage:
    """The passage *passage_id*, or :class:`NotFound` with the nearest ids."""
    found = corpus.get(passage_id)
    if found is None:
        raise NotFound(f"There is no passage {passage_id!r}.",
                       did_you_mean(passage_id, [p.id for p in corpus]))
    return found


@REGISTRY.command(
    Param("query", "words to look for", required=True, rest=True),
    Param("document", "only this document", autocomplete="document"),
    Param("page", "which page of results", kind="int", min_value=1, max_value=1000),
    _EDITION,
)
def search(services: Services, query: str, document: str | None = None,
           page: int = 1, edition: str | None = None) -> Reply:
    """List the passages that best match some words, most relevant first."""
    corpus = services.engine.corpus
    if not words(query):
        raise UserError("Type some words to search for.")
    if document is not None and document not in corpus.documents:
        raise NotFound(f"There is no document {document!r}.",
                       did_you_mean(document, list(corpus.documents)))
    # The document limits the BM25 search itself: filtering the corpus-wide top
    # results would miss it whenever other documents fill them.
    within = (edition_range(corpus, edition) if document is None
              else _passage_range(corpus, document))
    pool = services.engine.candidates(query, SEARCH_POOL, within=within)
    norm = normalize(query)
    # BM25 finds the candidates; rapidfuzz orders them by how much of the query
    # each one really contains (stable sort: BM25 breaks ties).
    ranked = sorted(((p, fuzz.token_set_ratio(norm, normalize(p.text))) for p in pool),
                    key=lambda hit: -hit[1])
    if not ranked:
        raise NotFound(f"No passage mentions {query!r}.")
    pages = math.ceil(len(ranked) / PAGE_SIZE)
    if page > pages:
        raise UserError(f"There {'is' if pages == 1 else 'are'} only {pages} "
                        f"page{'s' if pages != 1 else ''} of results.")
    start = (page - 1) * PAGE_SIZE
    return with_edition(search_reply(query, ranked[start:start + PAGE_SIZE], page, pages,
                                     len(ranked), document, start), edition, ("search",))


def _passage_range(corpus: Corpus, document: str) -> range:
    """Where *document*'s passages sit in ``corpus.passages``: one run, because a
    corpus adds each document's passages together."""
    passages = corpus.documents[document].passages
    start = corpus.index_of(passages[0].id) if passages else None
    return range(0) if start is None else range(start, start + len(passages))


@REGISTRY.command()
def topics(services: Services) -> Reply:
    """List the fact card topics and how many cards each has."""
    return topics_reply(services.require_deck())


@REGISTRY.command()
def about(services: Services) -> Reply:
    """What this bot serves, its documents, version and credit."""
    deck = services.deck
    return about_reply(services.engine.corpus, __version__,
                       len(deck) if deck is not None else None, services.facts_problem,
                       inline=services.inline_status)


@REGISTRY.command(Param("text", "a text with [[…]], “quoted sentences” or > lines",
                        required=True, rest=True, max_length=6000), internal=True)
def scan(services: Services, text: str) -> Reply:
    """Check every quotation in a text: [[…]], quoted sentences of 8+ words, > lines."""
    return scan_reply(check_text(services.engine, text, "quotes", limit=None, top=0))


@REGISTRY.command(Param("command", "one command to explain", autocomplete="command"))
def help_(services: Services, command: str | None = None) -> Reply:
    """List every command with what it does."""
    if command is None:
        return help_reply([(c.usage, c.description) for c in REGISTRY], HELP_INTRO)
    found = REGISTRY.get(command)
    if found is None:
        raise NotFound(f"There is no command /{command.lstrip('/')}.",
                       did_you_mean(command, REGISTRY.names))
    lines = [(found.usage, found.description)]
    lines += [(p.name + (" (required)" if p.required else ""), p.description)
              for p in found.params]
    return help_reply(lines, f"/{found.name}")

